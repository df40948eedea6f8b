"""The cited briefing: verified key points, figures by source, and the numbered source list.

Stories are numbered once (summarizer.briefing.sources): a near-duplicate copy's support counts
for its original's number. Every key point passes summarizer.briefing.cite; model sentences that
fail are dropped with the reason, and when fewer than three survive the briefing is filled with
extractive key points so it is never silently empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from summarizer.briefing.cite import (
    CheckedSentence,
    CitationMetrics,
    DroppedSentence,
    Verification,
    citation_metrics,
    dropped_sentence,
    verify_sentence,
)
from summarizer.briefing.conflicts import Conflict, disputed_in, find_conflicts
from summarizer.briefing.figures import FigureGroup, find_figures
from summarizer.briefing.sources import SourceEntry, SourceNumbering, source_entries
from summarizer.briefing.support import (
    EvidencePool,
    EvidenceSentence,
    Facts,
    best_evidence,
    check_support,
    claim_facts,
    missing_facts,
)
from summarizer.document import ArticleSummary, Folder, article_of
from summarizer.ingest.dedup import copy_only_sentences
from summarizer.output.labels import Message, labels_for
from summarizer.summarizers.base import BriefingDraft, SummaryInput
from summarizer.text.similarity import tfidf_matrix, tokens

# Below this many verified model sentences the briefing is topped up with extractive points.
MIN_POINTS = 3
# How many points a topped-up briefing gets (the extractive points fill up to this).
FILLED_POINTS = 5
# Extractive candidates: the lead sentences of each story (news puts the key facts first),
# plus any sentence an article summary drew on.
LEAD_SENTENCES = 8
# Another story is credited with a point only if at most this many of its sentences say it: a
# stricter bar than for the model's own citations, since nobody claimed that story says it.
WIDEN_EVIDENCE_SENTENCES = 2
# A point whose text takes this many content words, verbatim with their neighbours, from a
# source sentence outside its evidence is a splice of two sentences and is not shown.
MIN_SPLICED_WORDS = 2
# Word-set similarity at which a model sentence only repeats an earlier one.
REPEAT_OVERLAP = 0.8
# Candidates given the full support check when ranking extractive points (bounds the cost).
CHECKED_CANDIDATES = 24
# Wording overlap at which another story is taken to report the same point when ranking
# extractive candidates, and above which two candidates are the same point.
SAME_POINT_OVERLAP = 0.5


def summary_inputs(
    folder: Folder, sentence_texts: dict[str, str], sources: SourceNumbering, *, include_copies: bool = False
) -> list[SummaryInput]:
    """What the summarizer sees: one input per story (copies only when asked), numbered as cited."""
    inputs = []
    for article in folder.articles:
        if article.id not in sources.originals and not include_copies:
            continue
        sentences = [(s.id, sentence_texts[s.id]) for s in article.sentences() if s.id in sentence_texts]
        meta = article.metadata
        number = sources.numbers[article.id]
        inputs.append(SummaryInput(article.id, number, meta.title, meta.outlet, meta.date, sentences))
    return inputs


@dataclass
class CitationChange:
    """A citation the verifier removed from a point or added to it, and why."""

    source: int
    action: str  # "removed" | "added"
    reason: str  # a Message, worded in the briefing's language by each output


@dataclass
class BriefingPoint:
    text: str
    cites: list[str]  # exact supporting sentence ids
    sources: list[int]  # source numbers shown: every story that supports it, and only those
    verification: Verification
    origin: str = "model"  # "model" | "extractive"
    outlets: int = 1  # distinct outlets among the supporting stories
    changes: list[CitationChange] = field(default_factory=list)  # how the shown citations differ from the draft's
    # Values in the point that another outlet contradicts, each "what: [n] value, [m] value".
    disputed: list[str] = field(default_factory=list)


@dataclass
class OffTopicEntry:
    """An article about another event: left out of the briefing (or kept when asked), and why."""

    article_id: str
    title: str | None
    outlet: str | None
    date: str | None
    file: str
    reason: str  # "another-time" | "another-event"
    detail: str  # a Message
    kept: bool = False  # briefed anyway (--keep-off-topic)


@dataclass
class Briefing:
    title: str
    language: str
    points: list[BriefingPoint]
    figures: list[FigureGroup]
    sources: list[SourceEntry]
    dropped: list[DroppedSentence]
    metrics: CitationMetrics  # the draft's citations, as the summarizer wrote them
    model: str
    notes: list[str] = field(default_factory=list)  # Messages, worded in the briefing's language by each output
    # The citations the reader sees, re-checked point by point after every repair.
    shown_metrics: CitationMetrics | None = None
    off_topic: list[OffTopicEntry] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    title_disputed: list[str] = field(default_factory=list)  # contested values the title states


def off_topic_entries(folder: Folder, *, kept: bool = False) -> list[OffTopicEntry]:
    """The folder's off-topic articles as the briefing lists them."""
    entries = []
    for item in folder.off_topic:
        article = folder.article(item.article_id)
        meta = article.metadata
        entries.append(
            OffTopicEntry(
                item.article_id, meta.title, meta.outlet, meta.date, article.source.path, item.reason, item.detail, kept
            )
        )
    return entries


