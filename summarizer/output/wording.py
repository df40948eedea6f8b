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
                precision=_ratio(shown.precision, t),
                recall=_ratio(shown.recall, t),
                points=shown.sentences,
                citations=shown.citations,
            )
        )
    parts.append(
        t.draft_line.format(
            precision=_ratio(draft.precision, t),
            recall=_ratio(draft.recall, t),
            sentences=draft.sentences,
            citations=draft.citations,
            recited=draft.recited,
            dropped=draft.dropped,
        )
    )
    return "; ".join(parts)


def _ratio(value: float | None, t: Labels) -> str:
    return t.not_available if value is None else f"{value:.2f}"


def citation_change_lines(briefing: Briefing) -> list[str]:
    """Every citation the verifier removed from or added to a point, with the reason."""
    t = labels_for(briefing.language)
    lines = []
    for point in briefing.points:
        for change in point.changes:
            excerpt = point.text if len(point.text) <= 80 else point.text[:77].rstrip() + "..."
            action = t.removed if change.action == "removed" else t.added
            lines.append(t.on_point.format(action=action, source=change.source, excerpt=excerpt, reason=change.reason))
    return lines


def briefed_line(record: BriefingRecord) -> str:
    """What was briefed: stories, articles, and the model that wrote the key points."""
    b = record.briefing
    return labels_for(record.language).briefed.format(
        stories=len(b.sources), articles=len(record.folder.articles), model=b.model
    )


def note_lines(record: BriefingRecord) -> list[str]:
    """The briefing's notes, then every flag raised outside the translation."""
    return record.briefing.notes + [_flag_note(f) for f in record.flags]


def _flag_note(flag: RunFlag) -> str:
    return f"{flag.where}: {flag.code}: {flag.detail}" if flag.where else f"{flag.code}: {flag.detail}"


def claim_context(claim: FigureClaim, language: str = "en") -> tuple[str, str, str]:
    """(who said it, when, how it was written when that hedges the value) for one figure."""
    t = labels_for(language)
    who = claim.who or t.no_attribution
    dated = t.article_dated.format(date=claim.article_date) if claim.article_date else None
    when = ", ".join(x for x in (claim.when, dated) if x)
    # "400-an" (some 400) keeps its hedge next to the plain value.
    hedge = t.written.format(text=claim.as_written) if re.search(r"[^\d.,]", claim.as_written) else ""
    return who, when, hedge
