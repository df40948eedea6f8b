"""Values the outlets contradict each other on: who said what, and where.

Every figure of every briefed article is read from the ORIGINAL sentence with what it measures:
the content word before it ("kedalaman 10 km", "magnitudo 4,8", "pukul 10.30"), the unit or noun
after it ("20 bus", "0,45 persen"), and its kind (count, money, percentage, time, date). Two
more kinds are read whole: identifiers ("SV-5726" vs "SV 5276": a letter prefix and a number)
and the weekday given for a date ("Selasa (10/6/2025)" vs "Kamis (10/6/2025)").

Two stories contradict each other when they give different values for one such key in sentences
about the same thing (they share a name or content word besides the key). An article that gives
several values for one key is listing them (a price table, a timeline) and is left out of that key.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from summarizer.document import Folder
from summarizer.output.labels import Message
from summarizer.text.lexicon import (
    FIGURE_LEAD_WORDS,
    ID_CLASSIFIER_WORDS,
    ID_DAY_NAMES,
    ID_NUMBER_WORDS,
    ID_VAGUE_QUANTITY_WORDS,
    MONTH_NAMES,
)
from summarizer.text.numbers import NumberMention, find_numbers

_FILLER = FIGURE_LEAD_WORDS
_WORD_COUNT = re.compile(
    r"\b(?P<word>"
    + "|".join(sorted({*ID_NUMBER_WORDS, *ID_VAGUE_QUANTITY_WORDS}, key=len, reverse=True))
    + r")\s+(?P<noun>[^\W\d_]{3,})",
    re.IGNORECASE,
)
# Units spelled several ways.
_UNITS = {"kilometer": "km", "km": "km", "meter": "m", "persen": "%", "%": "%", "kg": "kg", "kilogram": "kg"}
# Coordinates (latitude south/north, longitude east/west): one place has one of each, so the unit
# alone says what the figure is, whatever word comes before it.
_COORDINATES = {
    "lintang selatan": "LS", "ls": "LS", "lintang utara": "LU", "lu": "LU",
    "bujur timur": "BT", "bt": "BT", "bujur barat": "BB", "bb": "BB",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_DAY = "|".join(re.escape(d) for d in ID_DAY_NAMES)
_DAY_OF_DATE = re.compile(
    rf"\b(?P<day>{_DAY})\s*,?\s*\(\s*(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>\d{{2,4}}))?\s*\)"
)
# Letter prefixes that are not identifiers: time zones, neighbourhood units, calendar words.
_NOT_ID_PREFIX = frozenset(
    {"WIB", "WITA", "WIT", "RT", "RW", "UTC", "GMT", "KM", "COVID"} | {m.upper() for m in MONTH_NAMES}
)
_IDENTIFIER = re.compile(r"\b(?P<prefix>[A-Z]{2,4})(?:[- ]|(?=\d))(?P<number>\d{2,6}(?:/\d{2,4})?)\b")
_WINDOW = 8  # words each side of a figure that say what it is about
MAX_VALUES_PER_ARTICLE = 2


@dataclass
class ConflictClaim:
    """One story's version of a contested value."""

    source: int  # the story's source number [n]
    article_id: str
    outlet: str | None
    date: str | None
    sentence_id: str  # "<article id>:title" when the outlet's headline states it
    value: str  # canonical value (numbers.py), a weekday, or an identifier's number
    text: str  # the value as written with what it measures, e.g. "kedalaman 13 km"
    sentence: str  # the whole original sentence


@dataclass
class Conflict:
    """A value the outlets disagree on."""

    # What is measured, e.g. "kedalaman (km)", "SV number", "weekday of 10/6" (a Message when the
    # tool words it).
    what: str
    kind: str
    claims: list[ConflictClaim] = field(default_factory=list)

    @property
    def values(self) -> list[str]:
        return sorted({c.value for c in self.claims})


@dataclass
class _Claim:
    key: tuple[str, str, str]
    claim: ConflictClaim
    context: frozenset[str]
    subject: str | None = None  # the nearest name before the figure: whose figure it is


def find_conflicts(folder: Folder, numbers: dict[str, int]) -> list[Conflict]:
    """Every key on which two stories of `folder` give different values.

    `numbers` maps article id → source number; articles without a number (left out) are ignored.
    """
    claims: list[_Claim] = []
    for article in folder.articles:
        if article.id not in numbers:
            continue
        found: list[_Claim] = []
        # The outlet's own headline states its headline figure ("50 Bus TransJakarta Bekas Hangus").
        title = [(f"{article.id}:title", article.metadata.title)] if article.metadata.title else []
        for sentence_id, text in [*title, *((s.id, s.text) for s in article.sentences())]:
            words = list(_WORD.finditer(text))
            for key, value, written, context in _figures(text):
                claim = ConflictClaim(
                    numbers[article.id],
                    article.id,
                    article.metadata.outlet,
                    article.metadata.date,
                    sentence_id,
                    value,
                    written,
                    text,
                )
                found.append(_Claim(key, claim, context, _subject(words, text.find(written))))
        claims += _main_claims(found)
    by_key: dict[tuple[str, str, str], list[_Claim]] = defaultdict(list)
    for item in claims:
        by_key[item.key].append(item)
    conflicts = []
    for key, items in by_key.items():
        involved = _contradicting(items)
        if involved:
            kind, anchor, unit = key
            what = _what(kind, anchor, unit)
            conflicts.append(Conflict(what, kind, [c.claim for c in involved]))
    return sorted(conflicts, key=lambda c: (-len({x.source for x in c.claims}), c.what))


