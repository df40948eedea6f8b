"""briefing.html without a browser: what the page holds, that it is self-contained, and that
hostile article text stays text. (tests/test_html_browser.py opens it in Chromium.)"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from briefing_data import make_record
from hostile_story import PAYLOAD, hostile_record

from summarizer.document import Flag, article_of, parse_sentence_id
from summarizer.output.html_out import render_html
from summarizer.output.wording import readable_date

TEMPLATES = Path(__file__).resolve().parents[1] / "summarizer" / "output" / "templates"


class Page(HTMLParser):
    """Every element with its attributes, the text of each id'd element, and inline code."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._open: list[tuple[str, str | None]] = []
        self.text_of: dict[str, str] = {}
        self.text = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "img", "input", "link"):
            self._open.append((tag, dict(attrs).get("id")))

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._open and self._open[-1][0] in self.raw:
            self.raw[self._open[-1][0]].append(data)
        for _, element_id in self._open:
            if element_id:
                self.text_of[element_id] = self.text_of.get(element_id, "") + data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


@pytest.fixture(scope="module")
def record():
    return make_record()


@pytest.fixture(scope="module")
def page(record) -> Page:
    return Page(render_html(record))


def test_every_key_point_has_markers_that_open_its_cited_sentences(record, page):
    markers = page.find("button", **{"class": "cite"})
    assert len(markers) == sum(len(p.sources) for p in record.briefing.points)
    for point_index, point in enumerate(record.briefing.points, 1):
        for number in point.sources:
            panel = f"cite-{point_index}-{number}"
            assert page.find("button", popovertarget=panel), panel
            assert page.find("div", id=panel)[0]["popover"] == "auto"
            shown = page.text_of[panel]
            cited = [sid for sid in point.cites if record.sources.number_of(article_of(sid)) == number]
            assert cited, (point.text, number)
            for sid in cited:
                assert record.originals[sid] in shown and record.translated[sid].text in shown


def test_a_citation_panel_shows_the_source_the_flags_and_links_to_the_highlightable_sentence():
    record = make_record()
    point = record.briefing.points[0]
    sid = point.cites[0]
    record.translated[sid].flags.append(Flag("degenerate", "output/input length ratio 2.21"))
    page = Page(render_html(record))
    number = record.sources.number_of(article_of(sid))
    entry = next(s for s in record.briefing.sources if s.number == number)
    shown = page.text_of[f"cite-1-{number}"]
    assert entry.outlet in shown and readable_date(entry.date) in shown and entry.file in shown
    assert "⚑ degenerate" in shown and "length ratio 2.21" in shown
    ref = parse_sentence_id(sid)
    anchor = f"a{[a.id for a in record.folder.articles].index(ref.article_id) + 1}-{ref.paragraph}-{ref.sentence}"
    assert [a for a in page.find("a", **{"class": "goto"}) if a["href"] == f"#{anchor}"]
    row = page.find("tr", id=anchor)[0]
    assert row["class"] == "flagged" and row["tabindex"] == "-1"
    assert "⚑ degenerate" in page.text_of[anchor]


def test_the_page_holds_the_whole_briefing(record, page):
    assert page.text_of["title"] == record.briefing.title
    assert "4 articles from 4 outlets (one a copy) · key points by scripted" in page.text
    assert "translator opus-mt-id-en (rev123)" in page.text
    for section in ("key-points", "figures", "sources", "not-briefed", "verification", "articles"):
        assert page.find("section", id=section), section
    assert "1,500" in page.text_of["figures"] and "different figures" in page.text_of["figures"]
    sources = page.text_of["sources"]
    assert "BBC: Korea Utara kirim pasukan" in sources and "copy:" in sources and "similarity 0.97" in sources
    assert "paywall" in page.text_of["not-briefed"] and "page 1 of 2" in page.text_of["not-briefed"]
    verification = page.text_of["verification"]
    assert "0.33" in verification and "a reckless gamble" in verification
    assert all(p.text in page.text_of["key-points"] for p in record.briefing.points)
    article = page.text_of["a1"]
    assert "NATO confirms the troops." in article  # the summary, then every sentence both ways
    for sid in ("bbc.txt:1:1", "bbc.txt:4:1"):
        assert record.originals[sid] in article and record.translated[sid].text in article


