"""Find the numbers in a sentence and check that a translation kept them.

Indonesian writes ``1.500`` for one thousand five hundred and ``25,22`` for twenty-five point
two two, the opposite of English; machine translation is known to corrupt exactly these
(mozilla/translations #1388). Every mention is reduced to a canonical value so that
``25,22 juta`` and ``25.22 million`` compare equal, and ``pukul 14.30 WIB`` equals ``2:30 p.m.``.

Canonical values: plain decimals without grouping or trailing zeros (``"1500"``, ``"25.22"``,
``"1200000000000"``); times ``"H:MM"`` on a 24-hour clock; dates ISO-like: ``"2024-10-28"``,
``"2024-10"`` (month and year), ``"--10-28"`` (day and month without a year).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from summarizer.text.lexicon import EN_MONTHS, ID_MONTHS, NUMBERS_EXTRA_ID_MONTHS

Kind = Literal["number", "percent", "time", "date", "money"]


@dataclass(frozen=True)
class NumberMention:
    text: str  # exactly as written
    value: str  # canonical value (see the module docstring)
    kind: Kind
    start: int
    end: int
    # Other readings of an ambiguous mention ("14.30" may be a time; "5/6/2024" may be m/d).
    alternatives: tuple[str, ...] = ()

    @property
    def values(self) -> tuple[str, ...]:
        return (self.value, *self.alternatives)


_ID_MONTHS = ID_MONTHS | NUMBERS_EXTRA_ID_MONTHS
_EN_MONTHS = EN_MONTHS
_MULTIPLIERS = {
    "id": {"ribu": 3, "rb": 3, "juta": 6, "jt": 6, "miliar": 9, "milyar": 9, "triliun": 12},
    "en": {"thousand": 3, "million": 6, "mn": 6, "billion": 9, "bn": 9, "trillion": 12, "tn": 12},
}
_CURRENCY_BEFORE = r"(?:Rp\.?|IDR|US\$|AS\$|S\$|A\$|USD|EUR|\$|€|£|¥|₩)\s?"
_CURRENCY_AFTER = {
    "id": r"rupiah|dolar(?: AS| Amerika(?: Serikat)?)?|dollar(?: AS)?|euro|yen|yuan|won|rubel|"
    r"ringgit|poundsterling|pound|rupee",
    "en": r"(?:US |Singapore |Australian )?dollars?|rupiah|euros?|yen|yuan|won|roubles?|rubles?|"
    r"ringgits?|pounds?(?: sterling)?|rupees?",
}
_PERCENT_AFTER = {"id": r"%|persen\b|per sen\b", "en": r"%|percent\b|per cent\b"}

_WORD_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_WORD_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


def _month_pattern(months: dict[str, int]) -> str:
    names = sorted(months, key=len, reverse=True)
    # Capitalised or all-caps only: "may" and "mar" are ordinary lower-case words.
    alternatives = [n.capitalize() for n in names] + [n.upper() for n in names]
    return r"(?P<month>" + "|".join(alternatives) + r")\.?"


def _numeral_pattern(language: str) -> str:
    """One numeral written the way the language groups digits, with its fractional part."""
    if language == "id":
        grouped = r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?(?!\d|\.\d)"
        foreign = r"(?P<fint>\d{1,3}(?:,\d{3})+|\d+)\.(?P<ffrac>\d+)"
    else:
        grouped = r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?(?!\d|[.,]\d)"
        # Dots as thousands in an English sentence are copied from the source; commas as
        # decimals likewise ("25,22 million"): read them the way the source meant them. A
        # single "1.500" stays 1.5, because that is what an English reader understands.
        foreign = r"(?P<fint>\d{1,3}(?:\.\d{3}){2,}|\d+)(?:,(?P<ffrac>\d+))?"
    return rf"(?<![\d.,])(?:{grouped}|{foreign})(?!\d)"


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _time_value(hour: int, minute: int) -> str | None:
    if 0 <= hour <= 24 and 0 <= minute <= 59:
        return f"{hour % 24}:{minute:02d}"
    return None


def _date_value(year: int | None, month: int | None, day: int | None) -> str | None:
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if year is not None and month is not None and day is not None:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if year is not None and month is not None:
        return f"{year:04d}-{month:02d}"
    if month is not None and day is not None:
        return f"--{month:02d}-{day:02d}"
    return None


class _Scanner:
    """Collects mentions left to right, each character claimed by at most one mention."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.mentions: list[NumberMention] = []
        # Claimed spans never overlap, so kept sorted they answer free() with one bisection:
        # a sentence holding thousands of numbers (a table, a blob of digits) stays linear.
        self._starts: list[int] = []
        self._ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self._starts, end)  # spans starting before our end
        return index == 0 or self._ends[index - 1] <= start

    def add(self, start: int, end: int, value: str, kind: Kind, alternatives=()) -> None:
        if not self.free(start, end):
            return
        index = bisect.bisect_left(self._starts, start)
        self._starts.insert(index, start)
        self._ends.insert(index, end)
        alts = tuple(a for a in alternatives if a and a != value)
        self.mentions.append(NumberMention(self.text[start:end], value, kind, start, end, alts))


