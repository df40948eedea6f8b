"""Near-duplicate detection across a story folder: the same story run by more than one outlet.

Two outlets translating one English wire story share almost no exact word sequences, so shingle
overlap misses them (seeds 000/001: 3-word shingle Jaccard 0.27). What they do share is the
story's *sentence sequence*: nearly every sentence of one has a counterpart in the other, in the
same order, with the same names, numbers and content words. Articles about the same event from
different newsrooms share topic words but not that sequence. So two articles are duplicates when
a monotone sentence alignment covers most of the shorter one.

Sentence similarity is the cosine of content-word vectors (crude 6-letter stems, so "pasukan" and
"pasukannya" meet) plus canonical numbers, weighted by IDF over the folder's sentences, so words
every article of the story uses ("Korea", "bom") count for little.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations

from summarizer.document import Article, DuplicateCluster
from summarizer.text.lexicon import DEDUP_STOP_WORDS, HYPHENATED_WORD, prefix_stem
from summarizer.text.numbers import find_numbers

# Cosine at or above which two sentences count as renderings of the same sentence. At 0.5, 80%
# of the sentences of seed 000 align with seed 001 (its twin translation), while no two
# different stories among the seeds and the corpus align more than 14% (two boilerplate lines).
SENTENCE_MATCH = 0.5
# Share of the shorter article's sentences that must align for the pair to be duplicates.
DUPLICATE_COVERAGE = 0.5
# Fewest aligned sentences for a duplicate (fewer when the shorter article is that short).
MIN_ALIGNED = 3
MIN_WORD_LENGTH = 3

OUTLET_KEY = re.compile(r"[^a-z0-9]+")

Vector = dict[str, float]


@dataclass
class PairScore:
    """How much of the shorter article's sentence sequence the longer one reproduces."""

    coverage: float  # aligned sentences / sentences of the shorter article, 0..1
    aligned: int
    shorter: int  # sentence count of the shorter article

    @property
    def is_duplicate(self) -> bool:
        enough = self.aligned >= min(MIN_ALIGNED, self.shorter)
        return self.shorter > 0 and enough and self.coverage >= DUPLICATE_COVERAGE


def find_duplicates(articles: list[Article]) -> list[DuplicateCluster]:
    """Group articles that are the same story; name the original and score every copy."""
    scores = pairwise_scores(articles)
    by_id = {article.id: article for article in articles}
    clusters = []
    for members in _connected_groups(articles, scores):
        original, reason = choose_original([by_id[m] for m in members])
        copies = [m for m in members if m != original.id]
        similarity = {c: round(scores[_pair_key(original.id, c)].coverage, 3) for c in copies}
        clusters.append(DuplicateCluster(original=original.id, copies=copies, similarity=similarity, reason=reason))
    return clusters


def pairwise_scores(articles: Sequence[Article]) -> dict[tuple[str, str], PairScore]:
    """The alignment score of every pair of articles, keyed by the sorted pair of ids."""
    sentences = {a.id: _story_sentences(a) for a in articles}
    idf = _inverse_document_frequency([s for texts in sentences.values() for s in texts])
    vectors = {aid: [_unit_vector(_terms(s), idf) for s in texts] for aid, texts in sentences.items()}
    return {_pair_key(a.id, b.id): score_pair(vectors[a.id], vectors[b.id]) for a, b in combinations(articles, 2)}


def score_pair(first: list[Vector], second: list[Vector]) -> PairScore:
    """Longest in-order chain of matching sentences (cosine >= SENTENCE_MATCH), over the shorter."""
    shorter = min(len(first), len(second))
    if shorter == 0:
        return PairScore(coverage=0.0, aligned=0, shorter=0)
    previous = [0] * (len(second) + 1)
    for vector in first:
        current = [0] * (len(second) + 1)
        for j, other in enumerate(second):
            match = previous[j] + 1 if _cosine(vector, other) >= SENTENCE_MATCH else 0
            current[j + 1] = max(previous[j + 1], current[j], match)
        previous = current
    aligned = previous[-1]
    return PairScore(coverage=aligned / shorter, aligned=aligned, shorter=shorter)


