"""Citation verification: is each briefing sentence supported by the sentences it cites?

A model's `[n]` is a claim about where a fact came from, not a proof (users.md §3.3: wrong
citations, invented quotes, altered numbers). Every draft sentence is reduced to what it asserts:
its content words, its names, its numbers (canonical values from summarizer.numbers) and its
quotations. It is supported by a set of source sentences when every number, name and quotation
appears there and enough of its content words do. `[n]` is then resolved to the exact sentences
of story n that carry the support; when the cited stories do not support the sentence but others
do, it is re-cited (the wrong citation kept on record); when nothing supports it, it is dropped
with the reason. Citation precision and recall are measured ALCE-style (users.md §4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from summarizer.document import Folder
from summarizer.numbers import find_numbers

# Share of a sentence's content words (names excluded, they are checked one by one) that must
# appear in its evidence. Measured on the seeds: paraphrases of a source sentence score 0.7-1.0,
# invented sentences built from the story's vocabulary 0.0-0.4.
MIN_OVERLAP = 0.6
# A briefing sentence may merge facts from a few source sentences of one story, not more.
MAX_EVIDENCE_SENTENCES = 3
# A sentence supported by no single story may combine at most this many stories.
MAX_JOINT_STORIES = 3

Status = Literal["supported", "recited", "unverified"]

_STOP_WORDS = {
    "en": frozenset(
        """a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing down during each few
        for from further had has have having he her here hers him his how i if in into is it its
        itself just more most my no nor not now of off on once only or other our out over own
        same she should so some such than that the their them then there these they this those
        through to too under until up very was we were what when where which while who whom why
        will with would you your yet however meanwhile according said says say told tell added
        adding stated reported report reports noted also amid while has had""".split()
    ),
    "id": frozenset(
        """ada adalah agar akan aku anda antara apa apakah atas atau bagi bahwa baik banyak
        beberapa begitu belum berbagai bisa dalam dan dapat dari demikian dengan di dia ia ini
        itu jika juga kami kamu karena ke kepada ketika kita lagi lalu lebih maka masih mereka
        mungkin namun oleh pada para pun saat saja sampai sangat satu sebagai sebuah sedang
        sehingga sejak selain seperti serta setelah sudah tak telah tentang terhadap tersebut
        tetapi tidak untuk yang hingga kata ujar ucap tutur ungkap imbuh tegas jelas menurut
        mengatakan menyatakan menyebut menyebutkan mencatat katanya sementara itu pula nya""".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_QUOTE_CHARS = str.maketrans({c: '"' for c in "“”„‟«»❝❞〝〞″"} | {"‘": "'", "’": "'"})
_QUOTED = re.compile(r'"([^"]+)"')
_EDGE_PUNCTUATION = " ,.;:!?-–—'"


def stop_words(language: str) -> frozenset[str]:
    """Function words ignored when comparing wording (English for anything but Indonesian)."""
    return _STOP_WORDS["id" if language in ("id", "ms") else "en"]


def stem(word: str) -> str:
    """A deliberately light normal form: lower case, no plural -s, no Indonesian -nya."""
    word = word.lower()
    if len(word) > 6 and word.endswith("nya"):
        return word[:-3]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def same_word(a: str, b: str) -> bool:
    """Stems match, or share a long prefix (deployed/deployment, Korea/Korean, Ukraine/Ukrainian)."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return common >= max(5, shorter - 2)


def normalize_quotes(text: str) -> str:
    """One quote style, one space, case-folded: how quotations are compared."""
    text = text.translate(_QUOTE_CHARS).replace("''", '"')
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Facts:
    """What a sentence asserts, in comparable parts."""

    words: frozenset[str]  # content-word stems, names excluded
    names: tuple[tuple[str, ...], ...]  # each name as its word stems
    numbers: tuple[tuple[str, ...], ...]  # each number's acceptable canonical values
    quotes: tuple[str, ...]  # quoted spans, normalized

    @property
    def checkable(self) -> bool:
        """Enough content to verify: names alone ("Korea Korea Korea") say nothing checkable."""
        return len(self.words) >= 2 or bool(self.words and (self.numbers or self.quotes))


def _names(tokens: list[str], language: str) -> list[tuple[str, ...]]:
    """Runs of capitalised words and acronyms; a lone capitalised first word is not a name."""
    stops = stop_words(language)
    names: list[tuple[str, ...]] = []
    run: list[str] = []
    run_start = 0
    for i, token in enumerate(tokens + [""]):
        capital = token[:1].isupper() and token.lower() not in stops
        if capital:
            if not run:
                run_start = i
            run.append(token)
            continue
        if run and (run_start > 0 or len(run) > 1 or (len(run[0]) > 1 and run[0].isupper())):
            names.append(tuple(stem(t) for t in run))
        run = []
    return names


