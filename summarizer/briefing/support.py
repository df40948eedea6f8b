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
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations

from summarizer.briefing.sources import SourceNumbering
from summarizer.document import Folder, article_of
from summarizer.output.labels import Message
from summarizer.text.lexicon import EN_DAY_NAMES, ID_DAY_NAMES, SUPPORT_STOP_WORDS, WORD, loose_stem
from summarizer.text.numbers import find_numbers
from summarizer.text.speech import find_speaker, same_speaker

# Share of a sentence's content words (names excluded: they are checked one by one) that must
# appear in its evidence. Names and numbers carry most of a news sentence's checkable content,
# so the wording bar only has to stop sentences that reuse the story's names around invented
# events ("Russia announced a ceasefire with Ukraine" scores 0.25 against the seeds).
MIN_OVERLAP = 0.6
# An attributed claim ("X said ...") needs one evidence sentence that carries at least this
# share of its content words and has X (or X's role) as its speaker.
MIN_ATTRIBUTED_OVERLAP = 0.5
# A briefing sentence may merge facts from a few source sentences of one story, not more.
MAX_EVIDENCE_SENTENCES = 3

_NEGATION_TOKEN = re.compile(r"[^\W\d_]+(?:'t)?", re.UNICODE)
_NEGATORS = {
    "en": frozenset("not no never cannot nor none".split()),
    "id": frozenset("tidak tak belum bukan tanpa jangan enggak nggak".split()),
}
# Clause boundaries: punctuation, and contrastive conjunctions that join two statements. Not a
# bare "and" ("senjata dan rudal": it mostly joins phrases within one claim), nor "after",
# "because" and the like: a relation between two facts must itself be stated by one source.
_CLAUSE_BREAK = {
    "en": re.compile(r"[,;:]\s+|\s+[-–—]\s+|\s+(?:while|but|whereas)\s+"),
    "id": re.compile(r"[,;:]\s+|\s+[-–—]\s+|\s+(?:sementara|sedangkan|namun|tetapi)\s+"),
}
_DAY = re.compile(r"\b(?:" + "|".join(ID_DAY_NAMES + EN_DAY_NAMES) + r")\b")
# A clause needs this many content words to stand as a claim of its own.
MIN_CLAUSE_WORDS = 5
# A clause stated by one evidence sentence may take at most this many words less one from another.
MAX_BORROWED = 2
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
    # Who the sentence says makes the claim (lower-cased name/role words); None when it
    # attributes nothing or only to a pronoun.
    speaker: frozenset[str] | None = None
    negated: frozenset[str] = frozenset()  # stems of the words a negation applies to
    days: tuple[tuple[str, str | None], ...] = ()  # day names, each with the date it heads
    # The sentence's clauses, each with its own facts: when the evidence is several sentences,
    # each clause must come from one of them, so facts of different sentences (a name from
    # one, an event from another) cannot be combined into a claim none of them makes.
    clauses: tuple[Facts, ...] = ()

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


@lru_cache(maxsize=1 << 14)
def claim_facts(text: str, language: str) -> Facts:
    """Reduce a (briefing) sentence to the facts it asserts."""
    facts = _facts(text, language)
    parts = _clauses(text, language)
    if len(parts) < 2:
        return replace(facts, clauses=(facts,))
    return replace(facts, clauses=tuple(_clause_facts(part, facts, language) for part in parts))


def _clause_facts(part: str, sentence: Facts, language: str) -> Facts:
    """A clause's facts, with the names found in the whole sentence: a name that opens a clause
    ("..., Barat telah ...") is still a name, not a word the overlap may skip."""
    facts = _facts(part, language)
    stems = {loose_stem(t) for t in WORD.findall(part)}
    names = tuple(name for name in sentence.names if all(p in stems for p in name))
    name_stems = {p for name in names for p in name}
    return replace(facts, names=names, words=facts.words - name_stems)


