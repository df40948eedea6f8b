"""Sentences every human-readable format shows the same way (Markdown and HTML share them)."""

from __future__ import annotations

import re

from summarizer.briefing.compose import Briefing
from summarizer.briefing.figures import FigureClaim
from summarizer.briefing.record import BriefingRecord, RunFlag
from summarizer.output.labels import Labels, labels_for


def verification_line(briefing: Briefing) -> str:
    """One line: citation precision/recall of what is shown, then of the model's draft."""
    t = labels_for(briefing.language)
    shown, draft = briefing.shown_metrics, briefing.metrics
    parts = []
    if shown is not None:
        parts.append(
            t.shown_line.format(
                precision=ratio(shown.precision, t),
                recall=ratio(shown.recall, t),
                points=shown.sentences,
                citations=shown.citations,
            )
        )
    parts.append(
        t.draft_line.format(
            precision=ratio(draft.precision, t),
            recall=ratio(draft.recall, t),
            sentences=draft.sentences,
            citations=draft.citations,
            recited=draft.recited,
            dropped=draft.dropped,
        )
    )
    return "; ".join(parts)


def ratio(value: float | None, t: Labels) -> str:
    """A precision or recall as the briefing's language writes it ("0.95", "0,95"; "n/a")."""
    return t.not_available if value is None else t.number(value)


def citation_change_lines(briefing: Briefing) -> list[str]:
    """Every citation the verifier removed from or added to a point, with the reason."""
    t = labels_for(briefing.language)
    lines = []
    for point in briefing.points:
        for change in point.changes:
            excerpt = point.text if len(point.text) <= 80 else point.text[:77].rstrip() + "..."
            action = t.removed if change.action == "removed" else t.added
            reason = t.say(change.reason)
            lines.append(t.on_point.format(action=action, source=change.source, excerpt=excerpt, reason=reason))
    return lines


def briefed_line(record: BriefingRecord) -> str:
    """What was briefed (articles, outlets, copies) and who wrote the key points: the model is
    credited only for the points it wrote, and extractive fill-ins are said here, not only in a note."""
    return f"{articles_line(record)} · {credit_line(record.briefing)}"


def articles_line(record: BriefingRecord) -> str:
    """ "5 articles from 4 outlets (one a copy)": the folder is one story told by several articles."""
    t = labels_for(record.language)
    articles = record.folder.articles
    # An article whose outlet is unknown is counted as an outlet of its own: it cannot be merged.
    outlets = {a.metadata.outlet.casefold() if a.metadata.outlet else f"?{a.id}" for a in articles}
    copies = sum(len(source.copies) for source in record.briefing.sources)
    line = t.articles_from.format(articles=t.count(len(articles), "article"), outlets=t.count(len(outlets), "outlet"))
    if copies == 1:
        line += f" ({t.one_copy})" if len(articles) > 1 else ""
    elif copies > 1:
        line += f" ({t.copies.format(count=copies)})"
    return line


def credit_line(briefing: Briefing) -> str:
    """Who wrote the key points, point by point."""
    t = labels_for(briefing.language)
    by_model = sum(1 for p in briefing.points if p.origin == "model")
    extractive = len(briefing.points) - by_model
    if not briefing.points:
        return t.credit_none
    if briefing.model == "extractive":
        return t.credit_extractive
    if not by_model:
        return t.credit_model_failed.format(model=briefing.model)
    if not extractive:
        return t.credit_model.format(model=briefing.model)
    return t.credit_mixed.format(points=t.count(by_model, "point"), model=briefing.model, extractive=extractive)


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
    return readable_date(date, language) or date_text or labels_for(language).undated


def note_lines(record: BriefingRecord) -> list[str]:
    """The briefing's notes, then every flag raised outside the translation, in its language."""
    t = labels_for(record.language)
    return t.say_all(record.briefing.notes) + [flag_note(f, t) for f in record.flags]


def flag_note(flag: RunFlag, t: Labels) -> str:
    """ "article: code: detail", the code and the detail as the briefing's language words them."""
    return f"{flag.where}: {flag_text(flag, t)}" if flag.where else flag_text(flag, t)


def flag_text(flag: RunFlag, t: Labels) -> str:
    """ "code: detail" in the briefing's language."""
    return f"{t.code(flag.code)}: {t.say(flag.detail)}"


def claim_context(claim: FigureClaim, language: str = "en") -> tuple[str, str, str]:
    """(who said it, when, how it was written when that hedges the value) for one figure."""
    t = labels_for(language)
    who = claim.who or t.no_attribution
    dated = t.article_dated.format(date=readable_date(claim.article_date, language)) if claim.article_date else None
    when = ", ".join(x for x in (claim.when, dated) if x)
    # "400-an" (some 400) keeps its hedge next to the plain value.
    hedge = t.written.format(text=claim.as_written) if re.search(r"[^\d.,]", claim.as_written) else ""
    return who, when, hedge
