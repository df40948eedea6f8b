"""briefing.md: title, ranked key points with [n] citations, figures by source, sources, verification.

Every value that comes from the articles (or a model that read them) goes through md_text/md_code
where it is put into a line, so that it shows as text and can add no heading, link or HTML.
"""

from __future__ import annotations

from summarizer.briefing.compose import Briefing
from summarizer.briefing.record import BriefingRecord
from summarizer.output.labels import Labels, labels_for
from summarizer.output.mdtext import md_code, md_text
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
    lines = [f"# {md_text(b.title)}", ""]
    if b.title_disputed:
        lines += [f"> ⚠ {md_text(t.title_disputed.format(values='; '.join(t.say_all(b.title_disputed))))}", ""]
    lines += [f"_{md_text(briefed_line(record))}_", ""]
    lines += [f"## {t.key_points}", ""]
    lines += [f"- {md_text(p.text)} {citation_marks(p.sources)}{_disputed(p.disputed, t)}" for p in b.points] or [
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
            f"{md_text(t.code(o.reason))}, {md_text(t.say(o.detail))}"
            for o in b.off_topic
        ]
    lines += ["", f"## {t.verification}", "", md_text(verification_line(b))]
    changes = citation_change_lines(b)
    if changes:
        lines += ["", t.changed] + [f"- {md_text(c)}" for c in changes]
    if b.dropped:
        lines += ["", t.dropped]
        lines += [f'- "{md_text(d.text)}" {citation_marks(d.sources)} — {md_text(t.say(d.reason))}' for d in b.dropped]
    notes = note_lines(record)
    if notes:
        lines += ["", t.notes] + [f"- {md_text(n)}" for n in notes]
    return "\n".join(lines) + "\n"


def _disputed(disputed: list[str], t: Labels) -> str:
    return f" ⚠ _{md_text(t.point_disputed.format(values='; '.join(t.say_all(disputed))))}_" if disputed else ""


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
        lines += [f"**{md_text(t.sources_differ.format(what=t.say(conflict.what)))}**", ""]
        for c in sorted(conflict.claims, key=lambda c: c.source):
            where = ", ".join(x for x in (c.outlet, readable_date(c.date, b.language)) if x)
            lines.append(
                f"- **{md_text(c.text)}** — [{c.source}]"
                + (f" {md_text(where)}" if where else "")
                + _sentence_ref(c.sentence_id, t)
            )
            lines.append(f"  > {md_text(c.sentence)}")
        lines.append("")
    return lines


def _figure_lines(b: Briefing, t: Labels) -> list[str]:
    lines: list[str] = []
    for group in b.figures:
        lines += [f"**{md_text(t.count_label(group.counted, group.qualifier))}**", ""]
        for c in group.claims:
            who, when, hedge = claim_context(c, b.language)
            hedged = f" ({md_text(hedge)})" if hedge else ""
            dated = f" ({md_text(when)})" if when else ""
            lines.append(f"- **{md_text(c.display)}**{hedged} — {md_text(who)}{dated} [{c.source}]")
            lines.append(f"  > {md_text(c.text)}")
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
    parts = [
        f"**{md_text(title)}**" if title else t.untitled,
        md_text(outlet or t.unknown_outlet),
        md_text(date or t.undated),
    ]
    return " — ".join(parts) + f" — {md_code(file)}"
