"""The day an event is given: a weekday written with a date ("Selasa (10/6/2025)", "Kamis, 19
Juni 2025"), compared across outlets and checked against the calendar.

Two ways outlets get it wrong, both caught without knowing the event:

- the same date with a different weekday ("Selasa (10/6/2025)" vs "Kamis (10/6/2025)");
- a weekday with a date the calendar gives another weekday, where the other outlets give that
  weekday a date that is right and differs in one field only: a mistyped day, month or year
  ("Kamis (19/5/2025)", "Kamis, 20 Juni 2025" or "Kamis (19/6/2026)" against "Kamis (19/6/2025)").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from summarizer.briefing.conflicts.model import Conflict, ConflictClaim, Story, conflict_of
from summarizer.output.labels import Message
from summarizer.text.lexicon import ID_DAY_NAMES, ID_MONTHS

# Monday first, as datetime.weekday() counts.
_WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_DAY = "|".join(re.escape(d) for d in ID_DAY_NAMES)
_MONTH = "|".join(sorted((m.capitalize() for m in ID_MONTHS), key=len, reverse=True))
_WEEKDAY_DATE = re.compile(
    rf"\b(?P<weekday>{_DAY})\s*,?\s*"
    rf"(?:\(\s*(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>\d{{4}}|\d{{2}}))?\s*\)"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<month>{_MONTH})\b(?:\s+(?P<y2>\d{{4}}))?)"
)


@dataclass(frozen=True)
class _Dated:
    weekday: str
    day: int
    month: int
    year: int | None  # as written
    assumed_year: int | None  # as written, else the story's
    written: str

    @property
    def date(self) -> dt.date | None:
        try:
            return dt.date(self.assumed_year, self.month, self.day) if self.assumed_year else None
        except ValueError:
            return None

    @property
    def on_calendar(self) -> bool | None:
        """Is the weekday the calendar's for the date? None when that cannot be known: no year,
        or a year assumed from the story's date that the calendar does not bear out (a story of
        January 2026 writing "Kamis (19/6)" about June 2025)."""
        date = self.date
        if date is None:
            return None
        right = _WEEKDAYS[date.weekday()] == self.weekday
        return True if right else (False if self.year else None)


def weekday_date_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` writes a weekday with a date: read here, not as a bare date."""
    return [m.span() for m in _WEEKDAY_DATE.finditer(text)]


def weekday_conflicts(stories: list[Story]) -> list[Conflict]:
    found: list[tuple[_Dated, ConflictClaim]] = []
    for story in stories:
        story_year = int(story.date[:4]) if story.date and story.date[:4].isdigit() else None
        for sentence_id, text in story.sentences:
            for match in _WEEKDAY_DATE.finditer(text):
                dated = _dated(match, story_year)
                if dated:
                    found.append((dated, story.claim(sentence_id, dated.weekday, dated.written)))
    mistyped = _mistyped_dates(found)
    weekdays = _weekdays_of_a_date([f for i, f in enumerate(found) if i not in mistyped])
    return weekdays + _dates_of_a_weekday(found, mistyped)


def _mistyped_dates(found: list[tuple[_Dated, ConflictClaim]]) -> set[int]:
    """The mentions whose weekday the calendar contradicts and whose date, not weekday, is the
    likelier typo: the weekday has one right date in the folder, one field away, and the
    sentences giving it share more words with this one than those giving this date another
    weekday ("Kamis, 20 Juni 2025" about the meeting others date "Kamis (19/6/2025)")."""
    mistyped = set()
    for i, (dated, claim) in enumerate(found):
        if dated.on_calendar is not False or dated.date is None:
            continue
        right = {d.date for d, _ in found if d.weekday == dated.weekday and d.on_calendar}
        if len(right) != 1 or not _one_field_apart(dated.date, next(iter(right))):  # type: ignore[arg-type]
            continue
        same_weekday = [c for d, c in found if d.weekday == dated.weekday and d.on_calendar]
        same_date = [c for d, c in found if d.date == dated.date and d.weekday != dated.weekday and d.on_calendar]
        if _closeness(claim, same_weekday) > _closeness(claim, same_date):
            mistyped.add(i)
    return mistyped