def _main_claims(found: list[_Claim]) -> list[_Claim]:
    """An article's claims per key. One that gives many values for a key is listing them (a price
    table, a fleet and the part of it that burned): only the value it states most often, first
    in a tie (its headline or lead), is its claim."""
    by_key: dict[tuple[str, str, str], list[_Claim]] = defaultdict(list)
    for item in found:
        by_key[item.key].append(item)
    kept = []
    for items in by_key.values():
        counts = Counter(c.claim.value for c in items)
        if len(counts) <= MAX_VALUES_PER_ARTICLE:
            kept += items
            continue
        top = max(counts.values())
        if list(counts.values()).count(top) > 1 and counts[items[0].claim.value] != top:
            continue  # no value stands out: a list, not a claim
        main = items[0].claim.value if counts[items[0].claim.value] == top else counts.most_common(1)[0][0]
        kept += [c for c in items if c.claim.value == main]
    return kept


def _contradicting(items: list[_Claim]) -> list[_Claim]:
    """The claims that disagree with a claim of another story about the same thing."""
    involved: dict[int, _Claim] = {}
    for i, first in enumerate(items):
        for second in items[i + 1 :]:
            if first.claim.source == second.claim.source or _compatible(first.claim.value, second.claim.value):
                continue
            if first.subject and second.subject and first.subject != second.subject:
                continue  # about different subjects: "Antam turun Rp6.000", "UBS turun Rp12.000"
            if first.context & second.context:
                involved[id(first)] = first
                involved[id(second)] = second
    if not involved:
        return []
    # Also show the stories that agree with one side: who said what, not only the odd ones out.
    values = {c.claim.value for c in involved.values()}
    chosen = [c for c in items if c.claim.value in values]
    seen: set[tuple[int, str]] = set()
    unique = []
    for item in chosen:
        marker = (item.claim.source, item.claim.value)
        if marker not in seen:
            seen.add(marker)
            unique.append(item)
    return unique


def _figures(text: str) -> list[tuple[tuple[str, str, str], str, str, frozenset[str]]]:
    """(key, value, as written, context words) for every figure of a sentence."""
    found: list[tuple[tuple[str, str, str], str, str, frozenset[str]]] = []
    words = list(_WORD.finditer(text))
    identifiers = [m for m in _IDENTIFIER.finditer(text) if m.group("prefix") not in _NOT_ID_PREFIX]
    for mention in find_numbers(text, "id"):
        if mention.kind not in ("number", "percent", "money", "time", "date"):
            continue
        if any(m.start() <= mention.start < m.end() for m in identifiers):
            continue  # the number of "SV-5276" is read with its prefix below
        if mention.start and text[mention.start - 1].isalpha() and mention.kind == "number":
            continue  # part of a name: "Galeri24", "M4,9" is read with its anchor elsewhere
        anchor, start = _anchor(text, mention, words)
        unit, end = _unit(text, mention)
        if not anchor and not unit:
            continue
        # A real unit always belongs to the key; a counted noun only when no word before the
        # figure says what it is ("sebanyak 20 bus"): after a key word it may be any verb.
        counted = unit if unit in _UNITS.values() or not anchor else ""
        key: tuple[str, str, str] = (mention.kind, anchor or "", counted or "")
        if unit and unit in _COORDINATES.values():
            key = ("coordinate", "", unit)
        elif mention.kind == "number" and unit and unit not in _UNITS.values() and mention.value.isdigit():
            key = ("count", "", unit)  # a whole number before a noun counts that noun: "20 bus", "3 korban"
        value = _day_of_year(mention.value) if mention.kind == "date" else mention.value
        found.append((key, value, text[start:end].strip(), _context(words, mention, {anchor, unit})))
    for match in _WORD_COUNT.finditer(text):
        word, noun = match.group("word").lower(), match.group("noun").lower()
        if noun in _FILLER:
            continue
        value = str(ID_NUMBER_WORDS[word]) if word in ID_NUMBER_WORDS else word
        found.append((("count", "", noun), value, match.group(0), _context(words, match, {noun})))
    for match in _DAY_OF_DATE.finditer(text):
        date = f"{int(match.group('d'))}/{int(match.group('m'))}"
        context = _context(words, match, set())
        found.append((("weekday", date, ""), match.group("day"), match.group(0), context))
    for match in identifiers:
        prefix = match.group("prefix")
        context = _context(words, match, set())
        id_key = ("identifier", prefix, "")
        number = match.group("number").split("/")[0]  # "PMK 34/2017": the year is not the number
        found.append((id_key, number, match.group(0), context | {prefix.lower()}))
    return found


_CALENDAR = frozenset(w.lower() for w in (*ID_DAY_NAMES, *MONTH_NAMES))


