"""Markdown and HTML → plain article text, one paragraph per blank-line-separated block.

Only markup is turned into text here; boilerplate (datelines, "Baca juga", credits) is left in
place for the cleaner, which applies the same rules to every format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from summarizer.output.labels import Message

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_BR_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:p|br|div|span|a|b|i|u|em|strong|h[1-6]|ul|ol|li|table|tr|td|th|article|section"
    r"|figure|figcaption|img|blockquote|html|body)\b[^>]*>",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass
class Converted:
    """Plain text from a marked-up source, the fields its container named, and what was noted."""

    text: str
    fields: dict[str, Any] = field(default_factory=dict)  # raw name → value, e.g. "title"
    notes: list[str] = field(default_factory=list)


def looks_like_html(text: str) -> bool:
    """True when a string carries HTML tags (an HTML body stored in a JSON text field)."""
    return _HTML_TAG.search(text) is not None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML file names in its <meta> tags, if any (looked for in the first 4 KiB)."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


# --- Markdown -------------------------------------------------------------------------------------


def markdown_to_text(source: str) -> Converted:
    """Front matter and a leading `# Title` become fields; the rest becomes plain paragraphs."""
    fields, body, notes = _split_front_matter(source)
    blocks, first_heading = _markdown_blocks(body)
    if first_heading is not None:
        if "title" not in fields:
            fields["title"] = first_heading
            blocks.pop(0)
        elif _same_text(fields["title"], first_heading):
            blocks.pop(0)
    return Converted("\n\n".join(blocks), fields, notes)


def _split_front_matter(source: str) -> tuple[dict[str, Any], str, list[str]]:
    match = _FRONT_MATTER.match(source)
    if not match:
        return {}, source, []
    import yaml

    try:
        data = _load_yaml(match.group(1))
    except _RefusedYaml as error:
        return {}, source, [Message("read.front_matter", error=error.args[0])]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        invalid = Message("markup.yaml_at", line=mark.line + 2) if mark is not None else Message("markup.yaml")
        return {}, source, [Message("read.front_matter", error=invalid)]
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        # A scalar the YAML constructors choke on (an integer of thousands of digits, say).
        reason = " ".join(str(error).split())[:120] or type(error).__name__
        return {}, source, [Message("read.front_matter", error=reason)]
    if not isinstance(data, dict):  # a "---" rule followed by prose, not front matter
        return {}, source, []
    return {str(key).lower(): value for key, value in data.items()}, source[match.end() :], []


# Front matter is a few flat fields; deeper nesting is hostile (the composer recurses per level).
MAX_FRONT_MATTER_DEPTH = 16


class _RefusedYaml(Exception):
    """Front matter that is valid YAML but refused: aliases or too deep nesting."""


def _load_yaml(text: str) -> Any:
    """yaml.safe_load without aliases, without deep nesting and with dates left as text.

    Aliases are refused because a few hundred bytes of nested aliases ("billion laughs") expand
    into gigabytes. Dates stay strings because the timestamp constructor raises on "2024-13-45"
    and the reader parses dates itself.
    """
    import yaml
    from yaml.events import AliasEvent

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(AliasEvent):
                raise _RefusedYaml(Message("markup.aliases"))
            self.depth += 1
            if self.depth > MAX_FRONT_MATTER_DEPTH:
                raise _RefusedYaml(Message("markup.too_deep", depth=MAX_FRONT_MATTER_DEPTH))
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass


def _markdown_blocks(body: str) -> tuple[list[str], str | None]:
    """Paragraphs in reading order, and the text of a level-1 heading if the body starts with one."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(body)
    blocks: list[str] = []
    lines: list[str] = []  # the list or table being collected: one line per item or row
    cells: list[str] = []
    first_heading: str | None = None
    containers = items = 0  # nesting depth of lists/tables, and of list items
    item_started = False
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in _CONTAINER_OPEN:
            containers += 1
        elif kind in _CONTAINER_CLOSE:
            containers -= 1
            if containers == 0:
                blocks.append("\n".join(lines))
                lines = []
        elif kind in ("list_item_open", "list_item_close"):
            items += 1 if kind == "list_item_open" else -1
            item_started = False
        elif kind == "tr_close":
            lines.append("| " + " | ".join(cells) + " |")
            cells = []
        elif kind == "inline":
            text, parent = _inline_text(token.children or []), tokens[index - 1]
            if parent.type in ("th_open", "td_open"):
                cells.append(text.strip())
            elif items:
                lines.append(text if item_started else "- " + text)
                item_started = True
            elif text.strip():
                if parent.type == "heading_open" and parent.tag == "h1" and not blocks:
                    first_heading = text.strip()
                blocks.append(text)
        elif kind in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
        elif kind == "html_block" and (text := _html_fragment_text(token.content)):
            blocks.append(text)
    return [block for block in blocks if block.strip()], first_heading


