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
import re
from collections import Counter
from dataclasses import dataclass, field

import ftfy

from summarizer.document import Block, CleanedDocument, Metadata, RawDocument, Removal, Repair
from summarizer.ingest import clean_rules as rules
from summarizer.ingest.clean_dates import find_body_date, parse_date_line
from summarizer.ingest.clean_repair import build_vocabulary, repair_line
from summarizer.ingest.outlets import portal_for, portal_from_host_or_url, portal_in_file_name, portals_mentioned
from summarizer.output.labels import Message

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
    # What reading noticed (a title cut to length, bytes read as cp1252) goes on with the article.
    state = _Cleaning(dataclasses.replace(raw.metadata), notes=list(raw.notes))
    lines = [_Line(number, text) for number, text in enumerate(raw.text.split("\n"), start=1)]
    _repair_mojibake(lines, state)
    body = _take_header(lines, raw, state)
    _take_body_boilerplate(body, state)
    _take_dateline(body, state)
    for line in lines:
        if line.kept:
            line.text, repairs = repair_line(line.text, line.number, vocabulary)
            state.repairs.extend(repairs)
    blocks = _blocks(lines)
    _add_outlet(raw, state)
    _add_body_date(blocks, state)
    _add_notes(blocks, state)
    removals = sorted(state.removals, key=lambda removal: removal.line)
    return CleanedDocument(raw, state.metadata, blocks, removals, state.notes, state.repairs)


def _repair_mojibake(lines: list[_Line], state: _Cleaning) -> None:
    """UTF-8 text that was decoded as cp1252/latin-1 somewhere before the file was written
    ("2,5Â±1%" for "2,5±1%"): ftfy undoes exactly that and leaves other characters alone."""
    for line in lines:
        fixed = ftfy.fix_encoding(line.text)
        if fixed == line.text:
            continue
        before, after = line.text.split(), fixed.split()
        if len(before) == len(after):
            changes = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
        else:
            changes = [(line.text, fixed)]
        state.repairs.extend(Repair(b, a, line.number, "mojibake") for b, a in changes)
        line.text = fixed


# ---- header -----------------------------------------------------------------------------------


def _take_header(lines: list[_Line], raw: RawDocument, state: _Cleaning) -> list[_Line]:
    """Remove the page header above the story; the body lines that follow it."""
    texts = [line for line in lines if line.text.strip()]
    if not texts:
        return []
    scraped = _take_scraped_header(lines, raw, state)
    if scraped is not None:
        return scraped
    position = 0
    if _is_title_line(texts, raw, state):
        rule = "title-repeat" if raw.title_from_container else "title"
        state.remove_line(texts[0], rule, {"title": _squash(texts[0].text)})
        position = 1
    while position < min(len(texts), _MAX_HEADER_LINES) and _take_header_line(texts, position, state):
        position += 1
    first_body = texts[position].number if position < len(texts) else lines[-1].number + 1
    return [line for line in lines if line.number >= first_body]


def _take_scraped_header(lines: list[_Line], raw: RawDocument, state: _Cleaning) -> list[_Line] | None:
    """Title, byline field and date field on lines 1-3, as page scrapers write them.

    When line 3 is a date field, lines 1 and 2 are the page's title and byline fields whatever
    they hold (either may be empty): they describe the article and never become story text, so
    an empty title cannot promote the byline to title. The body lines after them, else None.
    """
    if raw.title_from_container or len(lines) < 4:
        return None
    date = parse_date_line(lines[2].text)
    title, credit = lines[0], lines[1]
    if date is None or parse_date_line(title.text) or not rules.is_title(_squash(title.text) or "x y"):
        return None
    found = rules.byline(credit.text) if credit.text.strip() else rules.Byline()
    if found is None and not _looks_like_credit_field(credit.text):
        return None
    if title.text.strip():
        state.remove_line(title, "title", {"title": _squash(title.text)})
    else:
        state.notes.append(Message("clean.title_empty"))
    if credit.text.strip():
        state.remove_line(credit, "byline", found.values() if found else {})
        if found is None:
            state.notes.append(Message("clean.byline", field=_squash(credit.text)))
    outlet = rules.canonical_outlet(date.outlet) if date.outlet else None
    state.remove_line(lines[2], "date-line", {"date": date.iso, "date_text": date.text, "outlet": outlet})
    return lines[3:]


