"""briefing.md: title, ranked key points with [n] citations, figures by source, sources, verification."""

from __future__ import annotations

from summarizer.briefing.compose import Briefing
from summarizer.briefing.record import BriefingRecord
from summarizer.output.labels import Labels, labels_for
from summarizer.output.wording import (
    briefed_line,
    citation_change_lines,
    claim_context,
    date_of,
    note_lines,
    readable_date,
    verification_line,
)

FILE_NAME = "briefing.md"


def render(record: BriefingRecord) -> dict[str, str]:
    return {FILE_NAME: render_briefing(record)}


def citation_marks(sources: list[int]) -> str:
    return "".join(f"[{n}]" for n in sources)


def render_briefing(record: BriefingRecord) -> str:
    b = record.briefing
    t = labels_for(record.language)
    lines = [f"# {b.title}", ""]
    if b.title_disputed:
        lines += [f"> ⚠ {t.title_disputed.format(values='; '.join(t.say_all(b.title_disputed)))}", ""]
    lines += [f"_{briefed_line(record)}_", ""]
    lines += [f"## {t.key_points}", ""]
    lines += [f"- {p.text} {citation_marks(p.sources)}{_disputed(p.disputed, t)}" for p in b.points] or [
        f"_{t.no_key_point}_"
    ]
    lines += ["", f"## {t.figures}", ""]
    lines += _conflict_lines(b, t) + _figure_lines(b, t) or [f"_{t.no_figures}_"]
    lines += ["", f"## {t.sources}", ""]
    lines += _source_lines(b, t)
    if b.off_topic:
        kept = all(o.kept for o in b.off_topic)
        lines += ["", f"## {t.off_topic_kept if kept else t.off_topic_left_out}", ""]
        lines += [
            f"- {_describe(o.title, o.outlet, date_of(o.date, None, b.language), o.file, t)}: "
            f"{t.code(o.reason)}, {t.say(o.detail)}"
            for o in b.off_topic
        ]
    lines += ["", f"## {t.verification}", "", verification_line(b)]
    changes = citation_change_lines(b)
    if changes:
        lines += ["", t.changed] + [f"- {c}" for c in changes]
    if b.dropped:
        lines += ["", t.dropped]
        lines += [f'- "{d.text}" {citation_marks(d.sources)} — {t.say(d.reason)}' for d in b.dropped]
    notes = note_lines(record)
    if notes:
        lines += ["", t.notes] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def _disputed(disputed: list[str], t: Labels) -> str:
    return f" ⚠ _{t.point_disputed.format(values='; '.join(t.say_all(disputed)))}_" if disputed else ""


def _sentence_ref(sentence_id: str, t: Labels) -> str:
    """Where a claim stands, as its article numbers it (paragraph.sentence), not as a raw id."""
    from summarizer.document import parse_sentence_id

    try:
        ref = parse_sentence_id(sentence_id)
    except ValueError:
        return ""
    return f" ({t.sentence_ref.format(label=f'{ref.paragraph}.{ref.sentence}')})"


def _conflict_lines(b: Briefing, t: Labels) -> list[str]:
    """Values the outlets contradict each other on: who said what, where (sentence id)."""
    lines: list[str] = []
    for conflict in b.conflicts:
        lines += [f"**{t.sources_differ.format(what=t.say(conflict.what))}**", ""]
        for c in sorted(conflict.claims, key=lambda c: c.source):
            where = ", ".join(x for x in (c.outlet, readable_date(c.date, b.language)) if x)
            lines.append(
                f"- **{c.text}** — [{c.source}]" + (f" {where}" if where else "") + _sentence_ref(c.sentence_id, t)
            )
            lines.append(f"  > {c.sentence}")
        lines.append("")
    return lines


def _figure_lines(b: Briefing, t: Labels) -> list[str]:
    lines: list[str] = []
    for group in b.figures:
        lines += [f"**{t.count_label(group.counted, group.qualifier)}**", ""]
        for c in group.claims:
            who, when, hedge = claim_context(c, b.language)
            hedged = f" ({hedge})" if hedge else ""
            lines.append(f"- **{c.display}**{hedged} — {who}" + (f" ({when})" if when else "") + f" [{c.source}]")
            lines.append(f"  > {c.text}")
        lines.append("")
    return lines[:-1]


def _source_lines(b: Briefing, t: Labels) -> list[str]:
    lines = []
    for s in b.sources:
        lines.append(f"{s.number}. {_describe(s.title, s.outlet, date_of(s.date, None, b.language), s.file, t)}")
        for c in s.copies:
            similarity = f" ({t.similarity.format(value=t.number(c.similarity))})" if c.similarity is not None else ""
            copy = _describe(c.title, c.outlet, date_of(c.date, None, b.language), c.file, t)
            lines.append(f"   - {t.copy}: {copy}{similarity}")
    return lines


def _describe(title: str | None, outlet: str | None, date: str | None, file: str, t: Labels) -> str:
    parts = [f"**{title}**" if title else t.untitled, outlet or t.unknown_outlet, date or t.undated]
    return " — ".join(parts) + f" — `{file}`"
