"""briefing.md: title, ranked key points with [n] citations, figures by source, sources, verification."""

from __future__ import annotations

from summarizer.briefing.compose import Briefing
from summarizer.briefing.record import BriefingRecord
from summarizer.output.wording import briefed_line, claim_context, note_lines, verification_line

FILE_NAME = "briefing.md"


def render(record: BriefingRecord) -> dict[str, str]:
    return {FILE_NAME: render_briefing(record)}


def citation_marks(sources: list[int]) -> str:
    return "".join(f"[{n}]" for n in sources)


def render_briefing(record: BriefingRecord) -> str:
    b = record.briefing
    lines = [f"# {b.title}", ""]
    if b.title_disputed:
        lines += [f"> ⚠ The sources differ on a value in this title: {'; '.join(b.title_disputed)}", ""]
    lines += [f"_{briefed_line(record)}_", ""]
    lines += ["## Key points", ""]
    lines += [f"- {p.text} {citation_marks(p.sources)}{_disputed(p.disputed)}" for p in b.points] or [
        "_No key point could be verified._"
    ]
    lines += ["", "## Figures and claims by source", ""]
    lines += _conflict_lines(b) + _figure_lines(b) or ["_No figure differs between sources._"]
    lines += ["", "## Sources", ""]
    lines += _source_lines(b)
    if b.off_topic:
        kept = all(o.kept for o in b.off_topic)
        lines += ["", "## Off-topic articles (briefed anyway)" if kept else "## Left out: off-topic articles", ""]
        lines += [f"- {_describe(o.title, o.outlet, o.date, o.file)}: {o.reason}, {o.detail}" for o in b.off_topic]
    lines += ["", "## Verification", "", verification_line(b)]
    if b.dropped:
        lines += ["", "Dropped (no source supports them):"]
        lines += [f'- "{d.text}" {citation_marks(d.sources)} — {d.reason}' for d in b.dropped]
    notes = note_lines(record)
    if notes:
        lines += ["", "Notes:"] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def _disputed(disputed: list[str]) -> str:
    return f" ⚠ _sources differ: {'; '.join(disputed)}_" if disputed else ""


def _conflict_lines(b: Briefing) -> list[str]:
    """Values the outlets contradict each other on: who said what, where (sentence id)."""
    lines: list[str] = []
    for conflict in b.conflicts:
        lines += [f"**Sources differ: {conflict.what}**", ""]
        for c in sorted(conflict.claims, key=lambda c: c.source):
            where = ", ".join(x for x in (c.outlet, c.date) if x)
            lines.append(f"- **{c.text}** — [{c.source}]" + (f" {where}" if where else "") + f" (`{c.sentence_id}`)")
            lines.append(f"  > {c.sentence}")
        lines.append("")
    return lines


def _figure_lines(b: Briefing) -> list[str]:
    lines: list[str] = []
    for group in b.figures:
        lines += [f"**{group.label}**", ""]
        for c in group.claims:
            who, when, hedge = claim_context(c)
            hedged = f" ({hedge})" if hedge else ""
            lines.append(f"- **{c.display}**{hedged} — {who}" + (f" ({when})" if when else "") + f" [{c.source}]")
            lines.append(f"  > {c.text}")
        lines.append("")
    return lines[:-1]


def _source_lines(b: Briefing) -> list[str]:
    lines = []
    for s in b.sources:
        lines.append(f"{s.number}. {_describe(s.title, s.outlet, s.date, s.file)}")
        for c in s.copies:
            similarity = f" (similarity {c.similarity:.2f})" if c.similarity is not None else ""
            lines.append(f"   - copy: {_describe(c.title, c.outlet, c.date, c.file)}{similarity}")
    return lines


def _describe(title: str | None, outlet: str | None, date: str | None, file: str) -> str:
    parts = [f"**{title}**" if title else "(untitled)", outlet or "unknown outlet", date or "undated"]
    return " — ".join(parts) + f" — `{file}`"