def claim_facts(text: str, language: str) -> Facts:
    """Reduce a (briefing) sentence to the facts it asserts."""
    tokens = _WORD.findall(text)
    names = _names(tokens, language)
    name_stems = {s for name in names for s in name}
    stops = stop_words(language)
    words = {stem(t) for t in tokens if t.lower() not in stops and len(t) > 1} - name_stems
    numbers = tuple(m.values for m in find_numbers(text, language))
    quotes = tuple(
        q.strip(_EDGE_PUNCTUATION)
        for q in _QUOTED.findall(normalize_quotes(text))
        if len(q.strip(_EDGE_PUNCTUATION)) > 1
    )
    return Facts(frozenset(words), tuple(names), numbers, quotes)


@dataclass(frozen=True)
class EvidenceSentence:
    """A source sentence in the briefing language, ready for comparison."""

    id: str
    number: int  # source number of its story
    position: int  # 0-based position in its article
    copy: bool  # from a near-duplicate copy: the original's sentence is preferred
    text: str
    stems: frozenset[str]
    numbers: frozenset[str]
    normalized: str


class EvidencePool:
    """Every source sentence in the briefing language, grouped by source number."""

    def __init__(self, sentences: list[EvidenceSentence], language: str) -> None:
        self.language = language
        self.sentences = sentences
        self.by_id = {s.id: s for s in sentences}
        self.by_number: dict[int, list[EvidenceSentence]] = {}
        for sentence in sentences:
            self.by_number.setdefault(sentence.number, []).append(sentence)

    @classmethod
    def build(
        cls,
        folder: Folder,
        sentence_texts: dict[str, str],
        numbers: dict[str, int],
        language: str,
        copies: set[str] | frozenset[str] = frozenset(),
    ) -> EvidencePool:
        """`numbers`: article id → its story's source number; `copies`: near-duplicate ids."""
        sentences = []
        for article in folder.articles:
            number = numbers[article.id]
            for position, sentence in enumerate(article.sentences()):
                text = sentence_texts.get(sentence.id)
                if text:
                    copy = article.id in copies
                    sentences.append(_evidence(sentence.id, number, position, copy, text, language))
        return cls(sentences, language)


def _evidence(
    sid: str, number: int, position: int, copy: bool, text: str, language: str
) -> EvidenceSentence:
    stems = frozenset(stem(t) for t in _WORD.findall(text))
    numbers = frozenset(v for m in find_numbers(text, language) for v in m.values)
    return EvidenceSentence(sid, number, position, copy, text, stems, numbers, normalize_quotes(text))


@dataclass
class Support:
    """Whether some evidence supports some facts, and if not, what is missing."""

    supported: bool
    overlap: float
    problems: list[str]


def _has_word(word: str, stems: frozenset[str]) -> bool:
    return word in stems or any(same_word(word, s) for s in stems)


def missing_facts(facts: Facts, evidence: list[EvidenceSentence]) -> list[str]:
    """The numbers, names and quotations of `facts` that the evidence does not contain."""
    stems = frozenset().union(*(e.stems for e in evidence))
    values = frozenset().union(*(e.numbers for e in evidence))
    joined = " ".join(e.normalized for e in evidence)
    problems = [f"number {n[0]} not in the evidence" for n in facts.numbers if not values & set(n)]
    problems += [
        f"name '{' '.join(name)}' not in the evidence"
        for name in facts.names
        if not all(_has_word(part, stems) for part in name)
    ]
    problems += [f'quotation "{q}" not found verbatim' for q in facts.quotes if q not in joined]
    return problems


def check_support(facts: Facts, evidence: list[EvidenceSentence]) -> Support:
    """Every number, name and quotation found in the evidence, and enough of the wording."""
    if not facts.checkable:
        return Support(False, 0.0, ["too little content to check (needs two content words)"])
    if not evidence:
        return Support(False, 0.0, ["no evidence"])
    stems = frozenset().union(*(e.stems for e in evidence))
    problems = missing_facts(facts, evidence)
    found = sum(1 for w in facts.words if _has_word(w, stems))
    overlap = found / len(facts.words) if facts.words else 1.0
    if overlap < MIN_OVERLAP:
        problems.append(f"wording overlap {overlap:.2f} below {MIN_OVERLAP}")
    return Support(not problems, overlap, problems)


def _items(facts: Facts) -> list[tuple[str, float, object]]:
    """The facts as weighted items, so evidence can be ranked by how much it covers."""
    items: list[tuple[str, float, object]] = [("n", 3.0, n) for n in facts.numbers]
    items += [("q", 3.0, q) for q in facts.quotes]
    items += [("w", 1.5, part) for name in facts.names for part in name]
    items += [("w", 1.0, w) for w in facts.words]
    return items


def _covers(sentence: EvidenceSentence, item: tuple[str, float, object]) -> bool:
    kind, _, value = item
    if kind == "n":
        return bool(sentence.numbers & set(value))  # type: ignore[arg-type]
    if kind == "q":
        return str(value) in sentence.normalized
    return _has_word(str(value), sentence.stems)


