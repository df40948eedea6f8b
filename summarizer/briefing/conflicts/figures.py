"""Figures the outlets contradict each other on: counts, money, percentages, times, dates,
identifiers and the weekday given for a date.

Every figure is read from the ORIGINAL sentence with what it measures (its key): the content
word before it ("kedalaman 10 km", "magnitudo 4,8", "pukul 10.30"), the unit or noun after it
("20 bus", "0,45 persen"), its kind, and for a change in a price the direction and the day
("turun Rp6.000", "hari sebelumnya ... turun Rp 8.000"), or where it ended or began ("menjadi
Rp1.937.000", "dari semula Rp2.005.000"). Identifiers ("SV-5726" vs "SV 5276") and the weekday
of a date ("Selasa (10/6/2025)" vs "Kamis (10/6/2025)") are read whole.

Two stories contradict each other on a key when they give different values for it about the same
thing: the sentences share a content word, name no different subject ("Antam" vs "UBS") or place
("WNI di Iran" vs "WNI di Israel"), and neither story states the other's value for that key too
(a story that gives both is telling two things apart, not disagreeing). Two price reports are
about one series only when they share a price: Antam at its own boutique and Antam at a pawnshop
chain differ in every figure, and that is no contradiction.

Not figures: scores and ranges ("0-2", "10-15"), stoppage time ("45+6"), match minutes ("69'"),
ordinals ("menit ke-15"), gaps between events ("empat menit berselang") and "one of" / "others"
("salah satu korban", "dua korban lainnya").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from summarizer.briefing.conflicts.dates import weekday_date_spans
from summarizer.briefing.conflicts.model import Conflict, ConflictClaim, Story, conflict_of
from summarizer.output.labels import Message
from summarizer.text.lexicon import (
    FIGURE_LEAD_WORDS,
    ID_CLASSIFIER_WORDS,
    ID_DAY_NAMES,
    ID_DECREASE_WORDS,
    ID_INCREASE_WORDS,
    ID_NUMBER_WORDS,
    ID_RELATIVE_TIME_WORDS,
    ID_TIME_UNIT_WORDS,
    ID_TRANSITION_FROM_WORDS,
    ID_TRANSITION_TO_WORDS,
    ID_VAGUE_QUANTITY_WORDS,
    MONTH_NAMES,
)
from summarizer.text.numbers import NumberMention, find_numbers
from summarizer.text.speech import find_speaker

_FILLER = FIGURE_LEAD_WORDS
_WORD_COUNT = re.compile(
    r"\b(?P<word>"
    + "|".join(sorted({*ID_NUMBER_WORDS, *ID_VAGUE_QUANTITY_WORDS}, key=len, reverse=True))
    + r")\s+(?P<noun>[^\W\d_]{3,})",
    re.IGNORECASE,
)
# Units spelled several ways.
_UNITS = {"kilometer": "km", "km": "km", "meter": "m", "persen": "%", "%": "%", "kg": "kg", "kilogram": "kg"}
_UNITS |= {unit: unit for unit in ID_TIME_UNIT_WORDS}
# Coordinates (latitude south/north, longitude east/west): one place has one of each, so the unit
# alone says what the figure is, whatever word comes before it.
_COORDINATES = {
    "lintang selatan": "LS", "ls": "LS", "lintang utara": "LU", "lu": "LU",
    "bujur timur": "BT", "bt": "BT", "bujur barat": "BB", "bb": "BB",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Letter prefixes that are not identifiers: time zones, neighbourhood units, calendar words.
_NOT_ID_PREFIX = frozenset(
    {"WIB", "WITA", "WIT", "RT", "RW", "UTC", "GMT", "KM", "COVID"} | {m.upper() for m in MONTH_NAMES}
)
_IDENTIFIER = re.compile(r"\b(?P<prefix>[A-Z]{2,4})(?:[- ]|(?=\d))(?P<number>\d{2,6}(?:/\d{2,4})?)\b")
# Numbers that are not one figure: a score or range ("0-2", "10-15"), stoppage time ("45+6"), a
# match minute ("69'"), an ordinal ("ke-15"), and a numeral whose grouping is broken
# ("Rp 1.925.00": its value cannot be known).
_NOT_A_FIGURE = re.compile(
    r"(?<![\d/.,])\d{1,3}\s?[-–]\s?\d{1,3}(?![\d/.,])"
    r"|\d{1,3}\s?\+\s?\d{1,2}"
    r"|\d{1,3}\s?['’′]"
    r"|\bke-\d+"
    r"|(?<![\d.,])\d{1,3}(?:\.\d{3})+\.\d{1,2}(?![\d])"
)
# "salah satu korban" (one of the victims), "dua korban lainnya" (two other victims), "tak hanya
# satu korban" (not only one victim): a part or a denial, not the count of the thing.
# "juga membunuh dua wanita" (also killed two women) counts the ones added to those already told;
# "20 bus dari sebanyak 104 bus" counts the whole a part is taken from.
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\bsalah|\b(?:tak|tidak|bukan)\s+hanya|\bjuga\s+[^\W\d_]+|\bdari(?:\s+(?:sebanyak|total|sekitar))?)\s*$",
    re.IGNORECASE,
)
_NOT_A_COUNT_AFTER = re.compile(r"^(?:\s+[^\W\d_]+){0,2}?\s+lain(?:nya)?\b", re.IGNORECASE)
# A place after a counted noun says which of several groups is counted ("386 WNI di Iran",
# "194 WNI yang berada di Israel").
_PLACE_AFTER = re.compile(
    r"^(?:\s+[^\W\d_]+){0,2}?\s+(?:yang\s+(?:berada|ada|tinggal)\s+)?(?:di|dari)\s+"
    r"(?:wilayah\s+|kota\s+)?(?P<place>[A-Z][^\W\d_]+)"
)
# Who a figure applies to, after it ("0,45 persen untuk pemilik NPWP"): part of its key, up to a
# word that starts another clause.
_FOR_WHOM = re.compile(r"^\s*(?P<to>untuk|bagi)\s+(?P<whom>[^,.;:()]+)", re.IGNORECASE)
_FOR_WHOM_END = frozenset("dan atau serta yang dengan sedangkan sementara".split())
_ON_DAY = "@"  # a clock time's key word when it is the day the time is given on: "@17/6"
_PREVIOUS_DAY = re.compile(r"\b(?:(?:se)?hari\s+sebelumnya|kemarin)\b", re.IGNORECASE)
_TODAY = re.compile(r"\bhari\s+ini\b", re.IGNORECASE)
_WINDOW = 8  # words each side of a figure that say what it is about
MAX_VALUES_PER_ARTICLE = 2
# Reports that give this many prices describe a price list (one seller, one day): two of them
# are about the same list only when they share a price.
_PRICE_LIST = 3


@dataclass
class _Claim:
    key: tuple[str, str, str]
    claim: ConflictClaim
    context: frozenset[str]
    subject: str | None = None  # whose figure it is: the nearest name before it, or after its noun
    place: str | None = None  # which group is counted: "Iran" in "386 WNI di Iran"


@dataclass
class _Figure:
    key: tuple[str, str, str]
    value: str
    written: str
    context: frozenset[str]
    start: int
    subject_after: str | None = None
    place: str | None = None


def figure_conflicts(stories: list[Story], names: frozenset[str]) -> list[Conflict]:
    """Every key on which two stories give different values. `names`: the folder's proper names
    (lower case), which tell a sentence's first word apart when it is a name."""
    found: dict[int, list[_Claim]] = {}
    for story in stories:
        claims: list[_Claim] = []
        for sentence_id, text in story.sentences:
            # Words inside a figure ("Rp" of "Rp 1.925.000") are no names.
            spans = [(m.start, m.end) for m in find_numbers(text, "id")]
            words = [w for w in _WORD.finditer(text) if not any(a <= w.start() < b for a, b in spans)]
            speaker = find_speaker(text, "id")
            speaking = speaker.words if speaker else frozenset()
            for figure in _figures(text):
                claim = story.claim(sentence_id, figure.value, figure.written)
                subject = figure.subject_after or _subject(words, figure.start, names, speaking)
                claims.append(_Claim(figure.key, claim, figure.context, subject, figure.place))
        found[story.source] = claims
    _resolve_places([c for claims in found.values() for c in claims])
    stated = {
        source: {(c.key, c.claim.value) for c in claims} for source, claims in found.items()
    }  # every value a story gives for a key, listed or not
    prices = {source: _price_levels(claims) for source, claims in found.items()}
    by_key: dict[tuple[str, str, str], list[_Claim]] = defaultdict(list)
    for claims in found.values():
        for item in _main_claims(claims):
            by_key[item.key].append(item)
    conflicts = []
    for key, items in by_key.items():
        involved = _contradicting(items, stated, prices)
        if involved:
            kind = key[0]
            what = _what(*key)
            subjects = {c.subject for c in involved if c.subject}
            if len(subjects) == 1 and kind in ("money", "percent"):  # whose price: "Galeri: menjadi"
                what = f"{subjects.pop().capitalize()}: {what}"
            conflicts.append(conflict_of(what, kind, [c.claim for c in involved]))
    return conflicts