def _clauses(text: str, language: str) -> list[str]:
    """The sentence cut at clause boundaries; fragments too small to say anything join the previous."""
    clauses: list[str] = []
    for part in _CLAUSE_BREAK[_lang(language)].split(text):
        if clauses and len(_content_tokens(part, language)) < MIN_CLAUSE_WORDS:
            clauses[-1] += " " + part
        elif part.strip():
            clauses.append(part)
    if len(clauses) > 1 and len(_content_tokens(clauses[0], language)) < MIN_CLAUSE_WORDS:
        clauses[1] = clauses[0] + " " + clauses[1]
        clauses.pop(0)
    return clauses


def _content_tokens(text: str, language: str) -> list[str]:
    stops = stop_words(language)
    return [t for t in WORD.findall(text) if t.lower() not in stops and len(t) > 1]


def _lang(language: str) -> str:
    return "id" if language in ("id", "ms") else "en"


def negated_words(text: str, language: str) -> frozenset[str]:
    """Stems of the content words that a negation applies to ("tidak berpotensi" → berpotensi)."""
    tokens = [t.lower() for t in _NEGATION_TOKEN.findall(text)]
    stops = stop_words(language) - _NEGATORS[_lang(language)]
    negated = set()
    for i, token in enumerate(tokens):
        if token in _NEGATORS[_lang(language)] or token.endswith("n't"):
            following = [t for t in tokens[i + 1 : i + 4] if t not in stops and t not in _NEGATORS[_lang(language)]]
            if following:
                negated.add(loose_stem(following[0]))
    return frozenset(negated)


def _facts(text: str, language: str) -> Facts:
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
    speaker = find_speaker(text, language)
    said_by = speaker.words if speaker and not speaker.pronoun and speaker.words else None
    days = day_dates(text, language)
    return Facts(frozenset(words), tuple(names), numbers, quotes, said_by, negated_words(text, language), days=days)


def day_dates(text: str, language: str) -> tuple[tuple[str, str | None], ...]:
    """Each day name with the date written right after it ("Rabu (18/6)" → ("rabu", "--06-18")),
    or None. A day is a calendar fact like a number, wherever it stands in the sentence."""
    dates = [m for m in find_numbers(text, language) if m.kind == "date"]
    found = []
    for match in _DAY.finditer(text):
        after = next((m for m in dates if 0 <= m.start - match.end() <= 3), None)
        found.append((match.group().casefold().replace("'", ""), after.value if after else None))
    return tuple(found)


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
    # Its speaker (a pronoun resolved to the last speaker named before it in the article), or
    # None when it reports no speech; then `mentions` (its capitalised words and the last
    # speaker) stand in, so a quote continued from the previous sentence keeps its speaker.
    speaker: frozenset[str] | None = None
    mentions: frozenset[str] = frozenset()
    negated: frozenset[str] = frozenset()
    days: tuple[tuple[str, str | None], ...] = ()


class EvidencePool:
    """Every source sentence in the briefing language, grouped by source number."""

    def __init__(self, sentences: list[EvidenceSentence], language: str) -> None:
        self.language = language
        self.sentences = sentences
        self.by_id = {s.id: s for s in sentences}
        self.by_number: dict[int, list[EvidenceSentence]] = {}
        self._trigrams: dict[tuple[str, ...], set[str]] | None = None
        for sentence in sentences:
            self.by_number.setdefault(sentence.number, []).append(sentence)

    def spliced_words(self, text: str, evidence: list[EvidenceSentence]) -> list[str]:
        """Content words of `text` that its evidence lacks but that sit, three words in a row
        with their neighbours, in another source sentence: a claim spliced from a sentence the
        citations do not cover (a paraphrase's own words are not found verbatim elsewhere)."""
        if self._trigrams is None:
            self._trigrams = {}
            for sentence in self.sentences:
                for gram in _trigrams(sentence.text):
                    self._trigrams.setdefault(gram, set()).add(sentence.id)
        ids = {e.id for e in evidence}
        stems = frozenset().union(*(e.stems for e in evidence)) if evidence else frozenset()
        stops = stop_words(self.language)
        spliced: list[str] = []
        for gram in _trigrams(text):
            if not self._trigrams.get(gram, set()) - ids:
                continue
            spliced += [w for w in gram if w not in stops and not _has_word(loose_stem(w), stems) and w not in spliced]
        return spliced

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
            last_speaker: frozenset[str] = frozenset()
            for position, sentence in enumerate(article.sentences()):
                text = sentence_texts.get(sentence.id)
                if text:
                    copy = article.id in sources.copies
                    evidence = _evidence(sentence.id, number, position, copy, text, language, last_speaker)
                    sentences.append(evidence)
                    if evidence.speaker:
                        last_speaker = evidence.speaker
        return cls(sentences, language)


