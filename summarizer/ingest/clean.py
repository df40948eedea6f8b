"""Clean one Indonesian news article: keep the story, move what describes it to metadata.

Principle: remove what is not the story and keep everything that is. Every removed line or span
is recorded as a Removal (rule, exact text, line) and every glued-word repair as a Repair, so a
user can audit what happened; values describing the article (title, byline, date, dateline,
rubric, editor, syndication source) land in Metadata and their Removal names the field.

Flow: header (title, byline, date line, rubric, standfirst) → body lines (inserts, credits,
related headlines, dateline, glued words) → blocks (paragraphs and section headings).
Sentence splitting happens later, in segment.py.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from summarizer.document import Block, CleanedDocument, Metadata, RawDocument, Removal, Repair
from summarizer.ingest import clean_rules as rules
from summarizer.ingest.clean_dates import find_body_date, parse_date_line
from summarizer.ingest.clean_repair import build_vocabulary, repair_line

__all__ = ["build_vocabulary", "clean"]

_MAX_HEADER_LINES = 6  # title, byline, date, rubric, standfirst: never more than a few lines
_SHORT_BODY_WORDS = 60


@dataclass
class _Line:
    number: int  # 1-based line number in the decoded text
    text: str  # what is left of the line after span removals
    kept: bool = True
    bullet: bool = False  # a list item whose marker was taken off


@dataclass
class _Cleaning:
    """What the cleaner has found so far for one document."""

    metadata: Metadata
    removals: list[Removal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)

    def store(self, values: dict[str, str | None]) -> str | None:
        """Fill the empty metadata fields from ``values``; the names of the fields filled."""
        filled = []
        for name, value in values.items():
            if value and not getattr(self.metadata, name):
                setattr(self.metadata, name, value)
                filled.append(name)
        return ",".join(filled) or None

    def remove_line(self, line: _Line, rule: str, values: dict[str, str | None] | None = None) -> None:
        self.removals.append(Removal(rule, line.text, line.number, "line", self.store(values or {})))
        line.text, line.kept = "", False

    def remove_span(
        self, line: _Line, start: int, end: int, rule: str, values: dict[str, str | None] | None = None
    ) -> None:
        span = line.text[start:end]
        self.removals.append(Removal(rule, span, line.number, "span", self.store(values or {})))
        line.text = line.text[:start] + line.text[end:]


def clean(raw: RawDocument, vocabulary: Counter[str] | None = None) -> CleanedDocument:
    """The story text of ``raw`` as blocks, with boilerplate removed and recorded.

    ``vocabulary`` is the word count of the whole story folder (see build_vocabulary); glued words
    are only split when it backs the split. Without it, the article's own words are used.
    """
    if vocabulary is None:
        vocabulary = build_vocabulary([raw.text])
    state = _Cleaning(dataclasses.replace(raw.metadata))
    lines = [_Line(number, text) for number, text in enumerate(raw.text.split("\n"), start=1)]
    body = _take_header(lines, raw, state)
    _take_body_boilerplate(body, state)
    _take_dateline(body, state)
    for line in lines:
        if line.kept:
            line.text, repairs = repair_line(line.text, line.number, vocabulary)
            state.repairs.extend(repairs)
    blocks = _blocks(lines)
    _add_body_date(blocks, state)
    _add_notes(blocks, state)
    removals = sorted(state.removals, key=lambda removal: removal.line)
    return CleanedDocument(raw, state.metadata, blocks, removals, state.notes, state.repairs)


# ---- header -----------------------------------------------------------------------------------


def _take_header(lines: list[_Line], raw: RawDocument, state: _Cleaning) -> list[_Line]:
    """Remove the page header above the story; the body lines that follow it."""
    texts = [line for line in lines if line.text.strip()]
    if not texts:
        return []
    position = 0
    if _is_title_line(texts, raw, state):
        rule = "title-repeat" if raw.title_from_container else "title"
        state.remove_line(texts[0], rule, {"title": _squash(texts[0].text)})
        position = 1
    while position < min(len(texts), _MAX_HEADER_LINES) and _take_header_line(texts, position, state):
        position += 1
    first_body = texts[position].number if position < len(texts) else lines[-1].number + 1
    return [line for line in lines if line.number >= first_body]


def _is_title_line(texts: list[_Line], raw: RawDocument, state: _Cleaning) -> bool:
    first = _squash(texts[0].text)
    if raw.title_from_container:
        return bool(state.metadata.title) and first == _squash(state.metadata.title or "")
    # A first line whose sentence goes on in the next line is a hard-wrapped paragraph.
    return len(texts) > 1 and rules.is_title(first) and not texts[1].text.lstrip()[:1].islower()


def _take_header_line(texts: list[_Line], position: int, state: _Cleaning) -> bool:
    """Take one header line (date, byline, rubric, standfirst); False at the start of the story."""
    line = texts[position]
    date = parse_date_line(line.text)
    if date:
        outlet = rules.canonical_outlet(date.outlet) if date.outlet else None
        state.remove_line(line, "date-line", {"date": date.iso, "date_text": date.text, "outlet": outlet})
        return True
    following = texts[position + 1] if position + 1 < len(texts) else None
    author = rules.byline(line.text) if following and parse_date_line(following.text) else None
    if author:
        state.remove_line(line, "byline", {"author": author[0], "outlet": author[1]})
        return True
    section = rules.rubric(line.text)
    if section:
        state.remove_line(line, "rubric", {"section": section})
        return True
    return _take_standfirst(texts, position, state)


def _take_standfirst(texts: list[_Line], position: int, state: _Cleaning) -> bool:
    """A single "- ..." lead sentence under the title is story text: keep it, drop the marker."""
    line = texts[position]
    item = rules.bullet(line.text)
    following = texts[position + 1] if position + 1 < len(texts) else None
    if not item or not rules.ends_sentence(item[1]) or (following and rules.bullet(following.text)):
        return False
    _drop_marker(line, state)
    return True


# ---- body -------------------------------------------------------------------------------------


def _take_body_boilerplate(body: list[_Line], state: _Cleaning) -> None:
    _take_related_headlines(body, state)
    last_text = max((line.number for line in body if line.text.strip()), default=0)
    for line in body:
        if not line.kept or not line.text.strip():
            continue
        _take_read_also(line, state)
        if line.kept:
            _take_boilerplate_line(line, state, is_last=line.number == last_text)
        if line.kept:
            _take_trailing_initials(line, state)
        if line.kept and not line.bullet and rules.bullet(line.text):
            _drop_marker(line, state)


def _take_related_headlines(body: list[_Line], state: _Cleaning) -> None:
    """Runs of bulleted Title Case headlines between paragraphs: links to other stories."""
    run: list[_Line] = []
    for line in [*body, _Line(0, "")]:
        item = rules.bullet(line.text)
        if item and rules.looks_like_related_headline(item[1]):
            run.append(line)
            continue
        if len(run) >= 2:
            for headline in run:
                state.remove_line(headline, "related-headlines")
        run = []


def _take_read_also(line: _Line, state: _Cleaning) -> None:
    """ "Baca juga: <headline>" inserts; the story glued after the headline stays."""
    while span := rules.read_also_span(line.text):
        start, end = span
        if not line.text[:start].strip() and not line.text[end:].strip():
            state.remove_line(line, "baca-juga")
            return
        state.remove_span(line, start, end, "baca-juga")


def _take_boilerplate_line(line: _Line, state: _Cleaning, is_last: bool) -> None:
    match = rules.match_line(line.text)
    if match:
        if match.rule == "pagination":
            state.notes.append(
                f"pagination found on line {line.number} ({_squash(line.text)!r}): "
                "this file may hold only part of the article"
            )
        values = dict(match.values)
        if "outlet" in values:
            values["outlet"] = rules.canonical_outlet(values["outlet"])
        state.remove_line(line, match.rule, values)
        return
    editor = rules.name_in_parentheses(line.text) if is_last else None
    if editor:
        state.remove_line(line, "editor-credit", {"editor": editor})


def _take_trailing_initials(line: _Line, state: _Cleaning) -> None:
    match = rules.trailing_editor_initials(line.text)
    if match:
        initials = match.group(0).strip().strip("()").replace(" ", "")
        state.remove_span(line, match.start(), match.end(), "editor-initials", {"editor": initials})


def _take_dateline(body: list[_Line], state: _Cleaning) -> None:
    """The dateline opens the first line of the story ("JAKARTA, KOMPAS.com- ...")."""
    first = next((line for line in body if line.kept and line.text.strip() and not line.bullet), None)
    if first is None:
        return
    offset = len(first.text) - len(first.text.lstrip())
    found = rules.dateline(first.text[offset:])
    if found:
        state.metadata.dateline = state.metadata.dateline or found.text.strip()
        values = {"place": found.place, "outlet": found.outlet}
        state.remove_span(first, offset, offset + len(found.text), "dateline", values)


def _drop_marker(line: _Line, state: _Cleaning) -> None:
    offset = len(line.text) - len(line.text.lstrip())
    item = rules.bullet(line.text[offset:])
    if item:
        state.remove_span(line, offset, offset + len(item[0]), "list-marker")
        line.bullet = True


# ---- blocks -----------------------------------------------------------------------------------


def _blocks(lines: list[_Line]) -> list[Block]:
    """Paragraph and heading blocks; a line broken mid-sentence is joined to its continuation."""
    blocks: list[Block] = []
    list_items: set[int] = set()  # ids of blocks that were list items: never headings
    joinable = False  # the previous kept line may continue on this one (no blank line between)
    for line in lines:
        text = _squash(line.text)
        if not text:
            joinable = joinable and not line.kept  # a removed insert does not end a paragraph
            continue
        previous = blocks[-1] if blocks else None
        if joinable and previous and not rules.ends_sentence(previous.text) and text[0].islower():
            previous.text = f"{previous.text} {text}"
        else:
            blocks.append(Block("text", text, line.number))
            if line.bullet:
                list_items.add(id(blocks[-1]))
        joinable = True
    for block in blocks[:-1]:  # a heading always has a paragraph after it
        if id(block) not in list_items and rules.looks_like_heading(block.text):
            block.kind = "heading"
    return blocks


def _add_body_date(blocks: list[Block], state: _Cleaning) -> None:
    if state.metadata.date:
        return
    for block in blocks:
        found = find_body_date(block.text)
        if found:
            state.store({"date": found.iso, "date_text": found.text})
            state.notes.append(f"no date line: the date {found.text!r} was taken from the story text")
            return


def _add_notes(blocks: list[Block], state: _Cleaning) -> None:
    words = sum(len(block.text.split()) for block in blocks if block.kind == "text")
    if not blocks:
        state.notes.append("no story text left after cleaning")
    elif words < _SHORT_BODY_WORDS:
        state.notes.append(f"very short body ({words} words): possibly a teaser or a cut-off page")


def _squash(text: str) -> str:
    return " ".join(text.split())
