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
from difflib import SequenceMatcher
from itertools import combinations

from summarizer.document import Article, DuplicateCluster, Sentence
from summarizer.ingest.outlets import portal_for
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


# Share of the aligned sentences whose names or figures contradict each other at which two
# articles are two reports from one template (two defendants' verdicts), not one report. One such
# pair in a short article is enough; a long wire copy may carry a single misprint.
CONTRADICTION_SHARE = 0.2
MIN_CONTRADICTIONS = 2
# Share of the LONGER article that must align too: two outlets quoting one hearing share the
# quotes (hasto 03/04 in the corpus: 59% of the shorter, 36% of the longer), a copy shares its text.
LONGER_COVERAGE = 0.5
# ... unless nearly all of the shorter one aligns: an excerpt or a truncated copy of the longer.
EXCERPT_COVERAGE = 0.9
# One outlet does not run one report twice: two of its articles are copies only when nearly all
# of both align (a re-post); otherwise the later one is an update that re-uses the earlier text.
SAME_OUTLET_COVERAGE = 0.9
# Two spellings of one name ("Juhanda"/"Johanda") are the same name at this similarity.
SAME_NAME = 0.8
NAME = re.compile(r"\b[A-Z][\w'’-]*[A-Za-z]")


@dataclass(frozen=True)
class SentenceFacts:
    """What a sentence says that a copy must repeat: its vector, names and figures."""

    vector: Vector
    names: frozenset[str]
    figures: frozenset[str]


@dataclass
class PairScore:
    """How much of the shorter article's sentence sequence the longer one reproduces."""

    coverage: float  # aligned sentences / sentences of the shorter article, 0..1
    aligned: int
    shorter: int  # sentence count of the shorter article
    contradictions: int = 0  # similar sentence pairs whose names or figures differ
    example: str = ""  # one such difference, for the user
    longer: int = 0  # sentence count of the longer article
    same_outlet: bool = False  # both published by one portal

    @property
    def longer_coverage(self) -> float:
        return self.aligned / self.longer if self.longer else 0.0

    @property
    def vetoed(self) -> bool:
        """Aligned sentences naming different people, places or figures: not the same report."""
        share = self.contradictions / self.aligned if self.aligned else 0.0
        return self.contradictions >= MIN_CONTRADICTIONS or (self.contradictions > 0 and share >= CONTRADICTION_SHARE)

    @property
    def is_duplicate(self) -> bool:
        enough = self.aligned >= min(MIN_ALIGNED, self.shorter)
        if self.same_outlet and self.longer_coverage < SAME_OUTLET_COVERAGE:
            return False  # an outlet's update or follow-up re-uses its earlier text: a new report
        if self.longer_coverage < LONGER_COVERAGE and self.coverage < EXCERPT_COVERAGE:
            return False  # the longer one is mostly its own reporting around shared quotes
        return self.shorter > 0 and enough and self.coverage >= DUPLICATE_COVERAGE and not self.vetoed


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
    # A capitalised word the folder also writes in lowercase ("Polisi"/"polisi") is a common word
    # in a title-cased phrase, not a name.
    common = {w for texts in sentences.values() for s in texts for w in HYPHENATED_WORD.findall(s) if w[:1].islower()}
    facts = {aid: [sentence_facts(s, idf, common) for s in texts] for aid, texts in sentences.items()}
    scores = {}
    for a, b in combinations(articles, 2):
        score = score_pair(facts[a.id], facts[b.id])
        score.same_outlet = _same_portal(a, b)
        scores[_pair_key(a.id, b.id)] = score
    return scores


def sentence_facts(
    sentence: str, idf: dict[str, float], common: set[str] | frozenset[str] = frozenset()
) -> SentenceFacts:
    # The first word is capitalised by position, not because it is a name.
    names = frozenset(n.lower() for n in NAME.findall(sentence)[1:] if n.lower() not in common | DEDUP_STOP_WORDS)
    figures = frozenset(_figure_key(m.value, m.kind) for m in find_numbers(sentence, "id"))
    return SentenceFacts(_unit_vector(_terms(sentence), idf), names, figures)


