"""Indonesian publication dates: find the date field of a scraped page and turn dates into ISO 8601.

A small hand-written month table is enough here: news pages use a handful of shapes
("17 Jun 2025 15:18 WIB", "18 Juni 2025 |20:45 WIB", "18/06/2025, 20:32 WIB", "Selasa (17/6/2025)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.text.lexicon import (
    DATE_LINE_EXTRA_DAY_NAMES,
    DATE_LINE_EXTRA_MONTHS,
    EN_MONTHS,
    ID_DAY_NAMES,
    ID_MONTHS,
)

# Indonesian and English names and abbreviations, plus the old spellings date lines cut short.
MONTHS = ID_MONTHS | EN_MONTHS | DATE_LINE_EXTRA_MONTHS

# Indonesian time zones (UTC offsets).
ZONES = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00"}

DAY_NAMES = "(?:" + "|".join(ID_DAY_NAMES + DATE_LINE_EXTRA_DAY_NAMES) + ")"
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = (
    rf"(?:(?P<d1>\d{{1,2}})\s+(?P<month>{_MONTH_NAMES})\.?,?\s+(?P<y1>\d{{4}})"
    r"|(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4}))"
)
_TIME = r"(?:(?:pukul|pk\.?|jam)\s*)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.]\d{2})?"
_DATE_TIME_RE = re.compile(
    rf"(?:{DAY_NAMES}\s*,?\s*)?\(?{_DATE}\)?(?:\s*[,|\-–—]?\s*{_TIME}(?:\s*(?P<zone>WITA|WIB|WIT)\b)?)?",
    re.IGNORECASE,
)
# A dated reference inside the story, e.g. "Selasa (17/6/2025)", the usual way to date a report.
_BODY_DATE_RE = re.compile(rf"{DAY_NAMES}\s*\(\s*(?P<d2>\d{{1,2}})/(?P<m2>\d{{1,2}})/(?P<y2>\d{{4}})\s*\)")

# Labels that may stand next to the date on a page's date line.
_DATE_LABELS = re.compile(
    r"\b(?:Diperbarui|Diterbitkan|Dipublikasikan|Terbit|Update|Updated|Published|Jurnalis|"
    r"Waktu|Tanggal)\b|[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z]{2,})+",
    re.IGNORECASE,
)
_OUTLET_ON_DATE_LINE = re.compile(r"^\W*(?P<outlet>[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z]{2,})+)")
_MAX_DATE_LINE = 80  # characters; a date field is short, a sentence with a date is not


@dataclass
class DateField:
    """A parsed date: ISO 8601 value and the text as written."""

    iso: str
    text: str
    outlet: str | None = None  # an outlet named on the date line ("Kompas.com- 18/06/2025")


def to_iso(match: re.Match[str]) -> str | None:
    """The ISO 8601 date (or datetime with offset) of a date match, None when it is not a date."""
    groups = match.groupdict()
    if groups.get("d1"):
        day, month, year = int(groups["d1"]), MONTHS[groups["month"].lower()], int(groups["y1"])
    else:
        day, month, year = int(groups["d2"]), int(groups["m2"]), int(groups["y2"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    if groups.get("hour"):
        hour, minute = int(groups["hour"]), int(groups["minute"])
        if hour > 23 or minute > 59:
            return iso
        iso += f"T{hour:02d}:{minute:02d}:00"
        zone = (groups.get("zone") or "").upper()
        iso += ZONES.get(zone, "")
    return iso


def parse_date(text: str) -> DateField | None:
    """The first date in ``text`` ("Selasa, 17 Jun 2025 15:18 WIB" → 2025-06-17T15:18:00+07:00)."""
    match = _DATE_TIME_RE.search(text)
    if not match:
        return None
    iso = to_iso(match)
    return DateField(iso, match.group(0).strip()) if iso else None


def parse_date_line(line: str) -> DateField | None:
    """A whole line that is only a date field (with day name, time, zone and labels), else None."""
    text = line.replace("\u00a0", " ").strip()
    if not text or len(text) > _MAX_DATE_LINE:
        return None
    match = _DATE_TIME_RE.search(text)
    if not match:
        return None
    residue = _DATE_LABELS.sub(" ", text[: match.start()] + " " + text[match.end() :])
    if re.search(r"[^\W_]", residue):
        return None
    iso = to_iso(match)
    if not iso:
        return None
    outlet = _OUTLET_ON_DATE_LINE.match(text[: match.start()])
    return DateField(iso, match.group(0).strip(), outlet.group("outlet") if outlet else None)


def find_body_date(text: str) -> DateField | None:
    """A "Selasa (17/6/2025)"-style date inside story text, else None."""
    match = _BODY_DATE_RE.search(text)
    if not match:
        return None
    iso = to_iso(match)
    return DateField(iso, match.group(0)) if iso else None
