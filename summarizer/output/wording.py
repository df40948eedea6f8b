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
    """What was briefed: stories, articles, and the model that wrote the key points."""
    b = record.briefing
    return (
        f"{len(b.sources)} stories from {len(record.folder.articles)} articles · "
        f"key points by {b.model}, verified against the sources"
    )


def note_lines(record: BriefingRecord) -> list[str]:
    """The briefing's notes, then every flag raised outside the translation."""
    return record.briefing.notes + [_flag_note(f) for f in record.flags]


def _flag_note(flag: RunFlag) -> str:
    return f"{flag.where}: {flag.code}: {flag.detail}" if flag.where else f"{flag.code}: {flag.detail}"


def claim_context(claim: FigureClaim) -> tuple[str, str, str]:
    """(who said it, when, how it was written when that hedges the value) for one figure."""
    who = claim.who or "no attribution in the text"
    when = ", ".join(
        x for x in (claim.when, f"article dated {claim.article_date}" if claim.article_date else None) if x
    )
    # "400-an" (some 400) keeps its hedge next to the plain value.
    hedge = f'written "{claim.as_written}"' if re.search(r"[^\d.,]", claim.as_written) else ""
    return who, when, hedge
