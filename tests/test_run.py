"""`summarize FOLDER --lang en`, end to end through the real CLI, loader and tiny models."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from summarizer.cli import app, route
from summarizer.ingest.folder import load_folder

runner = CliRunner()
TRANSLATOR, SUMMARIZER = "opus-mt-id-en", "qwen2.5-1.5b-instruct"


def invoke(*args: str):
    return runner.invoke(app, route(list(args)), catch_exceptions=False)


@pytest.fixture(scope="module")
def seeds_run(tiny_models_for, seeds_dir, tmp_path_factory):
    """One full run on the seeds, shared by the assertions below (translation is the slow part)."""
    models = tiny_models_for(TRANSLATOR, SUMMARIZER)
    out = tmp_path_factory.mktemp("outputs")
    result = invoke(str(seeds_dir), "--lang", "en", "--models-dir", str(models), "-o", str(out), "-q", "--json")
    return result, out / "seeds", models, out


def test_run_writes_briefing_json_and_article_pages(seeds_run, seeds_dir):
    result, out, _, _ = seeds_run
    assert result.exit_code == 0, result.output
    assert (out / "briefing.md").is_file() and (out / "briefing.json").is_file()
    pages = sorted(p.name for p in (out / "articles").iterdir())
    assert pages == sorted(f"{p.stem}.md" for p in seeds_dir.iterdir())
    summary = json.loads(result.stdout)
    assert summary["counts"] == {"briefed": 1, "unchanged": 0, "failed": 0}


def test_every_briefing_sentence_has_verified_resolvable_citations(seeds_run):
    _, out, _, _ = seeds_run
    data = json.loads((out / "briefing.json").read_text())
    sentences = {s["id"]: s for a in data["articles"] for s in a["sentences"]}
    points = data["briefing"]["points"]
    assert points, "the briefing must never be empty"
    for point in points:
        assert point["verification"]["status"] in ("supported", "recited")
        assert point["cites"], point
        for cite in point["cites"]:
            assert cite["id"] in sentences
            assert cite["original"] == sentences[cite["id"]]["original"]
            assert cite["translation"] == sentences[cite["id"]]["translation"]
            assert cite["translation"]
    markdown = (out / "briefing.md").read_text()
    key_points = markdown.split("## Key points", 1)[1].split("\n## ", 1)[0]
    bullets = [line for line in key_points.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(points)
    assert all(re.search(r"(\[\d+\])+$", line) for line in bullets)


def test_translations_align_one_to_one_with_source_sentences(seeds_run, seeds_dir):
    _, out, _, _ = seeds_run
    data = json.loads((out / "briefing.json").read_text())
    folder = load_folder(seeds_dir)
    for article, written in zip(folder.articles, data["articles"], strict=True):
        assert [s["id"] for s in written["sentences"]] == [s.id for s in article.sentences()]
        assert [s["original"] for s in written["sentences"]] == [s.text for s in article.sentences()]
        assert all(s["translation"] for s in written["sentences"])
    for translation, article in zip(data["translations"], folder.articles, strict=True):
        assert translation["article_id"] == article.id
        assert translation["sentences"] == article.sentence_count


def test_json_records_models_settings_timings_and_duplicates(seeds_run):
    _, out, _, _ = seeds_run
    data = json.loads((out / "briefing.json").read_text())
    roles = {m["role"]: m["name"] for m in data["models"]}
    assert roles == {"translator": TRANSLATOR, "summarizer": SUMMARIZER}
    assert data["settings"]["lang"] == "en"
    assert {"translate", "summarize", "briefing", "verify"} <= set(data["timings"])
    first = data["briefing"]["sources"][0]
    assert [c["article_id"] for c in first["copies"]] == ["000_04288ddc473c17d6.txt"]
    assert len(data["briefing"]["sources"]) == 4  # five articles, one wire copy counted once
    figures = json.dumps(data["briefing"]["figures"])
    for value in ("1500", "3000", "5000", "10000"):
        assert value in figures


def test_second_run_is_skipped_without_model_work(seeds_run, seeds_dir):
    _, out, models, root = seeds_run
    before = (out / "briefing.json").stat().st_mtime_ns
    result = invoke(str(seeds_dir), "--models-dir", str(models), "-o", str(root), "-q", "--json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["counts"]["unchanged"] == 1
    assert summary["cache"]["misses"] == {}  # not even a cache lookup: no stage ran
    assert (out / "briefing.json").stat().st_mtime_ns == before


def test_missing_translation_model_is_one_line_naming_the_pull_command(seeds_dir, tmp_path):
    result = invoke(str(seeds_dir), "--models-dir", str(tmp_path / "empty"), "-o", str(tmp_path / "o"), "-q")
    assert result.exit_code == 4
    assert result.stderr.count("\n") == 1
    assert "opus-mt-id-en" in result.stderr and "summarize models pull opus-mt-id-en" in result.stderr


def test_missing_summarizer_model_suggests_extractive(tiny_models_for, seeds_dir, tmp_path):
    import shutil

    store = tmp_path / "models"  # holds the translator only, whatever other tests installed
    shutil.copytree(tiny_models_for(TRANSLATOR) / TRANSLATOR, store / TRANSLATOR)
    result = invoke(
        str(seeds_dir),
        "--summarizer",
        "qwen2.5-0.5b-instruct",
        "--models-dir",
        str(store),
        "-o",
        str(tmp_path / "o"),
        "-q",
    )
    assert result.exit_code == 4
    assert result.stderr.count("\n") == 1
    assert "summarize models pull qwen2.5-0.5b-instruct" in result.stderr
    assert "--summarizer extractive" in result.stderr


def test_unsupported_language_lists_what_is_supported(seeds_dir, tmp_path):
    result = invoke(str(seeds_dir), "--lang", "fr", "-o", str(tmp_path / "o"), "-q")
    assert result.exit_code == 2
    assert "en, id" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("lang", ["id", "ID"])  # --lang is case-insensitive
def test_lang_id_briefs_from_originals_without_translating(seeds_dir, tmp_path, lang):
    result = invoke(
        str(seeds_dir),
        "--lang",
        lang,
        "--summarizer",
        "extractive",
        "--models-dir",
        str(tmp_path / "no-models"),
        "-o",
        str(tmp_path / "o"),
        "-q",
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "o" / "seeds" / "briefing.json").read_text())
    assert data["translations"] == []
    assert data["language"] == data["settings"]["lang"] == "id"
    originals = {s["original"] for a in data["articles"] for s in a["sentences"]}
    for point in data["briefing"]["points"]:
        assert point["text"] in originals  # extractive: a verbatim, verified source sentence
        assert point["verification"]["status"] == "supported"


def test_every_article_gets_a_summary_even_when_the_model_gives_none(seeds_run):
    _, out, _, _ = seeds_run
    data = json.loads((out / "briefing.json").read_text())
    assert len(data["summaries"]) == 5
    for summary in data["summaries"]:
        assert 1 <= len(summary["sentences"]) <= 5, summary
        if summary["model"] == "extractive":
            assert any("produced no usable summary" in note for note in summary["notes"])


def test_english_articles_pass_through_without_loading_a_translator(tmp_path):
    story = tmp_path / "english-story"
    story.mkdir()
    (story / "wire.txt").write_text(
        "North Korean troops have been deployed to Russia, NATO said on Monday.\n"
        "The alliance's secretary general said he could confirm the deployment after weeks of intelligence.\n"
        "South Korea's spy agency said earlier this month that at least 1,500 troops had arrived.\n"
        "The Pentagon estimated that 10,000 North Korean soldiers had been sent for training.\n",
        encoding="utf-8",
    )
    result = invoke(
        str(story),
        "--summarizer",
        "extractive",
        "--models-dir",
        str(tmp_path / "no-models"),
        "-o",
        str(tmp_path / "o"),
        "-q",
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "o" / "english-story" / "briefing.json").read_text())
    assert [m["role"] for m in data["models"]] == ["summarizer"]
    sentences = data["articles"][0]["sentences"]
    assert all(s["translation"] == s["original"] for s in sentences)
    assert all(f["code"] == "passthrough-en" for s in sentences for f in s["flags"])
