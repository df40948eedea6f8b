"""Citation verification: is each briefing sentence supported by the sentences it cites?

A model's `[n]` is a claim about where a fact came from, not a proof: small models cite the wrong
story, invent quotes and alter numbers. Each draft sentence is checked (summarizer.briefing.support)
against the sentences of the stories it cites, and `[n]` is resolved to the exact sentences that
carry the support. When the cited stories do not support it but others do, it is re-cited (the
wrong citation kept on record); when nothing supports it, it is dropped with the reason.
Citation precision and recall of the draft are measured ALCE-style (Gao et al. 2023, "Enabling
Large Language Models to Generate Text with Citations").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from summarizer.briefing.support import (
    MIN_OVERLAP,
    EvidencePool,
    EvidenceSentence,
    Facts,
    Support,
    best_evidence,
    check_support,
    claim_facts,
    trim_evidence,
)
from summarizer.output.labels import Message

# A sentence supported by no single story may combine at most this many stories.
MAX_JOINT_STORIES = 3

Status = Literal["supported", "recited", "unverified"]


# What the evidence of one story lacks, said of every article at once.
_NOWHERE = {"support.number": "nowhere.number", "support.name": "nowhere.name", "support.quote": "nowhere.quote"}


def explain_unsupported(facts: Facts, pool: EvidencePool) -> Message:
    """Why no source supports the facts: what no article contains, the best wording overlap, or
    that the claim's speaker says it nowhere."""
    everything = check_support(facts, pool.sentences)
    if not facts.checkable:
        return everything.problems[0]
    absent = [
        Message(_NOWHERE[p.key], **p.values) if p.key in _NOWHERE else p
        for p in everything.problems
        if p.key not in ("support.overlap", "support.speaker")
    ]
    if absent:
        return Message.joined("; ", absent)
    unattributed = replace(facts, speaker=None)
    best = max(
        (check_support(unattributed, best_evidence(unattributed, group)).overlap for group in pool.by_number.values()),
        default=0.0,
    )
    if best >= MIN_OVERLAP and facts.speaker:
        return Message("nowhere.speaker", speaker=" ".join(sorted(facts.speaker)))
    return Message("nowhere.wording", best=best, minimum=MIN_OVERLAP)


def sources_of(cites: list[str], pool: EvidencePool) -> list[int]:
    """The source numbers of some sentence ids, in first-seen order."""
    numbers: list[int] = []
    for sid in cites:
        sentence = pool.by_id.get(sid)
        if sentence and sentence.number not in numbers:
            numbers.append(sentence.number)
    return numbers


@dataclass
class Verification:
    """The outcome of checking one briefing sentence against its citations."""

    status: Status  # supported by its citations | re-cited to other stories | unverified
    overlap: float  # wording overlap with the evidence finally cited
    cited: list[int]  # the source numbers the draft put after it
    wrong: list[int] = field(default_factory=list)  # cited numbers that did not support it
    reason: str | None = None  # why the citations failed (or why the sentence was dropped): a Message
    # ALCE: the draft's own citations support it together (recall), and which of them are
    # relevant: support it alone or are needed for the joint support (precision).
    citations_support: bool = False
    relevant: list[int] = field(default_factory=list)


@dataclass
class CheckedSentence:
    text: str
    cites: list[str]  # exact supporting sentence ids
    sources: list[int]  # their source numbers
    verification: Verification


@dataclass
class DroppedSentence:
    """A draft sentence left out of the briefing because no source supports it."""

    text: str
    sources: list[int]  # what it cited
    reason: str  # a Message, worded in the briefing's language by each output


@dataclass
class CitationMetrics:
    """ALCE-style citation quality of the model's draft (before any repair)."""

    sentences: int  # draft sentences checked
    citations: int  # [n] citations the draft made
    relevant_citations: int
    supported_sentences: int  # fully supported by their own citations
    recited: int
    dropped: int
    precision: float | None  # relevant / citations (None without citations)
    recall: float | None  # supported / sentences (None without sentences)


def verify_sentence(text: str, sources: list[int], cites: list[str], pool: EvidencePool) -> CheckedSentence:
    """Check one draft sentence; resolve, repair or reject its citations."""
    facts = claim_facts(text, pool.language)
    cited = list(dict.fromkeys(sources)) or sources_of(cites, pool)
    exact = _exact_evidence(cites, pool)
    if exact:
        checked = _supported_by(text, facts, cited, exact, pool)
        if checked:
            return checked
    evidence = {n: best_evidence(facts, pool.by_number[n]) for n in cited if n in pool.by_number}
    checked = _supported_by(text, facts, cited, evidence, pool)
    if checked:
        return checked
    joint = [s for sentences in evidence.values() for s in sentences]
    joint_support = check_support(facts, joint)
    reason = _citation_failure(cited, joint_support, pool)
    found = _search(facts, pool)
    if found:
        support = check_support(facts, found)
        verification = Verification("recited", support.overlap, cited, cited, reason)
        return CheckedSentence(text, [s.id for s in found], sources_of([s.id for s in found], pool), verification)
    reason = explain_unsupported(facts, pool)
    verification = Verification("unverified", joint_support.overlap, cited, cited, reason)
    return CheckedSentence(text, [], [], verification)