def _looks_like_credit_field(text: str) -> bool:
    """A short line that is not a sentence: what a byline field holds even when not parsed."""
    words = text.split()
    return 0 < len(words) <= 12 and not rules.ends_sentence(text)


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
    found = rules.byline(line.text) if following and parse_date_line(following.text) else None
    if found:
        state.remove_line(line, "byline", found.values())
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
            _take_trailing_promo(line, state)
        if line.kept:
            _take_boilerplate_line(line, state, is_last=line.number == last_text)
        if line.kept:
            _take_trailing_initials(line, state)
        if line.kept and not line.bullet and rules.bullet(line.text):
            _drop_marker(line, state)
    _take_label_headlines(body, state)
    _take_link_cards(body, state)
    _take_trailing_fragments(body, state)
    _take_repeated_lines(body, state)


# A line counts as a repeat only from this length: short lines ("Jakarta", a quote's "Ya.")
# legitimately recur.
_MIN_REPEAT_CHARS = 40


def _take_label_headlines(body: list[_Line], state: _Cleaning) -> None:
    """A bare "Baca juga:" line puts the linked headline on the next line: that line goes too."""
    labels = {
        r.line
        for r in state.removals
        if r.kind == "line" and (r.rule in ("related-label", "baca-juga") or r.text.rstrip().endswith(":"))
    }
    texts = [line for line in body if line.text.strip() or line.number in labels]
    for index, line in enumerate(texts):
        if line.number not in labels:
            continue
        following = texts[index + 1 :]
        if not following or not following[0].kept or not rules.is_title(_squash(following[0].text)):
            continue
        headline = _squash(following[0].text)
        for repeat in following:  # the link text the page printed twice goes with it
            if not repeat.kept or _squash(repeat.text) != headline:
                break
            state.remove_line(repeat, "linked-headline")


def _take_link_cards(body: list[_Line], state: _Cleaning) -> None:
    """A headline printed twice in a row (a video or story card: image caption, then link) or
    a "Video ..." headline: links to other stories, not story text."""
    kept = [line for line in body if line.kept and line.text.strip()]
    followers: list[_Line | None] = [*kept[1:], None] if kept else []
    for line, following in zip(kept, followers, strict=True):
        text = _squash(line.text)
        twice = following is not None and _squash(following.text) == text
        if not rules.is_title(text) or not (twice or re.match(r"Video\s+[A-Z]", text)):
            continue
        state.remove_line(line, "video-teaser" if text.startswith("Video") else "linked-headline")
        if twice and following is not None:
            state.remove_line(following, "linked-headline")


def _take_trailing_fragments(body: list[_Line], state: _Cleaning) -> None:
    """Tag lists and promo labels under the story: two or more short lines with no sentence end
    after the last line that ends a sentence ("kebakaran" / "jabodetabek" / "Selengkapnya")."""
    run: list[_Line] = []
    for line in reversed(body):
        if not line.kept or not line.text.strip():
            continue
        if not rules.is_short_fragment(_squash(line.text)):
            break
        run.append(line)
    if len(run) >= 2:
        for line in reversed(run):
            state.remove_line(line, "tag-list")


def _take_repeated_lines(body: list[_Line], state: _Cleaning) -> None:
    """A paragraph the scraper repeated: every later copy goes, the first stays."""
    seen: set[str] = set()
    for line in body:
        if not line.kept:
            continue
        key = _squash(line.text).casefold()
        if len(key) < _MIN_REPEAT_CHARS:
            continue
        if key in seen:
            state.remove_line(line, "repeated-paragraph")
        else:
            seen.add(key)


def _take_trailing_promo(line: _Line, state: _Cleaning) -> None:
    found = rules.trailing_promo(line.text)
    if found:
        start, source = found
        state.remove_span(line, start, len(line.text), "promo", {"syndicated_from": source})


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
            state.notes.append(Message("clean.pagination", line=line.number, text=_squash(line.text)))
        values: dict[str, str | None] = dict(match.values)
        if "outlet" in values:
            values["outlet"] = rules.canonical_outlet(values["outlet"] or "")
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
    following = next((line for line in body if line.kept and line.text.strip() and line.number > first.number), None)
    if following and rules.split_dateline(first.text, following.text):
        place = _squash(first.text)
        state.metadata.dateline = state.metadata.dateline or f"{place} -"
        state.remove_line(first, "dateline", {"place": place.title() if place.isupper() else place})
        state.remove_line(following, "dateline")
        return
    offset = len(first.text) - len(first.text.lstrip())
    found = rules.dateline(first.text[offset:])
    if found:
        state.metadata.dateline = state.metadata.dateline or found.text.strip()
        values = {"place": found.place, "outlet": found.outlet}
        state.remove_span(first, offset, offset + len(found.text), "dateline", values)
        for line in body:  # a scraper that repeated the story repeated its dateline too
            if line.kept and line.number > first.number and line.text.lstrip().startswith(found.text.strip()):
                start = line.text.index(found.text.strip())
                state.remove_span(line, start, start + len(found.text.strip()), "dateline")


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
    texts = [_squash(line.text) for line in lines]
    following = _next_texts(texts)
    for line, text, after in zip(lines, texts, following, strict=True):
        if not text:
            joinable = joinable and not line.kept  # a removed insert does not end a paragraph
            continue
        previous = blocks[-1] if blocks else None
        if joinable and previous and not rules.ends_sentence(previous.text) and _continues(previous.text, text, after):
            glue = "" if text[0] in _CLOSING else " "
            previous.text = f"{previous.text}{glue}{text}"
        else:
            blocks.append(Block("text", text, line.number))
            if line.bullet:
                list_items.add(id(blocks[-1]))
        joinable = True
    for block in blocks[:-1]:  # a heading always has a paragraph after it
        if id(block) not in list_items and rules.looks_like_heading(block.text):
            block.kind = "heading"
    return blocks