def _scan_dates(scanner: _Scanner, language: str) -> None:
    text = scanner.text
    months = _ID_MONTHS if language == "id" else _EN_MONTHS
    month = _month_pattern(months)
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    year = r"(?P<year>\d{4})"
    patterns = [
        r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)",
        r"(?<![\d/])(?P<a>\d{1,2})[/-](?P<b>\d{1,2})(?:[/-](?P<y>\d{4}|\d{2}))?(?![\d/])",
        rf"(?<!\d){day}\s+{month}(?:\s+{year})?(?!\d)",
        rf"\b{month}\s+{day}(?:,?\s+{year})?(?!\d)" if language == "en" else None,
        rf"\b{month}\s+{year}(?!\d)",
    ]
    for pattern in patterns:
        if pattern is None:
            continue
        for match in re.finditer(pattern, text):
            groups = match.groupdict()
            if groups.get("a") is not None:
                _add_numeric_date(scanner, match, language)
                continue
            if groups.get("m") is not None:
                value = _date_value(int(groups["y"]), int(groups["m"]), int(groups["d"]))
            else:
                y = int(groups["year"]) if groups.get("year") else None
                d = int(groups["day"]) if groups.get("day") else None
                value = _date_value(y, months[groups["month"].lower()], d)
            if value:
                scanner.add(match.start(), match.end(), value, "date")


def _add_numeric_date(scanner: _Scanner, match: re.Match[str], language: str) -> None:
    a, b = int(match["a"]), int(match["b"])
    raw_year = match["y"]
    year = None
    if raw_year is not None:
        year = int(raw_year) + (2000 if len(raw_year) == 2 else 0)
    elif "-" in match.group(0):
        return  # "10-15" is a range of numbers, not a date
    day_first = _date_value(year, b, a)
    month_first = _date_value(year, a, b)
    alternatives: tuple[str, ...]
    if language == "id":
        primary, alternatives = day_first, ()
    else:
        # English text from this tool is translated from d/m sources, but may reorder to m/d.
        primary = day_first or month_first
        alternatives = (month_first,) if day_first and month_first else ()
    if primary:
        scanner.add(match.start(), match.end(), primary, "date", alternatives)


def _scan_times(scanner: _Scanner, language: str) -> None:
    text = scanner.text
    hm = r"(?P<h>\d{1,2})(?:[.:](?P<m>\d{2}))?"
    if language == "id":
        patterns = [
            rf"\b(?:pukul|pkl\.?|jam)\s+{hm}(?!\d|[.,]\d)(?:\s*(?P<part>pagi|siang|sore|malam))?"
            r"(?:\s*(?:WIB|WITA|WIT)\b)?",
            r"(?<![\d.,])(?P<h>\d{1,2})[.:](?P<m>\d{2})\s*(?:WIB|WITA|WIT)\b",
            r"(?<![\d.,])(?P<h>\d{1,2}):(?P<m>\d{2})(?!\d)",
        ]
    else:
        patterns = [
            rf"(?<![\d.,]){hm}\s*(?P<ampm>[ap])\.?\s?m\b\.?",
            r"(?<![\d.,])(?P<h>\d{1,2})[.:](?P<m>\d{2})\s*(?:WIB|WITA|WIT|local time|GMT|UTC|hrs)\b",
            r"\b(?:at|by|until|from|around|since)\s+(?P<h>\d{1,2})\.(?P<m>\d{2})(?![\d.,]\d)",
            r"(?<![\d.,])(?P<h>\d{1,2}):(?P<m>\d{2})(?!\d)",
        ]
    for pattern in patterns:
        for match in re.finditer(pattern, text, flags=re.IGNORECASE if language == "en" else 0):
            hour, minute = int(match["h"]), int(match["m"] or 0)
            groups = match.groupdict()
            twelve_hour = None
            if groups.get("ampm"):
                if hour > 12:
                    continue
                hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
            elif groups.get("part") in ("sore", "malam") and hour < 12:
                twelve_hour, hour = _time_value(hour, minute), hour + 12
            value = _time_value(hour, minute)
            if value:
                start = match.start("h")
                scanner.add(start, match.end(), value, "time", (twelve_hour,))


def _word_number(words: str) -> int | None:
    total = 0
    for part in re.split(r"[-\s]+", words.lower()):
        if part in _WORD_UNITS:
            total += _WORD_UNITS[part]
        elif part in _WORD_TENS:
            total += _WORD_TENS[part]
        else:
            return None
    return total