def _trigrams(text: str) -> list[tuple[str, ...]]:
    words = [w.lower() for w in WORD.findall(text)]
    return [tuple(words[i : i + 3]) for i in range(len(words) - 2)]


def _evidence(
    sid: str,
    number: int,
    position: int,
    copy: bool,
    text: str,
    language: str,
    last_speaker: frozenset[str] = frozenset(),
) -> EvidenceSentence:
    stems = frozenset(loose_stem(t) for t in WORD.findall(text))
    numbers = frozenset(v for m in find_numbers(text, language) for v in m.values)
    found = find_speaker(text, language)
    speaker = None if found is None else (last_speaker if found.pronoun else found.words)
    mentions = frozenset(w.lower() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text) if w[:1].isupper())
    return EvidenceSentence(
        sid,
        number,
        position,
        copy,
        text,
        stems,
        numbers,
        normalize_quotes(text),
        speaker,
        mentions | last_speaker,
        negated_words(text, language),
        day_dates(text, language),
    )


@dataclass
class Support:
    """Whether some evidence supports some facts, and if not, what is missing."""

    supported: bool
    overlap: float
    problems: list[Message]  # worded in the briefing's language by each output


@lru_cache(maxsize=1 << 18)
def _has_word(word: str, stems: frozenset[str]) -> bool:
    # same_word needs a common prefix of at least 5 letters, so only stems sharing the first
    # five can match (a cheap filter: this runs for every word against every candidate).
    if word in stems:
        return True
    head = word[:5]
    return len(word) >= 5 and any(same_word(word, s) for s in stems if s.startswith(head))


def missing_facts(facts: Facts, evidence: list[EvidenceSentence]) -> list[Message]:
    """The numbers, names and quotations of `facts` that the evidence does not contain."""
    stems = frozenset().union(*(e.stems for e in evidence))
    values = frozenset().union(*(e.numbers for e in evidence))
    joined = " ".join(e.normalized for e in evidence)
    problems = [Message("support.number", number=n[0]) for n in facts.numbers if not values & set(n)]
    problems += [
        Message("support.name", name=" ".join(name))
        for name in facts.names
        if not all(_has_word(part, stems) for part in name)
    ]
    problems += [Message("support.quote", quote=q) for q in facts.quotes if q not in joined]
    if facts.speaker and evidence and not any(_says_it(facts, e) for e in evidence):
        problems.append(Message("support.speaker", speaker=" ".join(sorted(facts.speaker))))
    return problems


def speaks(speaker: frozenset[str], sentence: EvidenceSentence) -> bool:
    """Is `speaker` the one making the sentence's claim (or, if it reports no speech, named in it)?"""
    if sentence.speaker is not None:
        return same_speaker(speaker, sentence.speaker)
    return same_speaker(speaker, sentence.mentions)


def _says_it(facts: Facts, sentence: EvidenceSentence) -> bool:
    """The sentence carries much of the claim and has the claimed speaker making it."""
    assert facts.speaker is not None
    if facts.words:
        found = sum(1 for w in facts.words if _has_word(w, sentence.stems))
        if found / len(facts.words) < MIN_ATTRIBUTED_OVERLAP:
            return False
    return speaks(facts.speaker, sentence)


def check_support(facts: Facts, evidence: list[EvidenceSentence]) -> Support:
    """Every number, name and quotation found in the evidence, and enough of the wording."""
    if not facts.checkable:
        return Support(False, 0.0, [Message("support.too_little")])
    if not evidence:
        return Support(False, 0.0, [Message("support.no_evidence")])
    stems = frozenset().union(*(e.stems for e in evidence))
    problems = missing_facts(facts, evidence)
    found = sum(1 for w in facts.words if _has_word(w, stems))
    overlap = found / len(facts.words) if facts.words else 1.0
    if overlap < MIN_OVERLAP:
        problems.append(Message("support.overlap", overlap=overlap, minimum=MIN_OVERLAP))
    if not problems:
        problems += _clause_problems(facts, evidence)
    return Support(not problems, overlap, problems)


