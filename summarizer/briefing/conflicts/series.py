"""Values that belong to a series and are compared within it: a match's score at one moment,
and a row of a price table.

A score changes during a match, so two outlets' scores are compared only at a moment both name:
the final whistle ("skor akhir", "berakhir"), half-time ("babak pertama") or a minute ("pada
menit ke-58", "Jalan 19 Menit"). "Untuk sementara 4-0" names no moment and is left alone. Team
order does not matter ("0-6" is "6-0"), and two scores whose sentences name different pairings
("A vs B", "C vs D") are of different matches.

A price table ("Harga emas Galeri24 50 gram: Rp 93.863.000") is compared row by row with another
outlet's table of the same label only when the two agree on most of the rows they share: then a
row that differs is a misprint in one of them. Two tables that differ everywhere are of different
sellers or days, and no row of them is a conflict.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

from summarizer.briefing.conflicts.model import Conflict, ConflictClaim, Story, conflict_of
from summarizer.output.labels import Message
from summarizer.text.numbers import find_numbers

_SCORE = re.compile(r"(?<![\d/.,:+])(?P<a>\d{1,2})\s?[-–]\s?(?P<b>\d{1,2})(?![\d/.,:'’])")
_FINAL = re.compile(
    r"\b(?:skor\s+akhir|hasil\s+akhir|berakhir|laga\s+usai|usai\s+laga|full[- ]time|peluit\s+panjang|kelar)\b",
    re.IGNORECASE,
)
_HALF_TIME = re.compile(r"\b(?:babak\s+(?:pertama|I)\b|turun\s+minum|jeda\s+babak|half[- ]time)", re.IGNORECASE)
_MINUTE = re.compile(r"\bmenit\s+(?:ke-?\s?)?(?P<n>\d{1,3})\b|\b(?P<m>\d{1,3})\s+menit\b", re.IGNORECASE)
_INTERIM = re.compile(r"\b(?:sementara|untuk\s+sementara)\b", re.IGNORECASE)
_PAIRING = re.compile(
    r"(?P<home>(?:[A-Z][^\W\d_]*\s+){0,2}[A-Z][^\W\d_]*)\s+(?i:vs\.?|versus|kontra|melawan)\s+"
    r"(?P<away>[A-Z][^\W\d_]*(?:\s+[A-Z][^\W\d_]*){0,2})"
)
MAX_SCORES_PER_MOMENT = 2  # a story with more lists several matches

_ROW = re.compile(
    r"(?P<label>[^\W\d_][\w]*(?:[ \t]+[^\W\d_][\w]*){0,3}?)\s*(?<![\d.,])(?P<size>\d+(?:,\d+)?)\s*"
    r"(?P<unit>gram|gr|kg|kilogram)\s*:\s*(?P<value>(?:Rp\.?\s?)?\d{1,3}(?:\.\d{3})+)(?![.,]?\d)",
)
_MIN_AGREEING_ROWS = 2


def series_conflicts(stories: list[Story]) -> list[Conflict]:
    return score_conflicts(stories) + table_conflicts(stories)


# ---- scores --------------------------------------------------------------------------------------


Pairing = tuple[frozenset[str], frozenset[str]]  # the two sides' name words


def score_conflicts(stories: list[Story]) -> list[Conflict]:
    found: list[tuple[str, ConflictClaim, Pairing | None, frozenset[str]]] = []
    for story in stories:
        mine: list[tuple[str, ConflictClaim, Pairing | None, frozenset[str]]] = []
        for sentence_id, text in story.sentences:
            for score in _SCORE.finditer(text):
                moment = _moment(text)
                if moment is not None:
                    claim = story.claim(sentence_id, _score(score), _score_phrase(text, score))
                    mine.append((moment, claim, _pairing(text), _words(text)))
        for moment in {m for m, *_ in mine}:
            at = [item for item in mine if item[0] == moment]
            if len({c.value for _, c, _, _ in at}) <= MAX_SCORES_PER_MOMENT:
                found += at  # more scores for one moment: a round-up of several matches
    matches = _matches([pairing for _, _, pairing, _ in found if pairing])
    by_key: dict[tuple[str, int], list[ConflictClaim]] = defaultdict(list)
    for moment, claim, pairing, words in found:
        which = _match_of(pairing, words, matches)
        if which is not None:
            by_key[(moment, which)].append(claim)
    conflicts = []
    for (moment, _), claims in sorted(by_key.items()):
        involved = {c.source for c in claims if any(o.source != c.source and o.value != c.value for o in claims)}
        if involved:
            # Every score the involved stories give for that moment: a story may contradict itself
            # too ("berakhir 0-6" and "Skor akhir 5-0").
            conflicts.append(conflict_of(_score_what(moment), "score", [c for c in claims if c.source in involved]))
    return conflicts


def _same_match(first: Pairing, second: Pairing) -> bool:
    """Both sides name the same teams, in either order ("Jepang vs Indonesia", "Timnas Indonesia
    vs Timnas Jepang")."""
    (a, b), (c, d) = first, second
    return bool((a & c and b & d) or (a & d and b & c))


def _matches(pairings: list[Pairing]) -> list[Pairing]:
    """The matches the folder names, pairings of the same teams joined."""
    matches: list[Pairing] = []
    for pairing in pairings:
        for i, known in enumerate(matches):
            if _same_match(known, pairing):
                if known[0] & pairing[0]:
                    matches[i] = (known[0] | pairing[0], known[1] | pairing[1])
                else:
                    matches[i] = (known[0] | pairing[1], known[1] | pairing[0])
                break
        else:
            matches.append(pairing)
    return matches


def _match_of(pairing: Pairing | None, words: frozenset[str], matches: list[Pairing]) -> int | None:
    """Which match a score is of: its own pairing's, the one whose two teams its sentence names,
    or the folder's only one. None when that cannot be told."""
    if pairing:
        return next((i for i, m in enumerate(matches) if _same_match(m, pairing)), None)
    naming = [i for i, (home, away) in enumerate(matches) if home & words and away & words]
    if len(naming) == 1:
        return naming[0]
    return 0 if len(matches) <= 1 and not naming else None


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"[^\W\d_]+", text))


