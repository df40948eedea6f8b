"""Fuzzing every reader with Hypothesis, through the code the CLI runs (`load_folder`, and
`summarize inspect --json` for names).

For every generated input: no exception escapes, the file is either read (an article carries its
name) or skipped with a reason, the work stays within a generous hang guard, and memory does not
balloon. In CI the inputs are derandomised (the same every run) and number about 1,200 in total;
`pytest --fuzz-long` runs 20x as many fresh random ones.
"""

from __future__ import annotations

import codecs
import json
import os
import resource
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.document import Folder, to_dict
from summarizer.ingest.folder import load_folder
from summarizer.ingest.read import display_name

SCALE = int(os.environ.get("SUMMARIZE_FUZZ_SCALE", "1"))
HANG_GUARD_SECONDS = 60  # per input; a hang guard only, never a speed test
MEMORY_GROWTH_LIMIT_KIB = 512 * 1024  # peak RSS may not grow by more than this on one input

GOOD = (
    "Pemerintah mengumumkan bantuan baru bagi warga yang terdampak banjir di Jakarta pekan ini. "
    "Menteri Sosial mengatakan bantuan akan disalurkan mulai Senin.\n"
)
WORDS = (
    "yang dan di ke dari Jakarta Presiden mengatakan pemerintah bantuan warga banjir 1.500 Rp620 "
    "pesawatSaudia 442jemaah Baca juga: ADVERTISEMENT JAKARTA, KOMPAS.com - Jl. K.H. dll. Tbk. "
    "“kutipan” (kurung) <b> & # - * 2024-13-45 https://example.com/a?b=c"
).split()
ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("\n\r\t\x00\x85\u2028\ufeff"),
    max_size=300,
)
PROSE = st.lists(st.sampled_from(WORDS) | ODD_TEXT.map(lambda t: t[:20]), max_size=80).map(" ".join)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1"]


@contextmanager
def bounded() -> Iterator[None]:
    """A hang guard (SIGALRM) and a memory-growth check around one input."""

    def hang(signum: int, frame: Any) -> None:
        raise AssertionError(f"one input took more than {HANG_GUARD_SECONDS} s")

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(HANG_GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown < MEMORY_GROWTH_LIMIT_KIB, f"peak memory grew by {grown // 1024} MiB on one input"


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """The text in one of the supported encodings, or broken: truncated, bytes flipped."""
    codec = draw(st.sampled_from(ENCODINGS))
    data = text.encode(codec, errors="replace") if codec in ("cp1252", "latin-1") else text.encode(codec)
    if codec == "utf-8" and draw(st.booleans()):
        data = codecs.BOM_UTF8 + data
    damage = draw(st.sampled_from(["none", "none", "truncate", "flip", "garbage"]))
    if damage == "truncate" and data:
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "flip" and data:
        position = draw(st.integers(0, len(data) - 1))
        data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1 :]
    elif damage == "garbage":
        data += draw(st.binary(max_size=64))
    return data


def _yaml_value() -> st.SearchStrategy[str]:
    scalar = st.sampled_from(
        [
            "2024-13-45",
            "2024-10-29",
            "2024-10-29 08:15:00",
            "1" * 5000,
            "~",
            "null",
            "yes",
            "&a x",
            "*a",
            "!!python/object:os.system",
            "'unclosed",
            "[",
            "{",
            "|",
            ">",
        ]
    ) | PROSE.map(lambda t: t[:80])
    return st.recursive(
        scalar, lambda inner: st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"), max_leaves=8
    )


@st.composite
def markdown(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        fields = draw(
            st.lists(
                st.tuples(st.sampled_from(["title", "date", "author", "source", "tags", "x"]), _yaml_value()),
                max_size=6,
            )
        )
        lines = [f"{key}: {value}" for key, value in fields]
        if draw(st.booleans()):  # aliases, the billion-laughs shape
            lines += ["a: &a [x, x, x]", "b: &b [*a, *a, *a]", "title: *b"]
        if draw(st.booleans()):
            lines.append("deep: " + "[" * draw(st.integers(1, 3000)))
        parts.append("---\n" + "\n".join(lines) + "\n" + draw(st.sampled_from(["---", "...", ""])) + "\n")
    blocks = st.sampled_from(
        [
            "# ",
            "## ",
            "- ",
            "1. ",
            "> ",
            "```\n",
            "| a | b |\n|---|---|\n| ",
            "<div>",
            "<script>",
            "[x](javascript:alert(1)) ",
            "![i](y.png) ",
            "    ",
        ]
    )
    for _ in range(draw(st.integers(0, 8))):
        parts.append(draw(blocks) + draw(PROSE) + "\n\n")
    return "".join(parts)


@st.composite
def html(draw: st.DrawFn) -> str:
    tags = st.sampled_from(
        ["p", "div", "h1", "span", "script", "style", "article", "a", "table", "li", "title", "meta", "img", "svg"]
    )
    pieces = [
        draw(
            st.sampled_from(
                ["<html><head>", "", "<!DOCTYPE html>", '<meta charset="cp1252">', '<meta charset="x-bogus">']
            )
        )
    ]
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(tags)
        attrs = draw(st.sampled_from(["", ' class="x"', ' onerror="alert(1)"', ' href="javascript:x"', " " + "a" * 50]))
        pieces.append(
            f"<{tag}{attrs}>" + draw(PROSE) + draw(st.sampled_from([f"</{tag}>", "", "<", "&amp;&#0;&#x110000;"]))
        )
    if draw(st.booleans()):
        pieces.append("<div>" * draw(st.integers(1, 2000)))
    return "".join(pieces)


def _json_value() -> st.SearchStrategy[Any]:
    leaf = st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=True) | PROSE | ODD_TEXT
    return st.recursive(
        leaf,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(["title", "text", "body", "date", "url", "author", "source", "x"]), inner, max_size=5
            )
        ),
        max_leaves=20,
    )


