"""Sentences every human-readable format shows the same way (Markdown and HTML share them)."""

from __future__ import annotations

import re

from summarizer.briefing.compose import Briefing
from summarizer.briefing.figures import FigureClaim
from summarizer.briefing.record import BriefingRecord, RunFlag


def verification_line(briefing: Briefing) -> str:
    """One line: citation precision/recall and what was repaired or dropped."""
    m = briefing.metrics
    precision = "n/a" if m.precision is None else f"{m.precision:.2f}"
    recall = "n/a" if m.recall is None else f"{m.recall:.2f}"
    return (
        f"model citations: precision {precision}, recall {recall} "
        f"({m.sentences} sentences, {m.citations} citations); {m.recited} re-cited, {m.dropped} dropped"
    )


def briefed_line(record: BriefingRecord) -> str:
    """What was briefed (articles, outlets, copies) and who wrote the key points: the model is
    credited only for the points it wrote, and extractive fill-ins are said here, not only in a note."""
    return f"{articles_line(record)} · {credit_line(record.briefing)}"


def articles_line(record: BriefingRecord) -> str:
    """ "5 articles from 4 outlets (one a copy)": the folder is one story told by several articles."""
    articles = record.folder.articles
    # An article whose outlet is unknown is counted as an outlet of its own: it cannot be merged.
    outlets = {a.metadata.outlet.casefold() if a.metadata.outlet else f"?{a.id}" for a in articles}
    copies = sum(len(source.copies) for source in record.briefing.sources)
    line = f"{_count(len(articles), 'article')} from {_count(len(outlets), 'outlet')}"
    if copies == 1:
        line += " (one a copy)" if len(articles) > 1 else ""
    elif copies > 1:
        line += f" ({copies} of them copies)"
    return line


def credit_line(briefing: Briefing) -> str:
    """Who wrote the key points, point by point."""
    by_model = sum(1 for p in briefing.points if p.origin == "model")
    extractive = len(briefing.points) - by_model
    if not briefing.points:
        return "no key point could be verified"
    if briefing.model == "extractive":
        return "key points are sentences picked from the articles (extractive), verified against the sources"
    if not by_model:
        return (
            f"key points picked from the articles (extractive): none of {briefing.model}'s passed "
            "verification; all verified against the sources"
        )
    if not extractive:
        return f"key points by {briefing.model}, verified against the sources"
    return (
        f"{_count(by_model, 'key point')} by {briefing.model}, {extractive} picked from the articles "
        "(extractive) where too few of the model's passed verification; all verified against the sources"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


_MONTHS = {
    "en": ("January February March April May June July August September October November December".split()),
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split(),
}
# Indonesia's time zones by UTC offset, as its press writes them.
_ZONES = {7 * 3600: "WIB", 8 * 3600: "WITA", 9 * 3600: "WIT"}


def readable_date(value: str | None, language: str = "en") -> str | None:
    """An ISO 8601 date as a reader writes it: "17 June 2025, 15:18 WIB" (Indonesian month names
    and "15.18" for --lang id). Anything that is not ISO is returned as it is."""
    from datetime import datetime

    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    months = _MONTHS.get(language, _MONTHS["en"])
    day = f"{parsed.day} {months[parsed.month - 1]} {parsed.year}"
    if "T" not in value:
        return day
    separator = "." if language == "id" else ":"
    clock = f"{parsed.hour:02d}{separator}{parsed.minute:02d}"
    offset = parsed.utcoffset()
    if offset is None:
        return f"{day}, {clock}"
    seconds = int(offset.total_seconds())
    if seconds in _ZONES:
        zone = _ZONES[seconds]
    elif seconds == 0:
        zone = "UTC"
    else:
        hours, minutes = divmod(abs(seconds) // 60, 60)
        zone = f"UTC{'+' if seconds > 0 else '-'}{hours:02d}:{minutes:02d}"
    return f"{day}, {clock} {zone}"


def date_of(date: str | None, date_text: str | None, language: str = "en") -> str:
    """An article's date for the reader: the parsed date made readable, else as written."""
    return readable_date(date, language) or date_text or "undated"


def note_lines(record: BriefingRecord) -> list[str]:
    """The briefing's notes, then every flag raised outside the translation."""
    return record.briefing.notes + [_flag_note(f) for f in record.flags]


def _flag_note(flag: RunFlag) -> str:
    return f"{flag.where}: {flag.code}: {flag.detail}" if flag.where else f"{flag.code}: {flag.detail}"


def claim_context(claim: FigureClaim) -> tuple[str, str, str]:
    """(who said it, when, how it was written when that hedges the value) for one figure."""
    who = claim.who or "no attribution in the text"
    when = ", ".join(
        x
        for x in (claim.when, f"article dated {readable_date(claim.article_date)}" if claim.article_date else None)
        if x
    )
    # "400-an" (some 400) keeps its hedge next to the plain value.
    hedge = f'written "{claim.as_written}"' if re.search(r"[^\d.,]", claim.as_written) else ""
    return who, when, hedge