def _what(kind: str, anchor: str, unit: str) -> str:
    """What a contested value measures, as the reader sees it: the source's own word and unit
    ("kedalaman (km)"), or the tool's wording around them ("SV number", "time on 17/6")."""
    if kind == "identifier":
        return Message("conflict.identifier", prefix=anchor)
    if kind == "coordinate":
        return unit  # the source's own "LS", "BT"
    if kind == "time" and anchor.startswith(_ON_DAY):
        return Message("conflict.time_on", date=anchor.removeprefix(_ON_DAY))
    if not anchor:
        return Message("conflict.count", noun=unit)
    return anchor + (f" ({unit})" if unit else "")


def _main_claims(found: list[_Claim]) -> list[_Claim]:
    """An article's claims per key and subject. One that gives many values for one is listing them (a price
    table, a fleet and the part of it that burned): only the value it states most often, first
    in a tie (its headline or lead), is its claim."""
    by_key: dict[tuple[tuple[str, str, str], str | None, str | None], list[_Claim]] = defaultdict(list)
    for item in found:
        by_key[(item.key, item.subject, item.place)].append(item)
    kept = []
    for group in by_key.values():
        # A vague "sejumlah bus" next to the story's own "20 bus" says nothing the 20 does not.
        exact = [c for c in group if c.claim.value[:1].isdigit()]
        items = exact or group
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