def _subject(words: list[re.Match[str]], position: int) -> str | None:
    """The nearest capitalised word (not the sentence's first, not a day or month) before a figure."""
    before = [w for w in words[1:] if w.end() <= max(position, 0)][-_WINDOW:]
    for word in reversed(before):
        text = word.group(0)
        if text[0].isupper() and text.lower() not in _CALENDAR:
            return text.lower()
    return None


# Vague quantities that still give a range: "ratusan jemaah" agrees with "442 jemaah".
_RANGES = {"belasan": (11, 19), "puluhan": (10, 99), "ratusan": (100, 999), "ribuan": (1000, 9999)}


def _compatible(first: str, second: str) -> bool:
    if first == second:
        return True
    for vague, exact in ((first, second), (second, first)):
        if vague in _RANGES and exact.isdigit():
            low, high = _RANGES[vague]
            return low <= int(exact) <= high
    return False


def _day_of_year(value: str) -> str:
    """ "2025-06-20" and "--06-20" ("Jumat (20/6)", no year) are one day: compare month and day."""
    return value[-5:] if len(value) >= 7 and value[-3] == "-" and value.count("-") >= 2 else value


def _anchor(text: str, mention: NumberMention, words: list[re.Match[str]]) -> tuple[str | None, int]:
    """The content word that says what a figure measures, just before it (at most 3 words back)."""
    before = [w for w in words if w.end() <= mention.start][-3:]
    for word in reversed(before):
        lower = word.group(0).lower()
        if len(lower) > 1 and lower not in _FILLER:
            return lower, word.start()
    return None, mention.start


def _unit(text: str, mention: NumberMention) -> tuple[str | None, int]:
    pair = re.match(r"\s*([^\W\d_]+\s+[^\W\d_]+)", text[mention.end :])
    if pair and " ".join(pair.group(1).lower().split()) in _COORDINATES:
        return _COORDINATES[" ".join(pair.group(1).lower().split())], mention.end + pair.end()
    after = re.match(r"\s*(%|[^\W\d_]+)", text[mention.end :])
    if after and after.group(1).lower() in ID_CLASSIFIER_WORDS:  # "50 unit bus": the bus is counted
        noun = re.match(r"\s*[^\W\d_]+\s+([^\W\d_]+)", text[mention.end :])
        if noun and mention.kind == "number":
            return noun.group(1).lower(), mention.end + noun.end()
    if not after:
        return None, mention.end
    word = after.group(1).lower()
    end = mention.end + after.end()
    if word in _COORDINATES:
        return _COORDINATES[word], end
    if word in _UNITS:
        return _UNITS[word], end
    if mention.kind in ("number",) and len(word) > 2 and word not in _FILLER:
        return word, end  # what is counted: "20 bus", "3 korban"
    return None, mention.end


def _context(words: list[re.Match[str]], span: NumberMention | re.Match[str], skip: set[str | None]) -> frozenset[str]:
    start, end = (span.start, span.end) if isinstance(span, NumberMention) else (span.start(), span.end())
    before = [w for w in words if w.end() <= start][-_WINDOW:]
    after = [w for w in words if w.start() >= end][:_WINDOW]
    found = {w.group(0).lower() for w in before + after}
    return frozenset(w for w in found if len(w) > 2 and w not in _FILLER and w not in skip)


def disputed_in(text: str, conflicts: list[Conflict]) -> list[str]:
    """The conflicts whose contested values `text` states, each as "what: [n] value, [m] value"."""
    stated = {m.value for m in find_numbers(text, "id")}
    flagged: list[str] = []
    for conflict in conflicts:
        values = {c.value for c in conflict.claims}
        written = {c.text for c in conflict.claims}
        weekday = conflict.kind == "weekday" and any(re.search(rf"\b{re.escape(v)}\b", text) for v in values)
        identifier = conflict.kind == "identifier" and any(
            re.search(rf"\b{re.escape(c.text)}\b", text) or c.value in text for c in conflict.claims
        )
        if (conflict.kind not in ("weekday", "identifier") and stated & values) or weekday or identifier:
            flagged.append(describe(conflict))
        elif any(w in text for w in written if len(w) > 3):
            flagged.append(describe(conflict))
    return flagged


def _what(kind: str, anchor: str, unit: str) -> str:
    """What a contested value measures, as the reader sees it: the source's own word and unit
    ("kedalaman (km)"), or the tool's wording around them ("weekday of 10/6", "SV number")."""
    if kind == "weekday":
        return Message("conflict.weekday", date=anchor)
    if kind == "identifier":
        return Message("conflict.identifier", prefix=anchor)
    if not anchor:
        return Message("conflict.count", noun=unit)
    return anchor + (f" ({unit})" if unit else "")


def describe(conflict: Conflict) -> Message:
    """ "kedalaman (km): [1] kedalaman 10 kilometer; [3] kedalaman 13 km"."""
    claims = "; ".join(f"[{c.source}] {c.text}" for c in sorted(conflict.claims, key=lambda c: c.source))
    return Message("conflict.values", what=conflict.what, claims=claims)
