"""Does some evidence support a sentence? Facts, source sentences, and the support check.

A sentence is reduced to what it asserts: its content words, its names, its numbers (canonical
values from summarizer.text.numbers) and its quotations. It is supported by a set of source sentences
when every number, name and quotation appears there (quotations verbatim, modulo whitespace and
quote style) and enough of its content words do. Plain lexical checks, not a model: they are
language-light (en/id stop words), explainable in one line, and strict about exactly the things
summarizers get wrong (altered numbers, invented quotes, wrong names).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from summarizer.briefing.sources import SourceNumbering
from summarizer.document import Folder, article_of
from summarizer.text.lexicon import SUPPORT_STOP_WORDS, WORD, loose_stem
from summarizer.text.numbers import find_numbers

# Share of a sentence's content words (names excluded: they are checked one by one) that must
# appear in its evidence. Names and numbers carry most of a news sentence's checkable content,
# so the wording bar only has to stop sentences that reuse the story's names around invented
# events ("Russia announced a ceasefire with Ukraine" scores 0.25 against the seeds).
MIN_OVERLAP = 0.6
# A briefing sentence may merge facts from a few source sentences of one story, not more.
MAX_EVIDENCE_SENTENCES = 3

_QUOTE_CHARS = str.maketrans({c: '"' for c in "“”„‟«»❝❞〝〞″"} | {"‘": "'", "’": "'"})
_QUOTED = re.compile(r'"([^"]+)"')
_EDGE_PUNCTUATION = " ,.;:!?-–—'"


def stop_words(language: str) -> frozenset[str]:
    """Function words ignored when comparing wording (English for anything but Indonesian)."""
    return SUPPORT_STOP_WORDS["id" if language in ("id", "ms") else "en"]


def same_word(a: str, b: str) -> bool:
    """Stems match, or share a long prefix (deployed/deployment, Korea/Korean, Ukraine/Ukrainian)."""
    if a == b:
        return True
    common = len(os.path.commonprefix([a, b]))
    return common >= max(5, min(len(a), len(b)) - 2)


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
            names.append(tuple(loose_stem(t) for t in run))
        run = []
    return names


def claim_facts(text: str, language: str) -> Facts:
    """Reduce a (briefing) sentence to the facts it asserts."""
    tokens = WORD.findall(text)
    names = _names(tokens, language)
    name_stems = {s for name in names for s in name}
    stops = stop_words(language)
    words = {loose_stem(t) for t in tokens if t.lower() not in stops and len(t) > 1} - name_stems
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
        sources: SourceNumbering,
        language: str,
    ) -> EvidencePool:
        """Each sentence is grouped under its story's number; a copy's sentences are marked."""
        sentences = []
        for article in folder.articles:
            number = sources.numbers[article.id]
            for position, sentence in enumerate(article.sentences()):
                text = sentence_texts.get(sentence.id)
                if text:
                    copy = article.id in sources.copies
                    sentences.append(_evidence(sentence.id, number, position, copy, text, language))
        return cls(sentences, language)


def _evidence(sid: str, number: int, position: int, copy: bool, text: str, language: str) -> EvidenceSentence:
    stems = frozenset(loose_stem(t) for t in WORD.findall(text))
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


def best_evidence(
    facts: Facts, candidates: list[EvidenceSentence], limit: int = MAX_EVIDENCE_SENTENCES
) -> list[EvidenceSentence]:
    """The few (≤ limit) sentences that together cover most of the facts, trimmed to the needed ones."""
    items = _items(facts)
    coverage = {s.id: {i for i, item in enumerate(items) if _covers(s, item)} for s in candidates}
    chosen: list[EvidenceSentence] = []
    covered: set[int] = set()
    while len(chosen) < limit:
        gains = [(sum(items[i][1] for i in coverage[s.id] - covered), not s.copy, -s.position, s) for s in candidates]
        gain, *_, best = max(gains, key=lambda g: g[:3], default=(0.0, False, 0, None))
        if best is None or gain <= 0:
            break
        chosen.append(best)
        covered |= coverage[best.id]
    return trim_evidence(facts, chosen)


def trim_evidence(facts: Facts, chosen: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """Drop sentences the support does not need, so citations name only the real evidence."""
    if not check_support(facts, chosen).supported:
        return chosen
    for sentence in list(reversed(chosen)):
        rest = [s for s in chosen if s is not sentence]
        if rest and check_support(facts, rest).supported:
            chosen = rest
    return sorted(chosen, key=lambda s: (article_of(s.id), s.position))
