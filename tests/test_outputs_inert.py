"""Outputs never execute: a story whose titles, bodies, outlets, authors, URLs and file names carry
HTML, script links and Markdown syntax is briefed through the CLI; briefing.md and every article
page, rendered by CommonMark with raw HTML on, hold nothing that runs or loads, no link, and no
heading the tool did not write; every JSON output is valid UTF-8 JSON."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hostile_story import hostile_story
from markdown_it import MarkdownIt
from test_mdtext import Elements
from typer.testing import CliRunner

from summarizer.cli import app, route
from summarizer.output.labels import labels_for
from summarizer.output.writers import write_outputs

RENDERER = MarkdownIt("commonmark", {"html": True})
TRANSLATOR, SUMMARIZER = "opus-mt-id-en", "qwen2.5-1.5b-instruct"
# Every element the writers' own Markdown makes; anything else came from an article.
TOOL_ELEMENTS = {"h1", "h2", "p", "ul", "ol", "li", "strong", "em", "code", "blockquote"}
# Article text that must reach the outputs, shown as text (else the test would prove nothing).
SHOWN_AS_TEXT = [
    "<script>document.title='pwned'</script>",
    '<img src=x onerror="',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.svg">',
    '<p style="background:url(javascript:alert(1))">',
    '<a href="vbscript:msgbox(1)">',
    "<JAVASCRIPT:alert(1)>",
    "<https://evil.example/pixel.png>",
    "![gambar](https://evil.example/pixel.png)",
    "[a]: javascript:alert(1)",
    "[klik](javascript:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "# Injected heading",
    "> Kutipan palsu",
    "1. Nomor palsu",
    "*disetujui* oleh __dewan__ dan `dinas` pada rapat | tabel |",
]


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, route(list(args)))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout


def markdown_files(out_dir: Path) -> list[Path]:
    return [out_dir / "briefing.md", *sorted((out_dir / "articles").glob("*.md"))]


def assert_inert(page: Path, language: str) -> str:
    """`page` rendered holds only the tool's own elements, without attributes, with one title
    and only the section headings the tool writes; returns its visible text."""
    markdown = page.read_text(encoding="utf-8")
    tokens = RENDERER.parse(markdown)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert not kinds & {"html_block", "html_inline", "link_open", "image", "code_block", "fence", "hr"}, page
    rendered = Elements(RENDERER.render(markdown))
    assert {tag for tag, _ in rendered.tags} <= TOOL_ELEMENTS, page
    assert [(tag, attrs) for tag, attrs in rendered.tags if attrs] == [], page
    headings = [t for t in tokens if t.type == "heading_open"]
    assert [h.tag for h in headings].count("h1") == 1 and headings[0].tag == "h1", page
    labels = {v for v in dataclasses.asdict(labels_for(language)).values() if isinstance(v, str)}
    section_titles = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert set(section_titles) <= labels, (page, section_titles)
    return rendered.text


def assert_json_valid(path: Path) -> dict:
    return json.loads(path.read_bytes().decode("utf-8", errors="strict"))


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("hostile")
    story = hostile_story(root)
    code, stdout = run_cli(
        str(story), "--lang", "id", "--summarizer", "extractive", "-o", str(root / "out"), "-q", "--json"
    )
    assert code == 0
    return root / "out" / "story", stdout


def test_hostile_article_text_renders_as_text_in_briefing_md_and_every_article_page(hostile_run):
    out_dir, _ = hostile_run
    pages = markdown_files(out_dir)
    assert len(pages) == 6
    visible = "\n".join(assert_inert(page, "id") for page in pages)
    missing = [text for text in SHOWN_AS_TEXT if text not in visible]
    assert missing == []


def test_every_json_output_of_a_hostile_story_is_valid_utf8_json(hostile_run):
    out_dir, stdout = hostile_run
    document = assert_json_valid(out_dir / "briefing.json")
    assert {a["metadata"]["author"] for a in document["articles"]} >= {"<iframe src=javascript:alert(1)></iframe>"}
    assert json.loads(stdout.encode("utf-8").decode("utf-8"))["folders"][0]["status"] == "briefed"
    status = CliRunner().invoke(app, ["status", "-o", str(out_dir.parent), "--json"])
    json.loads(status.stdout.encode("utf-8").decode("utf-8"))


def test_the_html_briefing_of_a_hostile_story_holds_no_active_element(hostile_run):
    out_dir, _ = hostile_run
    html = (out_dir / "briefing.html").read_text(encoding="utf-8")
    page = Elements(html)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert len(scripts) == 1 and "pwned" not in html.split("<script>")[-1]
    active = {"img", "svg", "iframe", "object", "embed", "frame", "link", "base", "form", "video", "audio"}
    assert [tag for tag, _ in page.tags if tag in active] == []
    attributes = [(name, value or "") for _, attrs in page.tags for name, value in attrs]
    assert [name for name, _ in attributes if name.startswith("on") or name in ("src", "srcset", "data", "style")] == []
    assert [value for name, value in attributes if name == "href" and not value.startswith("#")] == []
    [policy] = [
        dict(attrs)["content"] for tag, attrs in page.tags if ("http-equiv", "Content-Security-Policy") in attrs
    ]
    assert policy is not None and "default-src 'none'" in policy
    assert "<iframe src=javascript:alert(1)></iframe>" not in html  # the author is escaped if shown at all


def test_lone_surrogates_are_replaced_and_recorded_in_briefing_json(tmp_path):
    from briefing_data import make_record

    record = make_record()
    record.folder.articles[0].metadata.title = "Judul \ud800 rusak"
    record.folder.articles[0].metadata.author = "\udcff"
    paths = write_outputs(tmp_path, record)
    for path in paths:
        path.read_bytes().decode("utf-8", errors="strict")
    document = assert_json_valid(tmp_path / "briefing.json")
    assert document["articles"][0]["metadata"]["title"] == "Judul \ufffd rusak"
    replaced = [f for f in document["flags"] if f["code"] == "invalid-unicode"]
    assert {f["where"] for f in replaced} == {"$.articles[0].metadata.title", "$.articles[0].metadata.author"}


def test_a_hostile_story_briefed_with_the_tiny_models_renders_inert_too(hostile_run, tiny_models_for, tmp_path):
    """--lang en: translations and a chat model's (random) key points go through the same writers."""
    models = tiny_models_for(TRANSLATOR, SUMMARIZER)
    story = hostile_story(tmp_path)
    code, _ = run_cli(str(story), "--lang", "en", "--models-dir", str(models), "-o", str(tmp_path / "out"), "-q")
    assert code == 0
    out_dir = tmp_path / "out" / "story"
    visible = "\n".join(assert_inert(page, "en") for page in markdown_files(out_dir))
    assert [text for text in SHOWN_AS_TEXT if text not in visible] == []  # the originals are quoted
    assert_json_valid(out_dir / "briefing.json")


def test_json_on_stdout_replaces_lone_surrogates_and_says_where(capsys):
    from summarizer.cli import _print_json

    _print_json({"models_dir": "m\udcff", "folders": [{"detail": "ok"}]})
    captured = capsys.readouterr()
    assert json.loads(captured.out.encode("utf-8").decode("utf-8")) == {
        "models_dir": "m\ufffd",
        "folders": [{"detail": "ok"}],
    }
    assert "U+FFFD in the JSON at $.models_dir" in captured.err