def _contradicting(
    items: list[_Claim], stated: dict[int, set[tuple[tuple[str, str, str], str]]], prices: dict[int, set[str]]
) -> list[_Claim]:
    """The claims that disagree with a claim of another story about the same thing."""
    involved: dict[int, _Claim] = {}
    for i, first in enumerate(items):
        for second in items[i + 1 :]:
            if _disagree(first, second, stated, prices):
                involved[id(first)] = first
                involved[id(second)] = second
    return list(involved.values())


def _disagree(
    first: _Claim,
    second: _Claim,
    stated: dict[int, set[tuple[tuple[str, str, str], str]]],
    prices: dict[int, set[str]],
) -> bool:
    a, b = first.claim, second.claim
    if a.source == b.source or _compatible(a.value, b.value):
        return False
    if first.subject and second.subject and first.subject != second.subject:
        return False  # about different subjects: "Antam turun Rp6.000", "UBS turun Rp12.000"
    if first.place and second.place and first.place != second.place:
        return False  # different groups: "WNI di Iran", "WNI di Israel"
    if (first.key, b.value) in stated[a.source] or (first.key, a.value) in stated[b.source]:
        return False  # a story that gives both values tells two things apart
    if first.key[0] == "money" and not _same_price_list(prices[a.source], prices[b.source]):
        return False
    return bool(first.context & second.context)


def _price_levels(claims: list[_Claim]) -> set[str]:
    """A story's prices, not its price changes: what tells one price list from another."""
    return {c.claim.value for c in claims if c.key[0] == "money" and not c.key[1].startswith(("turun", "naik"))}


def _same_price_list(first: set[str], second: set[str]) -> bool:
    if len(first) < _PRICE_LIST or len(second) < _PRICE_LIST:
        return True
    return bool(first & second)


