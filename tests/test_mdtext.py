"""md_text / md_code: any text put into a Markdown line renders as exactly that text, and nothing
else: no element, attribute, link, heading or block of its own, under CommonMark with raw HTML on."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from summarizer.output.mdtext import md_code, md_text, one_line

RENDERER = MarkdownIt("commonmark", {"html": True})

# Where the writers put untrusted text, with the elements that line makes by itself.
CONTEXTS = {
    "paragraph": ("{}", ["p"]),
    "heading": ("# {}", ["h1"]),
    "list item": ("- {} [1][2]", ["ul", "li"]),
    "numbered source": ("1. **{}** — {}", ["ol", "li", "strong"]),
    "quote in a list": ("- **x** — [1]\n  > {}", ["ul", "li", "strong", "blockquote", "p"]),
    "emphasis": ("- _{}_", ["ul", "li", "em"]),
    "after a paragraph": ("**1.1** text\n{}", ["p", "strong"]),
}


class Elements(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


def render(markdown: str) -> Elements:
    return Elements(RENDERER.render(markdown))


def shown(text: str) -> str:
    """What a reader must see of `text`: one line, NUL and lone surrogates as U+FFFD."""
    return "".join("\ufffd" if c == "\0" or 0xD800 <= ord(c) <= 0xDFFF else c for c in one_line(text))


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<object data="x.swf"></object><embed src="x.svg">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<javascript:alert(1)>",
    "<https://evil.example/pixel.png>",
    "[x](javascript:alert(1))",
    "![img](https://evil.example/pixel.png)",
    "[a]: javascript:alert(1)",
    "[a]\n\n[a]: javascript:alert(1)",
    "Title\n# Injected heading",
    "Title\n---",
    "Title\n===",
    "> quote",
    "- item",
    "+ item",
    "* item",
    "1. item",
    "2024) item",
    "    indented code",
    "```\nfence\n```",
    "~~~",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62; &#x3C;",
    "<!-- comment -->",
    "<![CDATA[x]]>",
    "a | b |\n|---|---|",
    "Title ##",
    "text\\",
    "text  \nnext",
    "\u2028# heading after a Unicode line separator",
    "a\r\n# b\r=== ",
    "**bold** _em_ `code`",
    "<",
    "\0<script>",
    "\ud800 lone surrogate",
]


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_makes_no_element_of_its_own_and_shows_as_it_was(context, text):
    template, allowed = CONTEXTS[context]
    page = render(template.format(*[md_text(text)] * template.count("{}")))
    assert sorted({tag for tag, _ in page.tags}) == sorted(set(allowed))
    assert [attrs for _, attrs in page.tags if attrs] == []
    assert shown(text) in page.text


# Any text, text made of the characters Markdown reads as markup, and text built from fragments
# of markup (tags, schemes, references, block starts), so that the rare shapes come up too.
MARKUP_FRAGMENTS = [
    "<", ">", "</", "<script>", "<img src=x onerror=alert(1)>", "javascript:", "data:", "vbscript:", "&lt;",
    "&#60;", "&amp;", "&", ";", "[", "]", "(", ")", "[a]: ", "![", "](", "\n", "\n# ", "\n---\n", "\n===",
    "\n> ", "\n- ", "\n1. ", "\n    ", "`", "```", "~~~", "*", "**", "_", "__", "\\", "|", "#", " ", "a", "7",
    "\r", "\u2028", "<!--", "-->", "<?", "<![CDATA[", "http://x.example", "<https://x.example>", "  \n",
]  # fmt: skip
TEXTS = st.one_of(
    st.text(),
    st.text(alphabet="<>&#;[]()!*_`\\|-+=~.:/ \n\t\rajs07"),
    st.lists(st.sampled_from(MARKUP_FRAGMENTS), max_size=20).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(text=TEXTS, context=st.sampled_from(sorted(CONTEXTS)))
@example(text="<script>alert(1)</script>", context="paragraph")
@example(text="x\n# y", context="heading")
def test_any_text_renders_as_itself_and_nothing_else(text, context):
    template, allowed = CONTEXTS[context]
    page = render(template.format(*[md_text(text)] * template.count("{}")))
    assert {tag for tag, _ in page.tags} <= set(allowed)
    assert [attrs for _, attrs in page.tags if attrs] == []
    assert shown(text) in page.text


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_any_text_alone_is_one_paragraph_holding_exactly_that_text(text):
    page = render(md_text(text))
    expected = shown(text)
    if expected:
        assert page.tags == [("p", [])]
    assert page.text.strip("\n") == expected


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_a_file_name_is_one_code_span_holding_exactly_that_name(text):
    page = render(f"- x — {md_code(text)}")
    expected = shown(text)
    assert {tag for tag, _ in page.tags} == ({"ul", "li", "code"} if expected else {"ul", "li"})
    assert [attrs for _, attrs in page.tags if attrs] == []
    assert page.text.strip("\n") == f"x — {expected}".strip()


WORDS = st.text(alphabet=st.characters(categories=("Lu", "Ll", "Nd")), min_size=1, max_size=12)
PUNCTUATION = st.sampled_from([" ", ", ", ". ", "; ", ": ", "? ", "! ", " (", ") ", ' "', '" ', " '", "% ", "/", "-"])


@settings(max_examples=300, deadline=None)
@given(
    first=st.text(alphabet=st.characters(categories=("Lu", "Ll")), min_size=1, max_size=8),
    rest=st.lists(st.tuples(PUNCTUATION, WORDS), max_size=30),
)
def test_ordinary_sentences_are_left_as_they_are(first, rest):
    sentence = first + "".join(gap + word for gap, word in rest)
    assert md_text(sentence) == one_line(sentence)


def test_ordinary_news_text_needs_few_escapes():
    assert md_text("Harga emas Antam naik Rp 12.000 (0,6%) menjadi Rp 1.950.000/gram, kata dia.") == (
        "Harga emas Antam naik Rp 12.000 (0,6%) menjadi Rp 1.950.000/gram, kata dia."
    )
    assert md_text("file 000_berita.txt from AT&T") == "file 000_berita.txt from AT&T"
    assert md_text("2024. Tahun itu") == "2024\\. Tahun itu"  # would start an ordered list
    assert md_text("- 18, 21") == "\\- 18, 21"
    assert md_text("harga *naik* dan _turun_") == "harga \\*naik\\* dan \\_turun\\_"


def test_the_tools_own_citations_still_show_beside_escaped_text():
    page = render(f"- {md_text('[1]: javascript:alert(1)')} [1][2]")
    assert page.tags == [("ul", []), ("li", [])]
    assert page.text.strip() == "[1]: javascript:alert(1) [1][2]"