def compose_briefing(
    folder: Folder,
    sources: SourceNumbering,
    sentence_texts: dict[str, str],
    original_texts: dict[str, str],
    draft: BriefingDraft,
    summaries: list[ArticleSummary],
    language: str,
) -> Briefing:
    """Verify the draft against the sources and assemble the briefing.

    `sentence_texts` maps sentence id → text in the briefing language (the English translation
    for "en", the original for "id"); `original_texts` maps sentence id → original text.
    """
    pool = EvidencePool.build(folder, sentence_texts, sources, language)
    checked = [verify_sentence(d.text, d.sources, d.cites, pool) for d in draft.sentences]
    kept = [c for c in checked if c.verification.status != "unverified"]
    notes = list(draft.notes)
    points, repeats = _distinct_points(kept, language)
    if repeats:
        notes.append(Message("note.repeated", count=repeats))
    if len(points) < MIN_POINTS:
        copy_only = copy_only_sentences(folder.articles, folder.clusters)
        points += _fill(pool, sources, summaries, points, len(checked), len(kept), notes, copy_only)
    outlets = _outlet_names(folder, sources)
    shown = [_shown(_widen(p, pool), pool, outlets) for p in points]
    briefing_points = _rank([p for p in shown if p.sources])
    dropped = [dropped_sentence(c) for c in checked if c.verification.status == "unverified"]
    dropped += [
        DroppedSentence(p.text, p.verification.cited, Message.joined("; ", [c.reason for c in p.changes]))
        for p in shown
        if not p.sources
    ]
    notes += _verification_notes(checked)
    conflicts = find_conflicts(folder, sources.numbers)
    for point in briefing_points:
        point.disputed = disputed_in(point.text, conflicts)
    title = headline(_checked_title(draft.title, folder, pool, notes), folder, conflicts, language, notes)
    return Briefing(
        title=title,
        conflicts=conflicts,
        title_disputed=disputed_in(title, conflicts),
        language=language,
        points=briefing_points,
        figures=find_figures(folder, original_texts, sentence_texts, sources, language),
        sources=source_entries(folder, sources),
        dropped=dropped,
        metrics=citation_metrics(checked),
        model=draft.model,
        notes=notes,
        shown_metrics=shown_metrics(briefing_points, pool),
    )


def _word_set(text: str, language: str) -> frozenset[str]:
    facts = claim_facts(text, language)
    return facts.words | {part for name in facts.names for part in name}