def _exact_evidence(cites: list[str], pool: EvidencePool) -> dict[int, list[EvidenceSentence]]:
    """The sentences an extractive summarizer named, by story; empty if any id is unknown."""
    if not cites or not all(c in pool.by_id for c in cites):
        return {}
    evidence: dict[int, list[EvidenceSentence]] = {}
    for cite in cites:
        sentence = pool.by_id[cite]
        evidence.setdefault(sentence.number, []).append(sentence)
    return evidence


def _supported_by(
    text: str, facts: Facts, cited: list[int], evidence: dict[int, list[EvidenceSentence]], pool: EvidencePool
) -> CheckedSentence | None:
    """The sentence as supported by the cited stories' evidence, irrelevant citations removed."""
    joint = [s for sentences in evidence.values() for s in sentences]
    support = check_support(facts, joint)
    if not support.supported:
        return None
    relevant = _relevant(facts, evidence, joint)
    # Redundant citations (each dispensable, none sufficient alone) are all kept.
    kept = trim_evidence(facts, [s for n in (relevant or list(evidence)) for s in evidence[n]])
    ids = [s.id for s in kept]
    own = [n for n in relevant if n in cited]
    wrong = [n for n in cited if n not in own]
    if own:
        verification = Verification("supported", support.overlap, cited, wrong, None, True, own)
    else:  # exact sentence ids that belong to other stories than the [n] given
        reason = Message("cite.exact_elsewhere", marks=_marks(cited) or Message("cite.none"))
        verification = Verification("recited", support.overlap, cited, wrong, reason)
    return CheckedSentence(text, ids, sources_of(ids, pool), verification)


def _relevant(facts: Facts, evidence: dict[int, list[EvidenceSentence]], joint: list[EvidenceSentence]) -> list[int]:
    """ALCE relevance: a citation supports alone, or the joint support falls without it."""
    relevant = []
    for number, sentences in evidence.items():
        alone = check_support(facts, sentences).supported
        needed = not check_support(facts, [s for s in joint if s.number != number]).supported
        if alone or needed:
            relevant.append(number)
    return relevant


def _citation_failure(cited: list[int], support: Support, pool: EvidencePool) -> Message:
    if not cited:
        return Message("cite.none")
    unknown = [n for n in cited if n not in pool.by_number]
    if unknown:
        return Message("cite.unknown", marks=", ".join(f"[{n}]" for n in unknown))
    return Message("cite.unsupported", marks=_marks(cited), problems=Message.joined("; ", support.problems))


def _marks(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _search(facts: Facts, pool: EvidencePool) -> list[EvidenceSentence] | None:
    """The best support anywhere: one story if possible, else a few stories together."""
    ranked = []
    for number, candidates in pool.by_number.items():
        evidence = best_evidence(facts, candidates)
        support = check_support(facts, evidence)
        ranked.append((support.supported, support.overlap, -len(evidence), -number, evidence))
    ranked.sort(key=lambda r: r[:4], reverse=True)
    if ranked and ranked[0][0]:
        return ranked[0][4]
    joint: list[EvidenceSentence] = []
    for *_, evidence in ranked[:MAX_JOINT_STORIES]:
        joint += evidence
        if check_support(facts, joint).supported:
            return trim_evidence(facts, joint)
    return None


def dropped_sentence(checked: CheckedSentence) -> DroppedSentence:
    return DroppedSentence(checked.text, checked.verification.cited, checked.verification.reason or "")


def citation_metrics(checked: list[CheckedSentence]) -> CitationMetrics:
    """Citation precision and recall of the draft sentences as the model cited them."""
    citations = sum(len(c.verification.cited) for c in checked)
    relevant = sum(len(c.verification.relevant) for c in checked)
    supported = sum(1 for c in checked if c.verification.citations_support)
    return CitationMetrics(
        sentences=len(checked),
        citations=citations,
        relevant_citations=relevant,
        supported_sentences=supported,
        recited=sum(1 for c in checked if c.verification.status == "recited"),
        dropped=sum(1 for c in checked if c.verification.status == "unverified"),
        precision=round(relevant / citations, 3) if citations else None,
        recall=round(supported / len(checked), 3) if checked else None,
    )