def _scan_words(scanner: _Scanner) -> None:
    unit = "|".join(sorted(list(_WORD_UNITS) + list(_WORD_TENS), key=len, reverse=True))
    multiplier = "|".join(["hundred", *_MULTIPLIERS["en"]])
    pattern = rf"\b(?P<n>(?:{unit})(?:-(?:{unit}))?)(?:\s+(?P<mult>{multiplier}))?\b"
    for match in re.finditer(pattern, scanner.text, flags=re.IGNORECASE):
        number = _word_number(match["n"])
        if number is None:
            continue
        mult = (match["mult"] or "").lower()
        exponent = 2 if mult == "hundred" else _MULTIPLIERS["en"].get(mult, 0)
        scanner.add(match.start(), match.end(), str(number * 10**exponent), "number")


def _numeral_value(match: re.Match[str], language: str) -> Decimal:
    group_sep = "." if language == "id" else ","
    if match["int"] is not None:
        integer, frac = match["int"].replace(group_sep, ""), match["frac"]
    else:
        foreign_sep = "," if language == "id" else "."
        integer, frac = match["fint"].replace(foreign_sep, ""), match["ffrac"]
    return Decimal(f"{integer}.{frac}" if frac else integer)


def _scan_quantities(scanner: _Scanner, language: str) -> None:
    text = scanner.text
    multipliers = "|".join(sorted(_MULTIPLIERS[language], key=len, reverse=True))
    pattern = (
        rf"(?P<cur>{_CURRENCY_BEFORE})?{_numeral_pattern(language)}"
        rf"(?:\s?(?i:(?P<mult>{multipliers}))\b)?"
        rf"(?i:\s?(?P<pct>{_PERCENT_AFTER[language]})|\s(?P<curafter>{_CURRENCY_AFTER[language]})\b)?"
    )
    for match in re.finditer(pattern, text):
        value = _numeral_value(match, language)
        if match["mult"]:
            value *= Decimal(10) ** _MULTIPLIERS[language][match["mult"].lower()]
        kind: Kind = "number"
        if match["pct"]:
            kind = "percent"
        elif match["cur"] or match["curafter"]:
            kind = "money"
        alternatives = _numeral_alternatives(match, language)
        scanner.add(match.start(), match.end(), _decimal_text(value), kind, alternatives)


def _numeral_alternatives(match: re.Match[str], language: str) -> tuple[str, ...]:
    """Other plausible readings of a bare numeral (no multiplier, currency or percent)."""
    if match["mult"] or match["cur"] or match["pct"] or match["curafter"]:
        return ()
    if language == "id" and match["fint"] is not None and len(match["ffrac"]) == 2:
        # "14.30" with no "pukul"/"WIB" is still most often a clock time in Indonesian news.
        time = _time_value(int(match["fint"]), int(match["ffrac"]))
        return (time,) if time else ()
    if language == "id" and match["frac"] and len(match["frac"]) == 3 and "." not in match["int"]:
        # "1,500" in an Indonesian text may be English-style grouping.
        return (match["int"] + match["frac"],)
    return ()


def find_numbers(text: str, language: str, *, include_words: bool = False) -> list[NumberMention]:
    """Every number, percentage, amount of money, clock time and date in `text`, in order.

    `language` is "id" (Indonesian conventions) or anything else (English conventions).
    With `include_words`, English number words ("two", "forty-five thousand") count too.
    """
    language = "id" if language in ("id", "ms") else "en"
    scanner = _Scanner(text)
    _scan_dates(scanner, language)
    _scan_times(scanner, language)
    _scan_quantities(scanner, language)
    if include_words and language == "en":
        _scan_words(scanner)
    return sorted(scanner.mentions, key=lambda m: m.start)


def _date_fields(value: str) -> tuple[str | None, str | None, str | None]:
    if value.startswith("--"):
        month, day = value[2:].split("-")
        return None, month, day
    parts = value.split("-")
    return parts[0], parts[1], parts[2] if len(parts) > 2 else None


def _date_covered(source_value: str, target_values: Iterator[str]) -> bool:
    """A source date is kept when a target date agrees on every field the source gives."""
    wanted = _date_fields(source_value)
    for candidate in target_values:
        have = _date_fields(candidate)
        if all(w is None or w == h for w, h in zip(wanted, have, strict=True)):
            return True
    return False


def missing_numbers(source: str, target: str, src_lang: str = "id", tgt_lang: str = "en") -> list[str]:
    """The numbers of `source` (as written there) whose value does not appear in `target`."""
    target_mentions = find_numbers(target, tgt_lang, include_words=True)
    target_values = {v for m in target_mentions for v in m.values}
    # A translation may fold a bare day or year into a date ("28 tentara" stays "28", but
    # "tahun 2024" next to "Oktober" may become "October 2024"): count date parts as present.
    target_values |= {
        str(int(part))
        for m in target_mentions
        if m.kind == "date"
        for v in m.values
        for part in _date_fields(v)
        if part
    }
    target_dates = [v for m in target_mentions if m.kind == "date" for v in m.values]
    missing: list[str] = []
    for mention in find_numbers(source, src_lang):
        if any(v in target_values for v in mention.values):
            continue
        if mention.kind == "date" and any(_date_covered(v, iter(target_dates)) for v in mention.values):
            continue
        if mention.text not in missing:
            missing.append(mention.text)
    return missing