@st.composite
def json_text(draw: st.DrawFn, lines: bool) -> str:
    def record() -> str:
        value = draw(
            st.fixed_dictionaries(
                {"text": PROSE | _json_value()},
                optional={"title": _json_value(), "date": _json_value(), "source": _json_value()},
            )
            | _json_value()
        )
        text = json.dumps(value, ensure_ascii=draw(st.booleans()))
        hostile = draw(st.sampled_from(["", "", "", "deep", "bigint", "surrogate", "cut"]))
        if hostile == "deep":
            depth = draw(st.integers(60, 100_000))
            text = '{"text": "ok isi berita", "title": ' + "[" * depth + "1" + "]" * depth + "}"
        elif hostile == "bigint":
            text = '{"text": "isi berita", "n": ' + "9" * draw(st.integers(60, 6000)) + "}"
        elif hostile == "surrogate":
            text = '{"text": "isi berita \\ud83d tanpa pasangan", "title": "\\udfff"}'
        elif hostile == "cut":
            text = text[: draw(st.integers(0, len(text)))]
        return text

    if lines:
        return "\n".join(record() for _ in range(draw(st.integers(1, 5))))
    records = [record() for _ in range(draw(st.integers(1, 3)))]
    return records[0] if len(records) == 1 else "[" + ",".join(records) + "]"


FORMATS: dict[str, Callable[[], st.SearchStrategy[str]]] = {
    ".txt": lambda: PROSE | ODD_TEXT,
    ".md": markdown,
    ".html": html,
    ".json": lambda: json_text(lines=False),
    ".jsonl": lambda: json_text(lines=True),
}

NAME_BYTES = st.binary(min_size=1, max_size=24).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))
ODD_NAMES = NAME_BYTES.filter(lambda b: not b.startswith((b".", b"~$"))) | st.sampled_from(
    [b"-n", b"--help", b"-", b"a\nb", b"\xff\xfe", b"caf\xe9", b"\xed\xa0\x80", b"x\r", b"$(id)", b"a b", b"%s%n"]
)


def _write(folder: Path, name: bytes, data: bytes) -> str:
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as handle:
        handle.write(data)
    return display_name(os.fsdecode(name))


def _check_accounted(folder: Folder, name: str) -> None:
    """The fuzzed file is an article or is skipped with a reason; everything is printable JSON."""
    read = any(article.source.path == name for article in folder.articles)
    skipped = [s for s in folder.skipped if s.path == name or s.path.startswith(name + "@")]
    assert read or skipped, f"{name!r} neither read nor skipped"
    assert all(s.reason.strip() and "\n" not in s.reason for s in skipped)
    assert any(article.source.path == "0-good.txt" for article in folder.articles)
    json.dumps(to_dict(folder), ensure_ascii=False).encode("utf-8")


def _fuzz_one(tmp_path_factory: pytest.TempPathFactory, suffix: str, name: bytes, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("story")
    (folder / "0-good.txt").write_text(GOOD, encoding="utf-8")
    shown = _write(folder, name + suffix.encode(), data)
    with bounded():
        loaded = load_folder(folder)
    _check_accounted(loaded, shown)


def _reader_test(suffix: str, examples: int) -> Callable[..., None]:
    @settings(max_examples=examples * SCALE)
    @given(data=st.data(), name=ODD_NAMES)
    def test(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, name: bytes) -> None:
        text = data.draw(FORMATS[suffix](), label="text")
        raw = data.draw(encoded(text), label="bytes")
        _fuzz_one(tmp_path_factory, suffix, name, raw)

    return test


test_fuzz_txt = _reader_test(".txt", 200)
test_fuzz_markdown = _reader_test(".md", 200)
test_fuzz_html = _reader_test(".html", 150)
test_fuzz_json = _reader_test(".json", 200)
test_fuzz_jsonl = _reader_test(".jsonl", 150)


@settings(max_examples=150 * SCALE)
@given(
    suffix=st.sampled_from([*FORMATS, ".HTM", ".Md", ".exe", "", ".txt.gz"]),
    data=st.binary(max_size=2048)
    | st.sampled_from([b"", b"\xff\xfe", b"\x00" * 100, codecs.BOM_UTF32_LE + b"\x00\xd8\x00\x00"]),
    name=ODD_NAMES,
)
def test_fuzz_raw_bytes(tmp_path_factory: pytest.TempPathFactory, suffix: str, data: bytes, name: bytes) -> None:
    _fuzz_one(tmp_path_factory, suffix, name, data)


@settings(max_examples=60 * SCALE)
@given(folder_name=ODD_NAMES, file_name=ODD_NAMES, text=PROSE)
def test_fuzz_names_through_inspect(
    tmp_path_factory: pytest.TempPathFactory, folder_name: bytes, file_name: bytes, text: str
) -> None:
    """Odd folder and file names through `summarize inspect --json`: exit 0 or 1, valid JSON,
    and every name printed escaped on one line."""
    root = tmp_path_factory.mktemp("names")
    story = os.path.join(os.fsencode(root), folder_name)
    os.mkdir(story)
    (Path(os.fsdecode(story)) / "0-good.txt").write_text(GOOD, encoding="utf-8")
    _write(Path(os.fsdecode(story)), file_name + b".txt", (GOOD + text).encode("utf-8"))
    with bounded():
        result = CliRunner().invoke(app, ["inspect", "--json", "--", os.fsdecode(story)])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    shown = json.loads(result.stdout)
    assert shown["name"] == display_name(os.fsdecode(folder_name))
    for line in result.stderr.splitlines():
        assert line.startswith("summarize: "), line
