"""Values the outlets contradict each other on: who said what, and where.

Each finder reads the briefed stories' ORIGINAL sentences (and headlines) for one class of
value and reports the keys on which two stories disagree:

- `figures`: counts, money, percentages, times, dates, identifiers;
- `dates`: the weekday given with a date, across outlets and against the calendar;
- `series`: a match's score at one moment, a row of a price table;
- `quotes`: one quotation by one speaker worded or dated differently;
- `people`: a name spelled two ways, a witness's role (also from a quotation one outlet gives to
  a role the others give someone else), whether someone is a suspect, and a victim's sex.

Precision comes first: a false conflict misleads an editor, so each finder claims one only when
the two stories are shown to be about the same thing.
"""

from __future__ import annotations

import re

from summarizer.briefing.conflicts.dates import weekday_conflicts
from summarizer.briefing.conflicts.figures import figure_conflicts, keys_of
from summarizer.briefing.conflicts.model import Conflict, ConflictClaim, briefed_stories
from summarizer.briefing.conflicts.people import people_conflicts, proper_names
from summarizer.briefing.conflicts.quotes import quotation_conflicts
from summarizer.briefing.conflicts.series import series_conflicts
from summarizer.document import Folder
from summarizer.output.labels import Message
from summarizer.text.numbers import find_numbers

__all__ = ["Conflict", "ConflictClaim", "describe", "disputed_in", "find_conflicts"]


def find_conflicts(folder: Folder, numbers: dict[str, int]) -> list[Conflict]:
    """Every key on which two stories of `folder` give different values.

    `numbers` maps article id → source number; articles without a number (left out) are ignored.
    """
    stories = briefed_stories(folder, numbers)
    names = proper_names(stories)
    conflicts = figure_conflicts(stories, names)
    conflicts += weekday_conflicts(stories)
    conflicts += series_conflicts(stories)
    conflicts += quotation_conflicts(stories)
    conflicts += people_conflicts(stories, names)
    return sorted(conflicts, key=lambda c: (-len({x.source for x in c.claims}), c.what))


def disputed_in(text: str, conflicts: list[Conflict]) -> list[str]:
    """The conflicts whose contested values `text` states, each as "what: [n] value, [m] value"."""
    return [describe(c) for c in conflicts if _states(text, c)]


_SCORE = re.compile(r"(?<![\d/.,])(\d{1,2})\s?[-–]\s?(\d{1,2})(?![\d/.,])")


def _states(text: str, conflict: Conflict) -> bool:
    if conflict.subject and conflict.subject.casefold() not in text.casefold():
        return False
    values = {c.value for c in conflict.claims}
    if conflict.kind == "weekday":
        return any(re.search(rf"\b{re.escape(v)}\b", text) for v in values)
    if conflict.kind == "identifier":
        return any(re.search(rf"\b{re.escape(c.text)}\b", text) or c.value in text for c in conflict.claims)
    if conflict.kind == "score":
        return any(_score_value(m) in values for m in _SCORE.finditer(text))
    if conflict.kind == "quotation":
        return any(_quoted_in(c.value, text) for c in conflict.claims)
    if conflict.kind == "statement date":  # the remark itself, with the day one outlet gives it
        return any(_quoted_in(_plain(c.sentence), text) and c.text in text for c in conflict.claims)
    if conflict.kind in _FIGURE_KINDS | {"date", "table"}:
        stated = {m.value for m in find_numbers(text, "id")}
        day_of = {v[-5:] for v in stated if re.fullmatch(r"(?:\d{4}|-)-\d{2}-\d{2}", v)}
        if stated & values or (conflict.kind == "date" and day_of & {v[-5:] for v in values}):
            return _same_key(text, conflict)
    return any(w in text for w in {c.text for c in conflict.claims} if len(w) > 3)


_FIGURE_KINDS = frozenset({"count", "number", "percent", "money", "time", "coordinate"})


def _same_key(text: str, conflict: Conflict) -> bool:
    """Does `text` state the contested value about the same thing? A value matches unless both
    the text and the claims give it as a change or an end of one, and differently: a fall of
    Rp 7.000 today is not the contested fall of Rp 7.000 the previous day. Anchor words alone
    ("Gempa M 4,8" against "magnitudo 4,8") differ too freely between headline and text to tell."""
    if conflict.kind not in _FIGURE_KINDS:
        return True
    values = {c.value for c in conflict.claims}
    contested = {key for c in conflict.claims for key in keys_of(c.sentence, {c.value})}
    stated = keys_of(text, values)
    if not (contested and stated) or not all(_changes(k) for k in contested | stated):
        return True
    return bool(contested & stated)


def _changes(key: tuple[str, str, str]) -> bool:
    return key[1].startswith(_CHANGE_ANCHORS)


_CHANGE_ANCHORS = ("turun", "naik", "menjadi", "dari")


def _score_value(match: re.Match[str]) -> str:
    low, high = sorted((int(match.group(1)), int(match.group(2))))
    return f"{high}-{low}"


def _quoted_in(quotation: str, text: str) -> bool:
    """Does `text` carry (a run of eight words of) the quotation?"""
    words = quotation.split()
    plain = _plain(text)
    return any(" ".join(words[i : i + 8]) in plain for i in range(max(1, len(words) - 7)))


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def describe(conflict: Conflict) -> Message:
    """ "kedalaman (km): [1] kedalaman 10 kilometer; [3] kedalaman 13 km"."""
    claims = "; ".join(f"[{c.source}] {c.text}" for c in sorted(conflict.claims, key=lambda c: c.source))
    return Message("conflict.values", what=conflict.what, claims=claims)