def _distinct_points(kept: list[CheckedSentence], language: str) -> tuple[list[tuple[CheckedSentence, str]], int]:
    """Drop a sentence that repeats an earlier one (small models often do)."""
    points: list[tuple[CheckedSentence, str]] = []
    seen: list[frozenset[str]] = []
    for checked in kept:
        words = _word_set(checked.text, language)
        if any(_jaccard(words, other) >= REPEAT_OVERLAP for other in seen):
            continue
        seen.append(words)
        points.append((checked, "model"))
    return points, len(kept) - len(points)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def _fill(
    pool: EvidencePool,
    sources: SourceNumbering,
    summaries: list[ArticleSummary],
    points: list[tuple[CheckedSentence, str]],
    drafted: int,
    verified: int,
    notes: list[str],
    copy_only: set[str] | frozenset[str] = frozenset(),
) -> list[tuple[CheckedSentence, str]]:
    """Extractive key points (source sentences, still checked) up to FILLED_POINTS."""
    used = {sid for checked, _ in points for sid in checked.cites}
    taken = [claim_facts(checked.text, pool.language) for checked, _ in points]
    added: list[tuple[CheckedSentence, str]] = []
    for sentence in _extractive_candidates(pool, sources, summaries, used, copy_only):
        if len(points) + len(added) >= FILLED_POINTS:
            break
        if any(check_support(facts, [sentence]).supported for facts in taken):
            continue  # it says what a point already says
        checked = verify_sentence(sentence.text, [sentence.number], [sentence.id], pool)
        if checked.verification.status == "supported":
            added.append((checked, "extractive"))
            taken.append(claim_facts(sentence.text, pool.language))
    what = (
        Message("note.failed", failed=drafted - verified, drafted=drafted)
        if drafted
        else Message("note.no_model_point")
    )
    notes.append(Message("note.filled", what=what, added=len(added)))
    return added


def _extractive_candidates(
    pool: EvidencePool,
    sources: SourceNumbering,
    summaries: list[ArticleSummary],
    used: set[str],
    copy_only: set[str] | frozenset[str] = frozenset(),
) -> list[EvidenceSentence]:
    """Source sentences ranked by how many other stories support them, then by position:
    the originals' sentences, and the sentences only a near-duplicate copy has (`copy_only`).

    A cheap word-overlap count picks the likeliest candidates; only those get the full check.
    """
    summarized = {sid for s in summaries for sentence in s.sentences for sid in sentence.cites}
    candidates = [
        s
        for s in pool.sentences
        if (article_of(s.id) in sources.originals or s.id in copy_only)
        and s.id not in used
        and (s.position < LEAD_SENTENCES or s.id in summarized)
        and claim_facts(s.text, pool.language).checkable
    ]
    rough = sorted(
        candidates, key=lambda s: (-_rough_support(s, pool), s.id not in summarized, s.position, s.number, s.copy)
    )[:CHECKED_CANDIDATES]
    support = {s.id: len(_supporting_stories(s.text, pool, {s.number})) for s in rough}
    ranked = sorted(rough, key=lambda s: (-support[s.id], s.id not in summarized, s.position, s.number, s.copy))
    chosen: list[EvidenceSentence] = []
    for sentence in ranked:
        words = _word_set(sentence.text, pool.language)
        if all(_jaccard(words, _word_set(c.text, pool.language)) < SAME_POINT_OVERLAP for c in chosen):
            chosen.append(sentence)
    return chosen


def _rough_support(sentence: EvidenceSentence, pool: EvidencePool) -> int:
    """Other stories sharing at least half of the sentence's words (exact stems only)."""
    words = _word_set(sentence.text, pool.language)
    return sum(
        1
        for number, others in pool.by_number.items()
        if number != sentence.number and max(len(words & o.stems) / len(words) for o in others) >= SAME_POINT_OVERLAP
    )


def _supporting_stories(text: str, pool: EvidencePool, skip: set[int]) -> dict[int, list[EvidenceSentence]]:
    """Every story (other than `skip`) that supports the text on its own, with its evidence."""
    facts = claim_facts(text, pool.language)
    found = {}
    for number, candidates in sorted(pool.by_number.items()):
        if number in skip:
            continue
        evidence = best_evidence(facts, candidates, WIDEN_EVIDENCE_SENTENCES)
        if check_support(facts, evidence).supported:
            found[number] = evidence
    return found


def _outlet_names(folder: Folder, sources: SourceNumbering) -> dict[int, str]:
    """Each story's outlet (case-folded), or its number when the outlet is unknown."""
    names = {}
    for group in sources.groups:
        outlet = folder.article(group.original).metadata.outlet
        names[group.number] = outlet.casefold() if outlet else f"[{group.number}]"
    return names


def _widen(point: tuple[CheckedSentence, str], pool: EvidencePool) -> tuple[CheckedSentence, str]:
    """Cite every story that supports the point on its own, not only the ones the model named."""
    checked, origin = point
    cites, sources = list(checked.cites), list(checked.sources)
    for number, evidence in _supporting_stories(checked.text, pool, set(sources)).items():
        cites += [s.id for s in evidence]
        sources.append(number)
    return CheckedSentence(checked.text, cites, sources, checked.verification), origin


