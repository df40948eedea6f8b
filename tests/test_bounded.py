"""Bounded work for any input: what keeps cleaning and splitting linear, and the limits on YAML
front matter, JSON and metadata. Speed itself is measured by benchmarks/bench_hostile.py."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from summarizer.ingest import segment
from summarizer.ingest.clean_repair import repair_line
from summarizer.ingest.read import MAX_JSON_DEPTH, MAX_TITLE_CHARS, read_file, read_folder


def _read(tmp_path: Path, name: str, content: str | bytes) -> tuple[list[Any], list[Any]]:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return read_file(path)


BODY = "Pemerintah mengumumkan bantuan baru bagi warga yang terdampak banjir di Jakarta pekan ini."


class _RecordingDetector:
    """Stands in for yasbd: records what it is given, splits after every '. '."""

    def __init__(self) -> None:
        self.inputs: list[str] = []

    def detect(self, text: str) -> list[int]:
        self.inputs.append(text)
        return [m.end() for m in re.finditer(r"\. ", text)] + [len(text)]


@pytest.fixture
def detector(monkeypatch: pytest.MonkeyPatch) -> _RecordingDetector:
    fake = _RecordingDetector()
    monkeypatch.setattr(segment, "_detector", lambda: fake)
    return fake


@pytest.mark.parametrize(
    "line",
    [
        "a" * 300_000,  # one endless token
        "( " * 100_000,  # brackets never closed
        "Dia pergi ke pasar. " * 20_000,  # ordinary sentences, one huge paragraph
        "." * 50_000 + " Dia pulang.",
    ],
)
def test_the_splitter_never_sees_more_than_a_window_or_a_long_token(line: str, detector: _RecordingDetector) -> None:
    sentences = segment.split_sentences(line)
    assert detector.inputs, "the detector was not called"
    assert max(len(text) for text in detector.inputs) <= segment.MAX_SPLIT_CHARS
    longest_token = max((len(t.rstrip('.!?"”’)]')) for text in detector.inputs for t in text.split()), default=0)
    assert "a" * (segment.MAX_TOKEN_CHARS + 1) not in "".join(detector.inputs)
    assert longest_token <= segment.MAX_SPLIT_CHARS
    # Sentences are still slices of the input: nothing lost, nothing changed.
    assert "".join(sentences).replace(" ", "") == line.replace(" ", "").replace("\n", "")


def test_window_edges_do_not_end_sentences(detector: _RecordingDetector) -> None:
    line = "kata " * 1_000  # 5,000 characters and no sentence end: one sentence
    assert segment.split_sentences(line) == [line.strip()]
    assert len(detector.inputs) > 1


def test_windows_cut_at_sentence_ends_outside_quotations() -> None:
    quoted = "“Kami akan datang. Itu janji kami,” katanya. "
    line = "Dia pergi ke pasar hari ini. " * 30 + quoted * 20
    for _start, end in segment._windows(line):
        assert end == len(line) or line[:end].count("“") == line[:end].count("”")


def test_real_long_paragraphs_split_as_before() -> None:
    text = Path("seeds/000_04288ddc473c17d6.txt").read_text(encoding="utf-8")
    long_lines = [line for line in text.split("\n") if len(line) > segment.MAX_SPLIT_CHARS]
    assert long_lines
    for line in long_lines:
        assert len(segment._windows(line)) > 1
        assert any(s.startswith("“Apakah kita") and s.endswith("kami.”") for s in segment.split_sentences(line))


def test_glued_word_repair_ignores_blobs_but_still_repairs_words() -> None:
    vocabulary = Counter({"haji": 3, "tersebut": 3})
    blob = "hajitersebut" * 2000
    assert repair_line(blob, 1, vocabulary) == (blob, [])
    fixed, repairs = repair_line("jemaah hajitersebut tiba", 1, vocabulary)
    assert fixed == "jemaah haji tersebut tiba" and len(repairs) == 1


# ---- YAML front matter ----------------------------------------------------------------------------


def _billion_laughs(depth: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, depth + 1):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append(f"title: *a{depth}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + BODY + "\n"


def test_front_matter_with_aliases_is_refused_not_expanded(tmp_path: Path) -> None:
    documents, skipped = _read(tmp_path, "lol.md", _billion_laughs(7))
    assert not skipped
    (document,) = documents
    assert any("aliases" in note for note in document.notes)
    assert document.metadata.title is None or len(document.metadata.title) <= MAX_TITLE_CHARS
    assert len(document.text) < 2_000


def test_front_matter_nested_thousands_deep_is_a_note(tmp_path: Path) -> None:
    documents, skipped = _read(tmp_path, "deep.md", "---\ntitle: " + "[" * 5000 + "\n---\n\n" + BODY)
    assert not skipped
    assert any("nested deeper" in note for note in documents[0].notes)


@pytest.mark.parametrize("value", ["2024-13-45", "2024-02-30 10:00:00", "1" * 5000])
def test_front_matter_values_the_yaml_loader_cannot_build_are_read_or_noted(tmp_path: Path, value: str) -> None:
    documents, skipped = _read(tmp_path, "a.md", f"---\ntitle: Judul\ndate: {value}\n---\n\n{BODY}")
    assert not skipped
    (document,) = documents
    assert document.metadata.date is None
    if len(value) < 100:
        assert document.metadata.date_text == value and document.metadata.title == "Judul"
    else:
        assert any("front matter not read" in note for note in document.notes)


def test_front_matter_dates_are_still_read(tmp_path: Path) -> None:
    documents, _ = _read(tmp_path, "a.md", f"---\ntitle: Judul\ndate: 2024-10-29 08:15:00\n---\n\n{BODY}")
    assert documents[0].metadata.date == "2024-10-29T08:15:00"


def test_long_metadata_is_cut_and_the_cut_noted(tmp_path: Path) -> None:
    title = "kata " * 400
    documents, _ = _read(tmp_path, "a.md", f"---\ntitle: {title}\nauthor: {'x' * 5000}\n---\n\n{BODY}")
    (document,) = documents
    assert len(document.metadata.title) <= MAX_TITLE_CHARS
    assert "\n" not in document.metadata.title
    assert any(note.startswith("title cut to") for note in document.notes)
    assert any(note.startswith("author cut to") for note in document.notes)


# ---- JSON -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested deeper"),
        ('{{"text": "{}", "title": {}"x"{}}}'.format(BODY, "[" * 900, "]" * 900), "nested deeper"),
        (
            '{{"text": "{}", "title": {}"x"{}}}'.format(BODY, "[" * MAX_JSON_DEPTH, "]" * MAX_JSON_DEPTH),
            "nested deeper",
        ),
        ('{{"text": "{}", "n": {}}}'.format(BODY, "1" * 5000), "5000 digits"),
    ],
)
def test_hostile_json_is_skipped_with_a_reason(tmp_path: Path, content: str, reason: str) -> None:
    documents, skipped = _read(tmp_path, "a.json", content)
    assert not documents
    assert len(skipped) == 1 and reason in skipped[0].reason


def test_jsonl_hostile_line_costs_only_that_record(tmp_path: Path) -> None:
    content = '{{"text": "{}"}}\n{}\n{{"text": "{}"}}\n'.format(BODY, "[" * 5000 + "]" * 5000, BODY)
    documents, skipped = _read(tmp_path, "a.jsonl", content)
    assert [d.id for d in documents] == ["a.jsonl@1", "a.jsonl@3"]
    assert [s.path for s in skipped] == ["a.jsonl@2"] and "nested deeper" in skipped[0].reason


def test_lone_surrogates_in_json_escapes_become_replacement_characters(tmp_path: Path) -> None:
    documents, skipped = _read(tmp_path, "a.json", f'{{"text": "{BODY} \\ud800", "title": "Judul \\udfff"}}')
    assert not skipped
    (document,) = documents
    assert document.metadata.title == "Judul \ufffd"
    document.text.encode("utf-8")  # would raise on a lone surrogate


def test_a_sparse_gigabyte_is_refused_by_size_without_reading(tmp_path: Path) -> None:
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(1024**3)
    (tmp_path / "ok.txt").write_text(BODY, encoding="utf-8")
    documents, skipped = read_folder(tmp_path)
    assert [d.id for d in documents] == ["ok.txt"]
    assert skipped[0].path == "huge.txt" and "larger than the 10 MiB limit" in skipped[0].reason
