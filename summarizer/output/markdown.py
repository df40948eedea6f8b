"""briefing.md: title, ranked key points with [n] citations, figures by source, sources, verification."""

from __future__ import annotations

from summarizer.briefing.compose import Briefing
from summarizer.briefing.record import BriefingRecord
from summarizer.output.wording import briefed_line, claim_context, date_of, note_lines, verification_line

FILE_NAME = "briefing.md"


def render(record: BriefingRecord) -> dict[str, str]:
    return {FILE_NAME: render_briefing(record)}


def citation_marks(sources: list[int]) -> str:
    return "".join(f"[{n}]" for n in sources)


def render_briefing(record: BriefingRecord) -> str:
    b = record.briefing
    lines = [f"# {b.title}", "", f"_{briefed_line(record)}_", ""]
    lines += ["## Key points", ""]
    lines += [f"- {p.text} {citation_marks(p.sources)}" for p in b.points] or ["_No key point could be verified._"]
    lines += ["", "## Figures and claims by source", ""]
    lines += _figure_lines(b) or ["_No figure differs between sources._"]
    lines += ["", "## Sources", ""]
    lines += _source_lines(b, record.language)
    lines += ["", "## Verification", "", verification_line(b)]
    if b.dropped:
        lines += ["", "Dropped (no source supports them):"]
        lines += [f'- "{d.text}" {citation_marks(d.sources)} — {d.reason}' for d in b.dropped]
    notes = note_lines(record)
    if notes:
        lines += ["", "Notes:"] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


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


def _source_lines(b: Briefing, language: str) -> list[str]:
    lines = []
    for s in b.sources:
        lines.append(f"{s.number}. {_describe(s.title, s.outlet, date_of(s.date, None, language), s.file)}")
        for c in s.copies:
            similarity = f" (similarity {c.similarity:.2f})" if c.similarity is not None else ""
            lines.append(
                f"   - copy: {_describe(c.title, c.outlet, date_of(c.date, None, language), c.file)}{similarity}"
            )
    return lines


def _describe(title: str | None, outlet: str | None, date: str, file: str) -> str:
    parts = [f"**{title}**" if title else "(untitled)", outlet or "unknown outlet", date]
    return " — ".join(parts) + f" — `{file}`"