def best_evidence(facts: Facts, candidates: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """The few sentences that together cover most of the facts, trimmed to the necessary ones."""
    items = _items(facts)
    coverage = {s.id: {i for i, item in enumerate(items) if _covers(s, item)} for s in candidates}
    chosen: list[EvidenceSentence] = []
    covered: set[int] = set()
    while len(chosen) < MAX_EVIDENCE_SENTENCES:
        gains = [
            (sum(items[i][1] for i in coverage[s.id] - covered), not s.copy, -s.position, s)
            for s in candidates
        ]
        gain, *_, best = max(gains, key=lambda g: g[:3], default=(0.0, False, 0, None))
        if best is None or gain <= 0:
            break
        chosen.append(best)
        covered |= coverage[best.id]
    return _trim(facts, chosen)


def _trim(facts: Facts, chosen: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """Drop sentences the support does not need, so citations name only the real evidence."""
    if not check_support(facts, chosen).supported:
        return chosen
    for sentence in list(reversed(chosen)):
        rest = [s for s in chosen if s is not sentence]
        if rest and check_support(facts, rest).supported:
            chosen = rest
    return sorted(chosen, key=lambda s: (s.id.rsplit(":", 2)[0], s.position))


def explain_unsupported(facts: Facts, pool: EvidencePool) -> str:
    """Why no source supports the facts: what no article contains, or the best wording overlap."""
    everything = check_support(facts, pool.sentences)
    if not facts.checkable:
        return everything.problems[0]
    absent = [p.replace("not in the evidence", "in no article") for p in everything.problems if "overlap" not in p]
    if absent:
        return "; ".join(p.replace("not found verbatim", "in no article") for p in absent)
    best = max(
        (check_support(facts, best_evidence(facts, group)).overlap for group in pool.by_number.values()),
        default=0.0,
    )
    return f"no article supports its wording (best overlap {best:.2f}, needs {MIN_OVERLAP})"


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
    reason: str | None = None  # why the citations failed (or why the sentence was dropped)
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
    reason: str


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
    if cites:
        exact = _exact_support(text, facts, cited, cites, pool)
        if exact:
            return exact
    evidence = {n: best_evidence(facts, pool.by_number[n]) for n in cited if n in pool.by_number}
    joint = [s for sentences in evidence.values() for s in sentences]
    joint_support = check_support(facts, joint)
    relevant = _relevant(facts, evidence, joint, joint_support.supported)
    if joint_support.supported:
        kept = [s for n in (relevant or list(evidence)) for s in evidence[n]]
        final = _trim(facts, kept)
        wrong = [n for n in cited if n not in relevant]
        verification = Verification(
            "supported", joint_support.overlap, cited, wrong, None, True, relevant
        )
        return CheckedSentence(text, [s.id for s in final], sources_of([s.id for s in final], pool), verification)
    reason = _citation_failure(cited, joint_support, pool)
    found = _search(facts, pool)
    if found:
        support = check_support(facts, found)
        verification = Verification("recited", support.overlap, cited, cited, reason, False, relevant)
        return CheckedSentence(text, [s.id for s in found], sources_of([s.id for s in found], pool), verification)
    verification = Verification(
        "unverified", joint_support.overlap, cited, cited, explain_unsupported(facts, pool), False, relevant
    )
    return CheckedSentence(text, [], [], verification)


def _exact_support(
    text: str, facts: Facts, cited: list[int], cites: list[str], pool: EvidencePool
) -> CheckedSentence | None:
    """An extractive sentence whose exact sentence ids exist and support it."""
    exact = [pool.by_id[c] for c in cites if c in pool.by_id]
    support = check_support(facts, exact)
    if not support.supported or len(exact) != len(cites):
        return None
    numbers = sources_of(cites, pool)
    relevant = [n for n in cited if n in numbers]
    wrong = [n for n in cited if n not in numbers]
    verification = Verification("supported", support.overlap, cited, wrong, None, True, relevant)
    return CheckedSentence(text, list(cites), numbers, verification)


def _relevant(
    facts: Facts,
    evidence: dict[int, list[EvidenceSentence]],
    joint: list[EvidenceSentence],
    joint_supported: bool,
) -> list[int]:
    """ALCE relevance: a citation supports alone, or the joint support falls without it."""
    relevant = []
    for number, sentences in evidence.items():
        alone = check_support(facts, sentences).supported
        needed = joint_supported and not check_support(
            facts, [s for s in joint if s.number != number]
        ).supported
        if alone or needed:
            relevant.append(number)
    return relevant


def _citation_failure(cited: list[int], support: Support, pool: EvidencePool) -> str:
    if not cited:
        return "no citation"
    unknown = [n for n in cited if n not in pool.by_number]
    if unknown:
        return f"cites unknown source {', '.join(f'[{n}]' for n in unknown)}"
    cited_text = "".join(f"[{n}]" for n in cited)
    return f"{cited_text} does not support it: {'; '.join(support.problems)}"


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
            return _trim(facts, joint)
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