def _figures(text: str) -> list[_Figure]:
    """Every figure of a sentence with its key, value, wording and context words."""
    found: list[_Figure] = []
    words = list(_WORD.finditer(text))
    identifiers = [m for m in _IDENTIFIER.finditer(text) if m.group("prefix") not in _NOT_ID_PREFIX]
    masked = [m.span() for m in _NOT_A_FIGURE.finditer(text)] + weekday_date_spans(text)
    mentions = find_numbers(text, "id")
    for mention in mentions:
        if mention.kind not in ("number", "percent", "money", "time", "date"):
            continue
        if any(m.start() <= mention.start < m.end() for m in identifiers):
            continue  # the number of "SV-5276" is read with its prefix below
        if any(mention.start < end and start < mention.end for start, end in masked):
            continue
        if mention.start and text[mention.start - 1].isalpha() and mention.kind == "number":
            continue  # part of a name: "Galeri24", "M4,9" is read with its anchor elsewhere
        floor = max((m.end for m in mentions if m.end <= mention.start), default=0)
        figure = _figure(text, mention, words, floor, _date_before(text, mention, mentions))
        if figure:
            found.append(figure)
    for match in _WORD_COUNT.finditer(text):
        word, noun = match.group("word").lower(), match.group("noun").lower()
        if noun in _FILLER or not _is_a_count(text, match.start(), match.end(), noun):
            continue
        value = str(ID_NUMBER_WORDS[word]) if word in ID_NUMBER_WORDS else word
        context = _context(words, match.start(), match.end(), {noun})
        found.append(
            _Figure(
                ("count", "", noun),
                value,
                match.group(0),
                context,
                match.start(),
                _name_after(text, match.end()),
                _place_after(text, match.end()),
            )
        )
    for match in identifiers:
        prefix = match.group("prefix")
        context = _context(words, match.start(), match.end(), set()) | {prefix.lower()}
        number = match.group("number").split("/")[0]  # "PMK 34/2017": the year is not the number
        found.append(_Figure(("identifier", prefix, ""), number, match.group(0), context, match.start()))
    return found


def _figure(
    text: str, mention: NumberMention, words: list[re.Match[str]], floor: int, day: tuple[str, int] | None
) -> _Figure | None:
    anchor, start = _anchor(text, mention, words)
    if mention.kind == "time" and day:
        anchor, start = day  # "Selasa 17 Juni 2025 sekitar pukul 10.27": a time on 17/6
    unit, end = _unit(text, mention)
    if mention.kind in ("money", "percent"):
        role = _role(text, mention, [w for w in words if w.start() >= floor])
        if role:
            anchor = role
    if not anchor and not unit:
        return None
    if unit in ID_TIME_UNIT_WORDS and (not anchor or _RELATIVE_AFTER.match(text[end:])):
        return None  # "empat menit berselang": a gap between two events
    if mention.kind == "number" and unit and not _is_a_count(text, mention.start, end, unit):
        return None
    # A real unit always belongs to the key; a counted noun only when no word before the
    # figure says what it is ("sebanyak 20 bus"): after a key word it may be any verb.
    counted = unit if unit in _UNITS.values() or not anchor else ""
    whom = _for_whom(text[end:]) if mention.kind in ("percent", "money") else None
    if whom is not None:
        counted = (counted + " " if counted else "") + whom
    key: tuple[str, str, str] = (mention.kind, anchor or "", counted or "")
    if unit and unit in _COORDINATES.values():
        key = ("coordinate", "", unit)
    elif mention.kind == "number" and unit and unit not in _UNITS.values() and mention.value.isdigit():
        key = ("count", "", unit)  # a whole number before a noun counts that noun: "20 bus", "3 korban"
    value = _day_of_year(mention.value) if mention.kind == "date" else mention.value
    context = _context(words, mention.start, mention.end, {anchor, unit})
    after = _name_after(text, end) if key[0] == "count" else None
    place = _place_after(text, end) if key[0] == "count" else None
    written = text[start:end].strip()
    if written.count(")") > written.count("("):  # "(17/6/2025) sekitar pukul 10.30" read from the date
        written = written.replace(")", "", 1)
    return _Figure(key, value, written, context, mention.start, after, place)


_RELATIVE_AFTER = re.compile(r"^\s+(?:yang\s+)?(?:" + "|".join(sorted(ID_RELATIVE_TIME_WORDS)) + r")\b", re.IGNORECASE)


def _for_whom(after: str) -> str | None:
    """ "untuk pemilik NPWP dan 0,9 persen ..." -> "untuk pemilik npwp"; None without "untuk"/"bagi"."""
    match = _FOR_WHOM.match(after)
    if not match:
        return None
    words = [match.group("to").lower()]
    for word in match.group("whom").lower().split()[:3]:
        if word in _FOR_WHOM_END or any(ch.isdigit() for ch in word):
            break
        words.append(word)
    return " ".join(words)


def _is_a_count(text: str, start: int, end: int, noun: str) -> bool:
    if _NOT_A_COUNT_BEFORE.search(text[:start]) or _NOT_A_COUNT_AFTER.match(text[end:]):
        return False
    return not (noun in ID_TIME_UNIT_WORDS and _RELATIVE_AFTER.match(text[end:]))


