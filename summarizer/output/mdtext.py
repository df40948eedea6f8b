"""Text from articles made inert for Markdown: what a reader sees is exactly the text, on one line.

Titles, sentences, outlets, authors, file names and anything else that comes from a story folder
(or from a model that read it) are untrusted. Put into briefing.md or an article page as they are,
`<script>` would be raw HTML, `[x](javascript:...)` a link, `[a]: ...` a link definition, and a
title holding a newline and `# ...` a heading of its own. Every such value goes through `md_text`
(or `md_code` for file names shown as code) at the point where a writer puts it into a line; the
writers' own markup (headings, list markers, `**`, `[n]` citations) is written around it.

The escaping stays readable: only what CommonMark could read as markup is escaped, and ordinary
sentences come out as they went in.
"""

from __future__ import annotations

import re

# Every line break CommonMark or a renderer might honour, and the other vertical spaces: a value
# is shown on one line, so it can never start a block (heading, list, quote, fence, table row).
_BREAKS = re.compile(r"[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_BLANKS = re.compile(r"[ \t]+")
# Characters escaped wherever they stand: inline markup, raw HTML and autolinks (<), links and
# link definitions ([ ]), code spans (`), emphasis (*), table cells (|), and the escape itself.
_ALWAYS = re.compile(r"([\\`*\[\]<|])")
# `_` emphasises only at a word's edge: `000_berita` stays as it is.
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# An entity or character reference (`&lt;`, `&#60;`) would be decoded; `AT&T` is left alone.
_REFERENCE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What starts a block at the beginning of a line: headings, quotes, list items, thematic breaks,
# setext underlines, fences, and ordered-list numbers (`2024.`, `1)`).
_BLOCK_START = re.compile(r"^(?:([#>+=~-])|(\d{1,9})([.)]))")
# A run of # at the end of a heading would be read as its closing sequence and dropped.
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")
# Lone surrogates cannot be written as UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def one_line(text: str) -> str:
    """`text` with line breaks and runs of spaces or tabs as single spaces, trimmed; what a
    Markdown renderer would show of it anyway, minus any chance of starting a block."""
    return _BLANKS.sub(" ", _BREAKS.sub(" ", text)).strip()


def md_text(text: str | None) -> str:
    """Markdown that renders exactly as `text` (on one line), wherever in a line it is put."""
    if not text:
        return ""
    line = _SURROGATE.sub("\ufffd", one_line(text.replace("\0", "\ufffd")))
    line = _ALWAYS.sub(r"\\\1", line)
    line = _UNDERSCORE.sub(r"\\_", line)
    line = _REFERENCE.sub(r"\\&", line)
    line = _BLOCK_START.sub(_escape_block_start, line, count=1)
    return _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\#" * len(m.group(2)), line)


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def md_code(text: str | None) -> str:
    """`text` as an inline code span (a file name): shown verbatim, whatever backticks it holds."""
    line = _SURROGATE.sub("\ufffd", one_line((text or "").replace("\0", "\ufffd")))
    if not line:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", line)), default=0)
    fence = "`" * (longest + 1)
    # A space keeps a backtick at either end from joining the fence; CommonMark strips it again.
    padded = f" {line} " if line[0] == "`" or line[-1] == "`" else line
    return f"{fence}{padded}{fence}"
