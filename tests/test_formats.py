"""`brief()` computes without writing; `--format` chooses which writers run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app, route
from summarizer.errors import SummarizerError
from summarizer.ingest.folder import load_folder
from summarizer.output.writers import DEFAULT_FORMATS, WRITERS, parse_formats
from summarizer.run.pipeline import RunOptions, brief

runner = CliRunner()
EXTRACTIVE_ID = ("--lang", "id", "--summarizer", "extractive", "-q")


def invoke(*args: str):
    return runner.invoke(app, route(list(args)), catch_exceptions=False)


def written(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def test_brief_returns_the_whole_record_and_writes_no_file(seeds_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    options = RunOptions(lang="id", summarizer="extractive", models_dir=tmp_path / "no-models", progress=False)
    record = brief(load_folder(seeds_dir), options)  # no cache given: an in-memory one
    assert list(tmp_path.iterdir()) == []
    assert record.briefing.points and record.summaries and record.translations == []
    assert [g.number for g in record.sources.groups] == [1, 2, 3, 4]  # five articles, one copy
    assert set(record.sources.numbers) == {a.id for a in record.folder.articles}
    assert {"translate", "summarize", "briefing", "verify"} <= set(record.timings)
    assert record.models[0].role == "summarizer" and record.settings["lang"] == "id"


def test_formats_are_parsed_from_repeats_and_commas_in_table_order():
    assert parse_formats(["md,json", "md"]) == tuple(n for n in WRITERS if n in {"md", "json"})
    assert parse_formats([" MD , articles "]) == tuple(n for n in WRITERS if n in {"md", "articles"})
    assert set(DEFAULT_FORMATS) == set(WRITERS)
    with pytest.raises(SummarizerError, match="'pdf'"):
        parse_formats(["md,pdf"])
    with pytest.raises(SummarizerError, match="no output format"):
        parse_formats([","])


def test_format_option_writes_only_the_chosen_files(seeds_dir, tmp_path):
    out = tmp_path / "o"
    result = invoke(str(seeds_dir), *EXTRACTIVE_ID, "-o", str(out), "--format", "md")
    assert result.exit_code == 0, result.output
    assert written(out / "seeds") == ["briefing.md"]
    # Asking for more formats later re-briefs the folder instead of calling it unchanged.
    result = invoke(str(seeds_dir), *EXTRACTIVE_ID, "-o", str(out), "--format", "json", "-f", "articles", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["briefed"] == 1
    files = written(out / "seeds")
    assert "briefing.json" in files and sum(f.startswith("articles/") for f in files) == 5


def test_default_formats_write_what_every_writer_makes(seeds_dir, tmp_path):
    out = tmp_path / "o"
    result = invoke(str(seeds_dir), *EXTRACTIVE_ID, "-o", str(out))
    assert result.exit_code == 0, result.output
    files = written(out / "seeds")
    assert {"briefing.md", "briefing.html", "briefing.json"} <= set(files)
    assert sum(f.startswith("articles/") for f in files) == 5


def test_unknown_format_is_a_one_line_usage_error_before_any_work(seeds_dir, tmp_path):
    result = invoke(str(seeds_dir), *EXTRACTIVE_ID, "-o", str(tmp_path / "o"), "--format", "md,pdf")
    assert result.exit_code == 2
    # Besides the timestamped progress lines of a log, one line says it all.
    (error,) = [line for line in result.stderr.splitlines() if not re.match(r"\d{4}-\d\d-\d\d ", line)]
    assert "'pdf'" in error and "md" in error
    assert not (tmp_path / "o").exists()