def _date_before(text: str, mention: NumberMention, mentions: list[NumberMention]) -> tuple[str, int] | None:
    """The day a clock time is given on, when a date comes just before it (three words at most)."""
    if mention.kind != "time":
        return None
    dates = [m for m in mentions if m.kind == "date" and m.end <= mention.start]
    if not dates or len(re.findall(r"\S+", text[dates[-1].end : mention.start])) > 3:
        return None
    month_day = dates[-1].value[-5:]  # "06-17"
    if not re.fullmatch(r"\d{2}-\d{2}", month_day):
        return None
    month, day = month_day.split("-")
    return f"{_ON_DAY}{int(day)}/{int(month)}", dates[-1].start


def _role(text: str, mention: NumberMention, words: list[re.Match[str]]) -> str | None:
    """What a price or rate is in a change: its direction (with the day, when the change is the
    previous day's), or the value it ended at or began from. The cue nearest the figure counts."""
    before = [w for w in words if w.end() <= mention.start][-4:]
    for word in reversed(before):
        lower = word.group(0).lower()
        if lower in ID_DECREASE_WORDS or lower in ID_INCREASE_WORDS:
            direction = "turun" if lower in ID_DECREASE_WORDS else "naik"
            return direction + (" (hari sebelumnya)" if _previous_day(text[: word.start()]) else "")
        if lower in ID_TRANSITION_TO_WORDS:
            return "menjadi"
        if lower in ID_TRANSITION_FROM_WORDS:
            return "dari"
    return None


def _previous_day(before: str) -> bool:
    """Is the nearest day named before a change the previous day ("hari sebelumnya yang sudah
    turun Rp 8.000") rather than today?"""
    previous = [m.end() for m in _PREVIOUS_DAY.finditer(before)]
    today = [m.end() for m in _TODAY.finditer(before)]
    return bool(previous) and max(previous) > max(today, default=-1)


_CALENDAR = frozenset(w.lower() for w in (*ID_DAY_NAMES, *MONTH_NAMES))


def _subject(words: list[re.Match[str]], position: int, names: frozenset[str], speaker: frozenset[str]) -> str | None:
    """The nearest name before a figure: a word the folder writes as a name, not a day or month,
    and not the sentence's speaker ("Suroto menambahkan, sekitar 50 unit bus": Suroto gives the
    count, the buses are not his)."""
    before = [w for w in words if w.end() <= max(position, 0)][-_WINDOW:]
    for word in reversed(before):
        name = _letters(word.group(0))
        if name in names and name not in _CALENDAR and word.group(0).lower() not in speaker:
            return name
    return None


def _letters(word: str) -> str:
    """A name's letters, lower case: "Galeri24" and "Galeri 24" are one product."""
    return re.sub(r"[^\w]|[\d_]", "", word).lower()


def _name_after(text: str, end: int) -> str | None:
    """The owner written right after a counted noun: "Lima gol Jepang" counts Japan's goals."""
    match = re.match(r"\s+([A-Z][^\W\d_]+)", text[end:])
    if match and match.group(1).lower() not in _CALENDAR:
        return _letters(match.group(1))
    return None


def _place_after(text: str, end: int) -> str | None:
    match = _PLACE_AFTER.match(text[end:])
    return match.group("place").lower() if match else None


def _resolve_places(claims: list[_Claim]) -> None:
    """A count without a place takes a place the folder counts elsewhere that its sentence names
    ("sebanyak 11 orang" in a sentence about Israel)."""
    known = {c.place for c in claims if c.place}
    for claim in claims:
        if claim.place or claim.key[0] != "count":
            continue
        named = {w.lower() for w in _WORD.findall(claim.claim.sentence)} & known
        if len(named) == 1:
            claim.place = named.pop()


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
            if lower in ID_DECREASE_WORDS or lower in ID_INCREASE_WORDS:
                lower = "turun" if lower in ID_DECREASE_WORDS else "naik"
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


def _context(words: list[re.Match[str]], start: int, end: int, skip: set[str | None]) -> frozenset[str]:
    before = [w for w in words if w.end() <= start][-_WINDOW:]
    after = [w for w in words if w.start() >= end][:_WINDOW]
    found = {w.group(0).lower() for w in before + after}
    return frozenset(w for w in found if len(w) > 2 and w not in _FILLER and w not in skip)


def keys_of(text: str, values: set[str]) -> set[tuple[str, str, str]]:
    """The keys under which `text` states any of `values`: what a title or point says it about."""
    return {f.key for f in _figures(text) if f.value in values}