def _moment(text: str) -> str | None:
    """The moment of the match a sentence's score is at ("full time", "half-time" or a minute),
    or None when it names none."""
    minutes = {m.group("n") or m.group("m") for m in _MINUTE.finditer(text)}
    if len(minutes) == 1:
        return minutes.pop()
    if minutes:
        return None  # several minutes: which one the score is at is unclear
    if _HALF_TIME.search(text):
        return _HALF
    if _FINAL.search(text) and not _INTERIM.search(text):
        return _FULL
    return None


_FULL, _HALF = "full time", "half-time"


def _score_what(moment: str) -> Message:
    if moment == _FULL:
        return Message("conflict.score_full_time")
    if moment == _HALF:
        return Message("conflict.score_half_time")
    return Message("conflict.score_minute", minute=moment)


def _score(match: re.Match[str]) -> str:
    low, high = sorted((int(match.group("a")), int(match.group("b"))))
    return f"{high}-{low}"


def _score_phrase(text: str, match: re.Match[str]) -> str:
    """The score with up to three words before it: "berakhir dengan skor 6-0"."""
    before = re.findall(r"\S+", text[: match.start()])[-3:]
    return " ".join([*before, match.group(0)]).strip(" ,:;(")


def _pairing(text: str) -> Pairing | None:
    """ "Timnas Indonesia vs Timnas Jepang" → ({indonesia}, {jepang}): a word on both sides
    ("Timnas") names no team."""
    match = _PAIRING.search(text)
    if not match:
        return None
    home = frozenset(w.lower() for w in match.group("home").split())
    away = frozenset(w.lower() for w in match.group("away").split())
    return home - away, away - home


# ---- price tables --------------------------------------------------------------------------------


def table_conflicts(stories: list[Story]) -> list[Conflict]:
    tables = {story.source: _table(story) for story in stories}
    differing: dict[tuple[str, str, str], list[ConflictClaim]] = defaultdict(list)
    labels: dict[tuple[str, str, str], str] = {}
    for first, second in combinations(stories, 2):
        a, b = tables[first.source], tables[second.source]
        shared = set(a) & set(b)
        agree = {row for row in shared if {c.value for c in a[row]} & {c.value for c in b[row]}}
        differ = shared - agree
        if not differ or len(agree) < _MIN_AGREEING_ROWS or len(agree) < len(differ):
            continue  # tables that differ as much as they agree are of different sellers or days
        for row in differ:
            differing[row] += a[row] + b[row]
            labels[row] = _row_label(a[row][0].text)
    return [conflict_of(labels[row], "table", claims) for row, claims in sorted(differing.items())]


def _table(story: Story) -> dict[tuple[str, str, str], list[ConflictClaim]]:
    """A story's price-table rows: (label, size, unit) → its claims, one per value."""
    body = story.body
    joined = " ".join(text for _, text in body)
    rows: dict[tuple[str, str, str], list[ConflictClaim]] = defaultdict(list)
    for match in _ROW.finditer(joined):
        money = find_numbers(match.group("value"), "id")
        if not money:
            continue
        label = re.sub(r"[^a-z]", "", match.group("label").lower())
        key = (label, match.group("size").replace(",", "."), match.group("unit").lower())
        value = money[0].value
        if value in {c.value for c in rows[key]}:
            continue
        written = " ".join(match.group(0).split())
        sentence_id = next((sid for sid, text in body if match.group("value") in text), body[0][0])
        rows[key].append(story.claim(sentence_id, value, written))
    return rows


def _row_label(written: str) -> str:
    """ "Harga emas Galeri24 50 gram: Rp 93.863.000" → "Harga emas Galeri24 50 gram"."""
    return written.split(":")[0].strip()