def choose_original(members: Sequence[Article]) -> tuple[Article, str]:
    """The article that looks like the original, and why.

    In order: a syndication line in one member naming another member's outlet; the earliest
    date; the most complete text; the first file name.
    """
    for copy in members:
        source = copy.metadata.syndicated_from
        if not source:
            continue
        for candidate in members:
            if candidate is not copy and _same_outlet(source, candidate.metadata.outlet):
                return candidate, (f"{copy.id} says it first ran in {source}, the outlet of {candidate.id}")
    dated = [(d, m) for m in members if (d := _parse_date(m.metadata.date)) is not None]
    if len(dated) == len(members) and len({d for d, _ in dated}) > 1:
        earliest, article = min(dated, key=lambda pair: pair[0])
        return article, f"earliest date ({article.metadata.date})"
    syndicated = [m for m in members if m.metadata.syndicated_from]
    candidates = [m for m in members if m not in syndicated] or list(members)
    longest = max(candidates, key=lambda m: (len(_story_sentences(m)), _length(m)))
    if sum(1 for m in candidates if _length(m) == _length(longest)) == 1:
        return longest, (
            f"most complete text ({len(_story_sentences(longest))} sentences, {_length(longest)} characters)"
        )
    first = min(candidates, key=lambda m: m.id)
    return first, "no syndication line, date or length difference: first file name"


def _story_sentences(article: Article) -> list[str]:
    """Body sentences; headings are too short and too generic to align on."""
    return [s.text for p in article.paragraphs if p.kind == "text" for s in p.sentences]


def _terms(sentence: str) -> Counter[str]:
    words = (w.lower() for w in HYPHENATED_WORD.findall(sentence))
    # Function words and reporting verbs: frequent in every article, so they carry no identity.
    terms = Counter(prefix_stem(w) for w in words if len(w) >= MIN_WORD_LENGTH and w not in DEDUP_STOP_WORDS)
    terms.update("#" + mention.value for mention in find_numbers(sentence, "id"))
    return terms


def _inverse_document_frequency(sentences: list[str]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    for sentence in sentences:
        frequency.update(set(_terms(sentence)))
    total = len(sentences)
    # +1 keeps a term found in every sentence slightly above zero weight.
    return {term: math.log((total + 1) / count) for term, count in frequency.items()}


def _unit_vector(terms: Counter[str], idf: dict[str, float]) -> Vector:
    weights = {t: n * idf.get(t, 0.0) for t, n in terms.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def _cosine(first: Vector, second: Vector) -> float:
    if len(first) > len(second):
        first, second = second, first
    return sum(weight * second.get(term, 0.0) for term, weight in first.items())


def _connected_groups(articles: Sequence[Article], scores: dict[tuple[str, str], PairScore]) -> list[list[str]]:
    """Articles linked by duplicate pairs, each group in input order; singletons left out."""
    parent = {a.id: a.id for a in articles}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for (first, second), score in scores.items():
        if score.is_duplicate:
            parent[root(first)] = root(second)
    groups: dict[str, list[str]] = {}
    for article in articles:
        groups.setdefault(root(article.id), []).append(article.id)
    return [members for members in groups.values() if len(members) > 1]


def _pair_key(first: str, second: str) -> tuple[str, str]:
    return (first, second) if first <= second else (second, first)


def _same_outlet(named: str, outlet: str | None) -> bool:
    """ "detikSumut" names outlet "detikSumut"; "Kompas.com" names "Kompas"."""
    if not outlet:
        return False
    named_key = OUTLET_KEY.sub("", named.lower())
    outlet_key = OUTLET_KEY.sub("", outlet.lower())
    return bool(named_key and outlet_key) and (outlet_key in named_key or named_key in outlet_key)


def _parse_date(value: str | None) -> datetime | None:
    """An ISO date/datetime as a comparable naive UTC datetime (a bare date counts as midnight)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _length(article: Article) -> int:
    return sum(len(s) for s in _story_sentences(article))