def _shown(point: tuple[CheckedSentence, str], pool: EvidencePool, outlets: dict[int, str]) -> BriefingPoint:
    """The point as the reader will see it: only citations that pass the check again, on the
    exact sentences shown, and a record of every citation that differs from the draft's.

    The repairs above already aim for this; checking the final result rather than trusting them
    keeps "shown = verified" true whatever path a citation took.
    """
    checked, origin = point
    facts = claim_facts(checked.text, pool.language)
    evidence = _evidence_by_source(checked.cites, pool)
    relevant = _relevant_sources(facts, evidence)
    verification = checked.verification
    spliced = pool.spliced_words(checked.text, [s for sentences in evidence.values() for s in sentences])
    if len(spliced) >= MIN_SPLICED_WORDS:
        reason = Message("cite.spliced", words=" ".join(spliced))
        changes = [CitationChange(n, "removed", reason) for n in evidence]
        return BriefingPoint(checked.text, [], [], verification, origin, 0, changes)
    changes = [CitationChange(n, "removed", _why_not(facts, n, pool)) for n in verification.cited if n not in relevant]
    for number in evidence:
        if number not in relevant and number not in verification.cited:
            problems = check_support(facts, evidence[number]).problems
            reason = Message.joined("; ", problems) if problems else Message("cite.adds_nothing")
            changes.append(CitationChange(number, "removed", Message("cite.search_fails", reason=reason)))
    for number in relevant:
        if number not in verification.cited:
            own = check_support(facts, evidence[number]).supported
            why = Message("cite.alone") if own else Message("cite.needed")
            changes.append(CitationChange(number, "added", why))
    sources = [n for n in checked.sources if n in relevant]
    cites = [sid for n in sources for sid in (s.id for s in evidence[n])]
    distinct = len({outlets.get(n, f"[{n}]") for n in sources})
    return BriefingPoint(checked.text, cites, sources, verification, origin, distinct, changes)


def _why_not(facts: Facts, number: int, pool: EvidencePool) -> Message:
    """Why a story the draft cited is not shown as a source of the point."""
    if number not in pool.by_number:
        return Message("cite.not_a_source", number=number)
    problems = check_support(facts, best_evidence(facts, pool.by_number[number])).problems
    if not problems:  # supports it, but only as well as other cited stories it repeats
        return Message("cite.redundant", number=number)
    return Message("cite.unsupported", marks=f"[{number}]", problems=Message.joined("; ", problems))


def shown_point(
    text: str, sources: list[int], pool: EvidencePool, outlets: dict[int, str] | None = None
) -> BriefingPoint | None:
    """One drafted sentence through verification, repair and the final check, as the briefing
    would show it; None when it would be dropped."""
    checked = verify_sentence(text, sources, [], pool)
    if checked.verification.status == "unverified":
        return None
    point = _shown(_widen((checked, "model"), pool), pool, outlets or {})
    return point if point.sources else None


def _evidence_by_source(cites: list[str], pool: EvidencePool) -> dict[int, list[EvidenceSentence]]:
    evidence: dict[int, list[EvidenceSentence]] = {}
    for sid in cites:
        sentence = pool.by_id.get(sid)
        if sentence is not None and sentence not in evidence.get(sentence.number, []):
            evidence.setdefault(sentence.number, []).append(sentence)
    return evidence


def _relevant_sources(facts: Facts, evidence: dict[int, list[EvidenceSentence]]) -> list[int]:
    """ALCE relevance of shown citations: a source supports the point alone, or the sources
    together support it and fall short without it. Empty when they do not support it at all."""
    joint = [s for sentences in evidence.values() for s in sentences]
    if not check_support(facts, joint).supported:
        return []
    alone = [n for n, sentences in evidence.items() if check_support(facts, sentences).supported]
    if alone:
        return alone
    return [n for n in evidence if not check_support(facts, [s for s in joint if s.number != n]).supported] or list(
        evidence
    )