def test_languages_are_marked_on_the_right_elements(page):
    assert page.find("html")[0]["lang"] == "en"
    cells = [a for t, a in page.elements if t == "td"]
    assert {c.get("lang") for c in cells} == {"en", "id"}
    assert page.find("blockquote", lang="id") and page.find("blockquote", lang="en")


def test_the_page_is_self_contained_and_allows_only_its_own_style_and_script(page):
    [csp] = [a["content"] for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp is not None
    [style], [script] = page.raw["style"], page.raw["script"]
    assert f"style-src '{_hash(style)}'" in csp and f"script-src '{_hash(script)}'" in csp
    assert "default-src 'none'" in csp and "unsafe" not in csp
    fetching = [(t, a) for t, a in page.elements if {"src", "srcset", "data", "poster"} & set(a) or t == "link"]
    assert fetching == []
    assert all(a["href"].startswith("#") for t, a in page.elements if t == "a" and "href" in a)
    assert not [a for t, a in page.elements if "style" in a]  # inline style attributes would need 'unsafe-hashes'


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory) -> str:
    return render_html(hostile_record(tmp_path_factory.mktemp("hostile")))


def test_hostile_article_text_is_shown_as_text(hostile_html):
    page = Page(hostile_html)
    scripts = [a for t, a in page.elements if t == "script"]
    assert len(scripts) == 1 and len(page.raw["script"]) == 1 and PAYLOAD not in page.raw["script"][0]
    assert [t for t, _ in page.elements if t in ("img", "svg", "iframe", "object", "embed")] == []
    assert [(t, k) for t, a in page.elements for k in a if k.lower().startswith("on")] == []
    hrefs = [a.get("href") or "" for t, a in page.elements if t == "a"]
    assert not [h for h in hrefs if not h.startswith("#")]  # no javascript:, no article URL that is not http(s)
    assert len(page.raw["style"]) == 1 and PAYLOAD not in page.raw["style"][0]
    assert not [(t, k) for t, a in page.elements for k in a if k in ("style", "src", "srcset", "data", "formaction")]
    shown_markup = [
        "<script>document.title='pwned'</script>",
        '<img src=x onerror="',
        "](javascript:",
        '<iframe src="https://evil.example/"></iframe>',
        '<object data="https://evil.example/x.swf"></object>',
        '<p style="background:url(javascript:alert(1))">',
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "# Injected heading",
    ]
    for shown in shown_markup:
        assert shown in page.text, shown  # the markup is there, as text


def test_an_article_url_becomes_a_link_only_when_it_is_http(record):
    record.folder.articles[2].metadata.url = "https://example.org/berita"
    try:
        page = Page(render_html(record))
    finally:
        record.folder.articles[2].metadata.url = None
    assert page.find("a", href="https://example.org/berita")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "\x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "//evil.example/x",
        "file:///etc/passwd",
    ],
)
def test_an_article_url_that_is_not_http_never_becomes_a_link(record, url):
    record.folder.articles[2].metadata.url = url
    try:
        page = Page(render_html(record))
    finally:
        record.folder.articles[2].metadata.url = None
    assert [a["href"] for t, a in page.elements if t == "a" and not (a.get("href") or "").startswith("#")] == []


# WCAG AA: 4.5:1 for text. Each pair is (text colour, background) as the stylesheet uses them.
TEXT_ON_BACKGROUND = [
    ("fg", "bg"), ("muted", "bg"), ("accent", "bg"), ("conflict", "bg"), ("fg", "soft"), ("muted", "soft"),
    ("accent", "soft"), ("fg", "hit"), ("accent", "hit"), ("flag-fg", "flag-bg"), ("muted", "hit"),
]  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_colours_meet_wcag_aa_contrast_in_light_and_dark_mode(scheme):
    colours = _scheme_colours((TEMPLATES / "briefing.css").read_text(encoding="utf-8"), scheme)
    for text, background in TEXT_ON_BACKGROUND:
        ratio = _contrast(colours[text], colours[background])
        assert ratio >= 4.5, f"{scheme}: --{text} on --{background} is {ratio:.2f}:1"


def _scheme_colours(css: str, scheme: str) -> dict[str, str]:
    light = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-f]{6})", css.split("@media")[0]))
    dark_block = css.split("@media (prefers-color-scheme: dark)")[1].split("}\n}")[0]
    return light if scheme == "light" else {**light, **dict(re.findall(r"--([\w-]+):\s*(#[0-9a-f]{6})", dark_block))}


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, bl = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