# Removed lines whose domain mentions name the page's own outlet (a promo for the outlet's
# channel, its copyright line, a credit); a syndication line names another outlet, so it is not one.
_SELF_NAMING_RULES = frozenset({"promo", "copyright", "credit", "editor-credit", "date-line", "byline"})


# Punctuation that closes the text before it: a line starting with it continues that sentence.
_CLOSING = ".,;:!?)]”’"


def _next_texts(texts: list[str]) -> list[str]:
    """For each line, the next non-empty line's text ("" at the end)."""
    result, upcoming = [""] * len(texts), ""
    for index in range(len(texts) - 1, -1, -1):
        result[index] = upcoming
        upcoming = texts[index] or upcoming
    return result


def _continues(previous: str, text: str, after: str) -> bool:
    """Whether a line goes on with the unfinished sentence above it.

    A scraper that breaks a line at every link ("ketinggalan 0-2 dari" / "Timnas Jepang" /
    "dalam laga lanjutan") leaves lines that start in lowercase or with closing punctuation, lines
    after a dangling function word, and capitalised link texts between two such lines.
    """
    if text[0].islower() or text[0] in _CLOSING:
        return True
    last = previous.split()[-1].lower()
    if last in rules.HEADLINE_LOWER:
        return True
    return bool(after) and (after[0].islower() or after[0] in _CLOSING) and not rules.ends_sentence(text)


_COPYRIGHT_WORDS = re.compile(r"copyright|hak\s+cipta|©|\(c\)|\d{4}|all rights reserved|[.,]$", re.IGNORECASE)


def _add_outlet(raw: RawDocument, state: _Cleaning) -> None:
    """When the header and dateline named no outlet: the URL, a footer's domain, the file name."""
    if state.metadata.outlet:
        return
    portal = portal_from_host_or_url(state.metadata.url)
    where = "the page URL"
    if portal is None:  # "Copyright © ANTARA 2025": the holder is the outlet
        holders = [_COPYRIGHT_WORDS.sub(" ", r.text) for r in state.removals if r.rule == "copyright"]
        portal = next((p for p in map(portal_for, holders) if p), None)
        where = Message("clean.from_copyright")
    if portal is None:
        footer = " ".join(r.text for r in state.removals if r.rule in _SELF_NAMING_RULES)
        mentioned = portals_mentioned(footer)
        portal, where = (mentioned[0] if len(mentioned) == 1 else None), Message("clean.from_footer")
    if portal is None:
        portal, where = portal_in_file_name(raw.source.path), Message("clean.from_file_name")
    if portal is not None:
        state.metadata.outlet = portal.name
        state.notes.append(Message("clean.outlet_from", outlet=portal.name, where=where))


def _add_body_date(blocks: list[Block], state: _Cleaning) -> None:
    if state.metadata.date:
        return
    for block in blocks:
        found = find_body_date(block.text)
        if found:
            state.store({"date": found.iso, "date_text": found.text})
            state.notes.append(Message("clean.body_date", date=found.text))
            return


def _add_notes(blocks: list[Block], state: _Cleaning) -> None:
    words = sum(len(block.text.split()) for block in blocks if block.kind == "text")
    if not blocks:
        state.notes.append(Message("clean.no_text"))
    elif words < _SHORT_BODY_WORDS:
        state.notes.append(Message("clean.short", words=words))


def _squash(text: str) -> str:
    return " ".join(text.split())