def score_pair(first: Sequence[SentenceFacts | Vector], second: Sequence[SentenceFacts | Vector]) -> PairScore:
    """Longest in-order chain of matching sentences (cosine >= SENTENCE_MATCH), over the shorter,
    and how many similar sentence pairs contradict each other (see contradiction)."""
    left, right = [_as_facts(f) for f in first], [_as_facts(f) for f in second]
    shorter = min(len(left), len(right))
    if shorter == 0:
        return PairScore(coverage=0.0, aligned=0, shorter=0)
    contradictions, example = 0, ""
    previous = [0] * (len(right) + 1)
    for facts in left:
        current = [0] * (len(right) + 1)
        for j, other in enumerate(right):
            similar = _cosine(facts.vector, other.vector) >= SENTENCE_MATCH
            differs = contradiction(facts, other) if similar else None
            if differs:
                contradictions += 1
                example = example or differs
            match = previous[j] + 1 if similar else 0
            current[j + 1] = max(previous[j + 1], current[j], match)
        previous = current
    aligned = previous[-1]
    return PairScore(aligned / shorter, aligned, shorter, contradictions, example, max(len(left), len(right)))


def contradiction(first: SentenceFacts, second: SentenceFacts) -> str | None:
    """How two similar sentences disagree: each has a figure, or a name, the other lacks (a
    substitution, not an addition; near-spellings of one name count as the same). None if not."""
    figures = sorted(first.figures - second.figures), sorted(second.figures - first.figures)
    if figures[0] and figures[1]:
        return f"figures {', '.join(figures[0])} vs {', '.join(figures[1])}"
    only_first = sorted(n for n in first.names - second.names if not _has_spelling(n, second.names))
    only_second = sorted(n for n in second.names - first.names if not _has_spelling(n, first.names))
    if only_first and only_second:
        return f"names {', '.join(only_first)} vs {', '.join(only_second)}"
    return None


def _has_spelling(name: str, names: frozenset[str]) -> bool:
    """One name in another spelling, or glued to the next word where a link was stripped."""
    return any(
        name in other or other in name or SequenceMatcher(None, name, other).ratio() >= SAME_NAME for other in names
    )


def _figure_key(value: str, kind: str) -> str:
    """Dates compare on day and month: "Kamis (19/6)" and "19 Juni 2025" are one date."""
    if kind == "date" and len(value) >= 5 and value[-3] == "-" and value.count("-") >= 2:
        return value[-5:]
    return value


def _same_portal(first: Article, second: Article) -> bool:
    one, other = portal_for(first.metadata.outlet or ""), portal_for(second.metadata.outlet or "")
    return one is not None and one == other


def _as_facts(value: SentenceFacts | Vector) -> SentenceFacts:
    return value if isinstance(value, SentenceFacts) else SentenceFacts(value, frozenset(), frozenset())


def copy_only_sentences(articles: Sequence[Article], clusters: Sequence[DuplicateCluster]) -> set[str]:
    """Ids of the sentences a copy has and its original lacks (background one outlet added).

    They are facts of their own: they stay in the evidence and are cited to the copy.
    """
    by_id = {a.id: a for a in articles}
    found: set[str] = set()
    for cluster in clusters:
        if cluster.original not in by_id:
            continue
        members = [by_id[m] for m in [cluster.original, *cluster.copies] if m in by_id]
        texts = [s.text for a in members for s in _story_sentence_items(a)]
        idf = _inverse_document_frequency(texts)
        original = [_unit_vector(_terms(s.text), idf) for s in _story_sentence_items(by_id[cluster.original])]
        for copy in members[1:]:
            for sentence in _story_sentence_items(copy):
                vector = _unit_vector(_terms(sentence.text), idf)
                if all(_cosine(vector, other) < SENTENCE_MATCH for other in original):
                    found.add(sentence.id)
    return found


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
    return [s.text for s in _story_sentence_items(article)]


def _story_sentence_items(article: Article) -> list[Sentence]:
    return [s for p in article.paragraphs if p.kind == "text" for s in p.sentences]


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