def _clause_problems(facts: Facts, evidence: list[EvidenceSentence]) -> list[Message]:
    """Each clause must be stated by one evidence sentence, with the same negations."""
    problems = []
    for clause in facts.clauses or (facts,):
        stating = [e for e in evidence if _states(clause, e)]
        if not stating:
            problems.append(Message("support.unstated", clause=_clause_text(clause)))
        elif not any(_same_polarity(clause, e) for e in stating):
            problems.append(Message("support.negated", clause=_clause_text(clause)))
        elif len(evidence) > 1 and all(len(_borrowed(clause, e, evidence)) >= MAX_BORROWED for e in stating):
            borrowed = sorted(_borrowed(clause, stating[0], evidence))
            problems.append(Message("support.fused", clause=_clause_text(clause), words=", ".join(borrowed)))
    return problems


def _borrowed(clause: Facts, sentence: EvidenceSentence, evidence: list[EvidenceSentence]) -> set[str]:
    """Words of the clause its stating sentence lacks but another evidence sentence has: the
    mark of two sentences spliced into one claim (a paraphrase's own words are in neither)."""
    parts = clause.words | {p for name in clause.names for p in name}
    others = [e for e in evidence if e is not sentence]
    return {w for w in parts if not _has_word(w, sentence.stems) and any(_has_word(w, other.stems) for other in others)}


def _clause_text(clause: Facts) -> str:
    return " ".join(sorted({*clause.words, *(p for n in clause.names for p in n)}))[:60]


def _states(clause: Facts, sentence: EvidenceSentence) -> bool:
    """One sentence carries the clause: its names, numbers and quotations, and its wording."""
    if missing_facts(replace(clause, speaker=None), [sentence]) or not _same_days(clause, sentence):
        return False
    if not clause.words:
        return True
    found = sum(1 for w in clause.words if _has_word(w, sentence.stems))
    return found / len(clause.words) >= MIN_OVERLAP


def _same_days(clause: Facts, sentence: EvidenceSentence) -> bool:
    """Every day the clause names is in the sentence, on the same date where both give one."""
    for day, date in clause.days:
        if not any(d == day and (date is None or other in (date, None)) for d, other in sentence.days):
            return False
        if date is not None and any(other == date and d != day for d, other in sentence.days):
            if not any(other == date and d == day for d, other in sentence.days):
                return False
    return True


def _same_polarity(clause: Facts, sentence: EvidenceSentence) -> bool:
    """What the clause negates the sentence negates, and it negates nothing the clause asserts."""
    if not all(_has_word(w, sentence.negated) for w in clause.negated):
        return False
    asserted = clause.words - clause.negated
    return not any(_has_word(w, sentence.negated) and not _has_word(w, clause.negated) for w in asserted)


def _items(facts: Facts) -> list[tuple[str, float, object]]:
    """The facts as weighted items, so evidence can be ranked by how much it covers."""
    items: list[tuple[str, float, object]] = [("n", 3.0, n) for n in facts.numbers]
    items += [("q", 3.0, q) for q in facts.quotes]
    items += [("w", 1.5, part) for name in facts.names for part in name]
    items += [("w", 1.0, w) for w in facts.words]
    if facts.speaker:
        items.append(("s", 3.0, facts.speaker))
    return items


def _covers(sentence: EvidenceSentence, item: tuple[str, float, object]) -> bool:
    kind, _, value = item
    if kind == "s":
        assert isinstance(value, frozenset)
        return speaks(value, sentence)
    if kind == "n":
        assert isinstance(value, tuple)
        return bool(sentence.numbers & set(value))
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
    if len(chosen) > 1 and not check_support(facts, chosen).supported:
        # Support is not monotonic (a sentence that lends a clause words it does not state
        # makes a fusion), so a smaller set may hold where the greedy one fails.
        subsets = (list(c) for size in range(1, len(chosen)) for c in combinations(chosen, size))
        found = next((c for c in subsets if check_support(facts, c).supported), None)
        if found:
            return trim_evidence(facts, found)
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