def _closeness(claim: ConflictClaim, others: list[ConflictClaim]) -> int:
    """The most content words `claim`'s sentence shares with one of `others` (-1 for none)."""
    words = _content_words(claim.sentence)
    return max((len(words & _content_words(o.sentence)) for o in others if o.source != claim.source), default=-1)


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{4,}", text)}


def _dated(match: re.Match[str], story_year: int | None) -> _Dated | None:
    weekday = match.group("weekday").replace("'", "")
    if match.group("d"):
        day, month, raw_year = int(match.group("d")), int(match.group("m")), match.group("y")
    else:
        day, month, raw_year = int(match.group("d2")), ID_MONTHS[match.group("month").lower()], match.group("y2")
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    year = int(raw_year) + (2000 if raw_year and len(raw_year) == 2 else 0) if raw_year else None
    return _Dated(weekday, day, month, year, year or story_year, match.group(0))


def _weekdays_of_a_date(found: list[tuple[_Dated, ConflictClaim]]) -> list[Conflict]:
    """One date, two weekdays: a date has one weekday, whatever the sentence is about."""
    by_date: dict[tuple[int, int], list[tuple[_Dated, ConflictClaim]]] = defaultdict(list)
    for dated, claim in found:
        by_date[(dated.day, dated.month)].append((dated, claim))
    conflicts = []
    for (day, month), items in by_date.items():
        weekdays = {d.weekday for d, _ in items}
        sources = {c.source for _, c in items}
        if len(weekdays) < 2 or len(sources) < 2:
            continue
        conflicts.append(conflict_of(_weekday_what(f"{day}/{month}", items), "weekday", [c for _, c in items]))
    return conflicts


def _weekday_what(date: str, items: list[tuple[_Dated, ConflictClaim]]) -> Message:
    """ "weekday of 10/6", with the calendar's weekday when the year is written."""
    dates = {d.date for d, _ in items if d.year and d.date}
    if len(dates) != 1:
        return Message("conflict.weekday", date=date)
    full = dates.pop()
    weekday = _WEEKDAYS[full.weekday()]
    return Message("conflict.weekday_calendar", date=date, full=f"{full.day}/{full.month}/{full.year}", weekday=weekday)


def _dates_of_a_weekday(found: list[tuple[_Dated, ConflictClaim]], mistyped: set[int]) -> list[Conflict]:
    """A weekday with a mistyped date, against the one right date the other outlets give it."""
    conflicts = []
    for weekday in sorted({found[i][0].weekday for i in mistyped}):
        wrong = [found[i] for i in sorted(mistyped) if found[i][0].weekday == weekday]
        date = next(d.date for d, _ in found if d.weekday == weekday and d.on_calendar)
        assert date is not None
        holders = [(d, c) for d, c in found if d.weekday == weekday and d.date == date]
        claims = [_with_date(c, d) for d, c in holders + wrong]
        if len({c.source for c in claims}) < 2:
            continue
        full = f"{date.day}/{date.month}/{date.year}"
        conflicts.append(conflict_of(Message("conflict.weekday_date", weekday=weekday, full=full), "date", claims))
    return conflicts


def _one_field_apart(first: dt.date, second: dt.date) -> bool:
    fields = zip((first.day, first.month, first.year), (second.day, second.month, second.year), strict=True)
    return sum(a != b for a, b in fields) == 1


def _with_date(claim: ConflictClaim, dated: _Dated) -> ConflictClaim:
    """The claim's value is the date it gives, not its weekday."""
    date = dated.date
    value = date.isoformat() if date else claim.value
    return ConflictClaim(
        claim.source, claim.article_id, claim.outlet, claim.date, claim.sentence_id, value, claim.text, claim.sentence
    )