_CONTAINER_OPEN = ("bullet_list_open", "ordered_list_open", "table_open")
_CONTAINER_CLOSE = ("bullet_list_close", "ordered_list_close", "table_close")


def _inline_text(children: list[Any]) -> str:
    """Text of an inline run: link text kept, emphasis markers and images dropped."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "html_inline" and _BR_TAG.fullmatch(child.content.strip()):
            parts.append("\n")
    return "".join(parts)


def _html_fragment_text(fragment: str) -> str:
    from lxml import html as lxml_html

    if fragment.lstrip().startswith("<!--"):
        return ""
    root = lxml_html.fragment_fromstring(_BR_TAG.sub("\n", fragment), create_parent="div")
    for element in root.xpath(".//script|.//style"):
        element.drop_tree()
    return root.text_content().strip()


def _same_text(a: Any, b: str) -> bool:
    return " ".join(str(a).split()).casefold() == " ".join(b.split()).casefold()


# --- HTML -----------------------------------------------------------------------------------------


def html_to_text(source: str) -> Converted:
    """The main text of a page via trafilatura, with title/date/author/url/site as fields."""
    import trafilatura

    if not re.search(r"<(?:html|body)\b", source, re.IGNORECASE):
        source = f"<html><body>{source}</body></html>"  # trafilatura returns nothing for fragments
    document = trafilatura.bare_extraction(source, with_metadata=True, include_comments=False, include_tables=True)
    # with_metadata=True makes trafilatura return its Document (the dict form is for as_dict=True).
    if document is None or isinstance(document, dict) or document.body is None:
        return Converted("")
    fields = {
        name: value
        for name in ("title", "date", "author", "url", "sitename")
        if (value := getattr(document, name, None))
    }
    blocks = [_element_block(element) for element in document.body]
    blocks = [block for block in blocks if block.strip()]
    _take_leading_heading(document.body, blocks, fields)
    return Converted("\n\n".join(blocks), fields)


def _take_leading_heading(body: Any, blocks: list[str], fields: dict[str, Any]) -> None:
    """The headline at the top of the body is the title, not a paragraph.

    A leading <h1> wins over <title>/og:title, which often carry a " | Outlet" suffix.
    """
    first = next(iter(body), None)
    if first is None or first.tag != "head" or not blocks:
        return
    if first.get("rend") == "h1":
        fields["title"] = blocks.pop(0).strip()
    elif "title" in fields and _same_text(fields["title"], blocks[0]):
        blocks.pop(0)


def _element_block(element: Any) -> str:
    """One block of trafilatura's output tree as text: lists as "- " lines, tables as rows."""
    if element.tag == "list":
        return "\n".join(_list_lines(element))
    if element.tag == "table":
        rows = element.iter("row")
        return "\n".join("| " + " | ".join(_inline(c).strip() for c in row.iter("cell")) + " |" for row in rows)
    return _inline(element).strip()


def _list_lines(element: Any) -> list[str]:
    lines: list[str] = []
    for item in element.iterchildren("item"):
        nested = list(item.iterchildren("list"))
        for sub in nested:
            item.remove(sub)
        lines.append("- " + _inline(item).strip())
        for sub in nested:
            lines.extend(_list_lines(sub))
    return lines


def _inline(element: Any) -> str:
    """Text of an element with <lb/> line breaks kept as "\\n"."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)