def shown_metrics(points: list[BriefingPoint], pool: EvidencePool) -> CitationMetrics:
    """ALCE citation precision and recall of the briefing as shown (points and their citations)."""
    citations = relevant = supported = 0
    for point in points:
        facts = claim_facts(point.text, pool.language)
        evidence = _evidence_by_source(point.cites, pool)
        citations += len(point.sources)
        joint = [s for sentences in evidence.values() for s in sentences]
        if point.sources and check_support(facts, joint).supported:
            supported += 1
            for number in point.sources:
                sentences = evidence.get(number, [])
                alone = check_support(facts, sentences).supported
                needed = not check_support(facts, [s for s in joint if s.number != number]).supported
                relevant += alone or needed
    return CitationMetrics(
        sentences=len(points),
        citations=citations,
        relevant_citations=relevant,
        supported_sentences=supported,
        recited=sum(1 for p in points if p.verification.status == "recited"),
        dropped=0,
        precision=round(relevant / citations, 3) if citations else None,
        recall=round(supported / len(points), 3) if points else None,
    )


def _rank(points: list[BriefingPoint]) -> list[BriefingPoint]:
    """Model order is importance; points reported by more outlets come first."""
    return [p for _, p in sorted(enumerate(points), key=lambda ip: (-ip[1].outlets, ip[0]))]


def _verification_notes(checked: list[CheckedSentence]) -> list[str]:
    notes: list[str] = []
    dropped = sum(1 for c in checked if c.verification.status == "unverified")
    recited = sum(1 for c in checked if c.verification.status == "recited")
    if dropped:
        notes.append(Message("note.no_support", count=dropped))
    if recited:
        notes.append(Message("note.recited", count=recited))
    return notes


def _checked_title(title: str, folder: Folder, pool: EvidencePool, notes: list[str]) -> str:
    """The model's title, unless it names a number, name or quotation no source has."""
    # The title is the briefing's own text, so it is written in the briefing's language here.
    fallback = labels_for(pool.language).fallback_title.format(folder=folder.name)
    if not title.strip():
        notes.append(Message("note.no_title"))
        return fallback
    problems = missing_facts(claim_facts(title, pool.language), pool.sentences)
    if problems:
        notes.append(Message("note.title_replaced", title=title, problems=Message.joined("; ", problems)))
        return fallback
    return title.strip()


# A headline states the event in a few words; a lead sentence with its date, time and place
# runs longer than any outlet's title in the corpus (at most 16 words).
MAX_HEADLINE_WORDS = 16
_QUOTATION = re.compile(
    r"^\s*[“\"‘']|[”\"’']\s*,?\s*(?:kata|ujar|ucap|tutur|jelas|tegas|imbuh|ungkap|papar|said|says)\b", re.IGNORECASE
)
# Words glued where a link was stripped: "GarutJabar", "kebakaranPada"; a comma with no space after.
_GLUED = re.compile(r"[a-z]{3}[A-Z][a-z]{2}|,(?=[^\W\d_])")


def title_problems(title: str) -> list[Message]:
    """Why a title is not a headline: a quotation, glued words, or a whole lead sentence."""
    problems = []
    if _QUOTATION.search(title):
        problems.append(Message("title.quotation"))
    if _GLUED.search(title):
        problems.append(Message("title.glued"))
    if len(title.split()) > MAX_HEADLINE_WORDS:
        problems.append(Message("title.sentence", words=len(title.split())))
    return problems


def headline(title: str, folder: Folder, conflicts: list[Conflict], language: str, notes: list[str]) -> str:
    """The briefing's title: the drafted one when it reads as a headline and states no contested
    value, else the outlets' own headline that the others share most words with."""
    problems = title_problems(title)
    disputed = disputed_in(title, conflicts)
    if not problems and not disputed:
        return title
    candidates = [
        a.metadata.title
        for a in folder.articles
        if a.metadata.title and a.language == language and not title_problems(a.metadata.title)
    ]
    if not candidates:
        return title
    texts = [tokens(t, language) for t in candidates]
    matrix = tfidf_matrix(texts)
    centrality = (matrix @ matrix.T).sum(axis=1)
    ranked = sorted(
        range(len(candidates)),
        key=lambda i: (
            bool(disputed_in(candidates[i], conflicts)),
            candidates[i].rstrip().endswith("?"),
            -centrality[i],
        ),
    )
    chosen = candidates[ranked[0]]
    if chosen == title:
        return title
    why = Message.joined("; ", problems + ([Message("title.contested", value=disputed[0])] if disputed else []))
    notes.append(Message("note.headline_replaced", title=title, why=why))
    return chosen
