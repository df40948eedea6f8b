"""Batch runs over an inbox: incremental, resumable after SIGKILL, isolated failures, one writer."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app, route
from summarizer.ingest.read import FOLDER_NOTE_REASON
from summarizer.models.loading import _LOADED, clear_loaded_models
from summarizer.run.batch import outputs_lock

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "saudia-bomb-threat-jun2025"
MODELS = ("opus-mt-id-en", "qwen2.5-1.5b-instruct")
runner = CliRunner()

NEW_ARTICLE = """Menteri Pertahanan Korea Selatan bertemu dengan mitranya dari Amerika Serikat di Washington.
Keduanya membahas pengerahan pasukan Korea Utara ke Rusia dan dampaknya bagi keamanan kawasan.
"Kami akan terus memantau situasi dengan cermat," kata juru bicara kementerian kepada wartawan, Kamis (31/10/2024).
Pertemuan itu berlangsung selama dua jam dan diikuti oleh 12 pejabat senior dari kedua negara.
"""


def build_inbox(root: Path, seeds: Path) -> Path:
    """Three story folders: two from the seeds, one from the real corpus (or seeds without it)."""
    inbox = root / "inbox"
    stories = {
        "nato-confirms": ["000_04288ddc473c17d6.txt", "001_4608beaca02b4922.txt", "002_99ffd495cf952c86.txt"],
        "pentagon-estimates": ["003_a6e29feac7495037.txt", "004_cf0cacba1d35eebe.txt"],
    }
    for name, files in stories.items():
        (inbox / name).mkdir(parents=True)
        for file in files:
            shutil.copy(seeds / file, inbox / name / file)
    third = inbox / "saudia-bomb-threat"
    third.mkdir()
    if CORPUS.is_dir():
        for file in sorted(CORPUS.iterdir())[:3]:
            shutil.copy(file, third / file.name)
    else:
        shutil.copy(seeds / "004_cf0cacba1d35eebe.txt", third / "004.txt")
    return inbox


def invoke(*args: str):
    return runner.invoke(app, route(list(args)), catch_exceptions=False)


def run_json(inbox: Path, models: Path, out: Path, *extra: str):
    result = invoke(str(inbox), "--models-dir", str(models), "-o", str(out), "-q", "--json", *extra)
    return result, json.loads(result.stdout) if result.stdout.strip() else None


def by_name(summary: dict) -> dict[str, dict]:
    return {Path(f["folder"]).name: f for f in summary["folders"]}


@pytest.fixture(scope="module")
def first_run(tiny_models_for, seeds_dir, tmp_path_factory):
    models = tiny_models_for(*MODELS)
    root = tmp_path_factory.mktemp("batch")
    inbox = build_inbox(root, seeds_dir)
    out = root / "outputs"
    result, summary = run_json(inbox, models, out)
    return inbox, models, out, result, summary


def test_inbox_briefs_one_folder_per_story(first_run):
    _, _, out, result, summary = first_run
    assert result.exit_code == 0, result.output
    assert summary["counts"] == {"briefed": 3, "unchanged": 0, "failed": 0}
    for name in ("nato-confirms", "pentagon-estimates", "saudia-bomb-threat"):
        assert json.loads((out / name / "briefing.json").read_text())["folder"]["name"] == name
    assert "3 briefed, 0 unchanged (skipped), 0 failed" in result.stderr


def test_second_run_does_no_model_work(first_run):
    inbox, models, out, _, _ = first_run
    clear_loaded_models()
    result, summary = run_json(inbox, models, out)
    assert result.exit_code == 0
    assert summary["counts"] == {"briefed": 0, "unchanged": 3, "failed": 0}
    assert summary["cache"] == {"hits": {}, "misses": {}}
    assert not _LOADED  # no model was loaded


def test_new_article_rebriefs_only_its_folder_and_translates_only_it(first_run):
    inbox, models, out, _, _ = first_run
    # Sorted first, so it renumbers the stories already there: their summaries must still be reused.
    (inbox / "pentagon-estimates" / "000_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    result, summary = run_json(inbox, models, out)
    assert result.exit_code == 0, result.output
    folders = by_name(summary)
    assert [n for n, f in folders.items() if f["status"] == "briefed"] == ["pentagon-estimates"]
    changed = folders["pentagon-estimates"]
    assert changed["articles"] == 3
    # Only the four new sentences reach the model; every older sentence comes from the cache.
    assert summary["cache"]["misses"]["translation"] == 4
    assert summary["cache"]["hits"]["translation"] == changed["sentences"] - 4
    # The two unchanged articles keep their cached summaries.
    assert changed["summaries_from_cache"] == 2


def test_force_redoes_everything_from_cache(first_run):
    inbox, models, out, _, _ = first_run
    result, summary = run_json(inbox, models, out, "--force")
    assert summary["counts"]["briefed"] == 3
    assert summary["cache"]["misses"].get("translation", 0) == 0
    assert summary["cache"]["hits"]["translation"] > 0


def test_corrupt_file_fails_only_that_file(first_run):
    inbox, models, out, _, _ = first_run
    # A truncated image saved with a .txt name, as happens when a scraper stores a failed download.
    (inbox / "nato-confirms" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 2)
    result, summary = run_json(inbox, models, out)
    assert result.exit_code == 1  # finished, with something skipped
    folders = by_name(summary)
    nato = folders["nato-confirms"]
    assert nato["status"] == "briefed"
    assert [s["file"] for s in nato["skipped_files"]] == ["broken.txt"]
    assert folders["saudia-bomb-threat"]["status"] == "unchanged"
    assert "skipped file broken.txt" in result.stderr


def test_folder_without_articles_fails_alone(first_run, tmp_path):
    inbox, models, out, _, _ = first_run
    empty = inbox / "zz-empty-story"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF-1.4")
    try:
        result, summary = run_json(inbox, models, out)
    finally:
        shutil.rmtree(empty)
    assert result.exit_code == 1
    folders = by_name(summary)
    assert folders["zz-empty-story"]["status"] == "failed"
    assert "no usable article" in folders["zz-empty-story"]["detail"]
    assert sum(1 for f in folders.values() if f["status"] != "failed") == 3


def test_status_shows_folders_and_history(first_run):
    _, _, out, _, _ = first_run
    result = invoke("status", "-o", str(out), "--json")
    data = json.loads(result.stdout)
    assert {Path(f["path"]).name for f in data["folders"]} >= {
        "nato-confirms",
        "pentagon-estimates",
        "saudia-bomb-threat",
    }
    assert len(data["runs"]) >= 3 and data["runs"][0]["status"] in ("ok", "partial")


def test_a_second_run_on_the_same_outputs_refuses_clearly(first_run):
    inbox, models, out, _, _ = first_run
    with outputs_lock(out, wait=False):
        result = invoke(str(inbox), "--models-dir", str(models), "-o", str(out), "-q")
    assert result.exit_code == 5
    assert "another summarize run" in result.stderr and "--wait" in result.stderr


# --- killed runs (SIGKILL) ------------------------------------------------------------------


def start_cli(args: list[str], env_extra: dict[str, str] | None = None, wrapper: str = "") -> subprocess.Popen:
    code = (
        textwrap.dedent(wrapper)
        + "\nfrom summarizer.cli import app, route\napp(args=route(sys.argv[1:]), prog_name='summarize')\n"
    )
    env = {**os.environ, **(env_extra or {})}
    return subprocess.Popen(
        [sys.executable, "-c", "import sys\n" + code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def translations_stored(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(database, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def assert_outputs_whole(out: Path) -> None:
    for path in out.rglob("*"):
        assert not path.name.endswith((".tmp", ".partial")), f"partial file left: {path}"
        if path.suffix == ".json":
            json.loads(path.read_text())


def rerun_after_kill(seeds_dir: Path, models: Path, out: Path) -> dict:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "summarizer",
            str(seeds_dir),
            "--models-dir",
            str(models),
            "-o",
            str(out),
            "-q",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_killed_during_translation_resumes_without_redoing_it(tiny_models_for, seeds_dir, tmp_path):
    models = tiny_models_for(*MODELS)
    out = tmp_path / "out"
    process = start_cli([str(seeds_dir), "--models-dir", str(models), "-o", str(out), "-q"])
    database = out / "summarize.sqlite3"
    deadline = time.monotonic() + 600
    while translations_stored(database) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    done_before_kill = translations_stored(database)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert 0 < done_before_kill
    assert not (out / "seeds" / "briefing.json").exists()

    summary = rerun_after_kill(seeds_dir, models, out)
    folder = summary["folders"][0]
    assert folder["status"] == "briefed"
    assert folder["translation_cache_hits"] >= done_before_kill  # finished work was kept
    assert_outputs_whole(out)
    history = json.loads(invoke("status", "-o", str(out), "--json").stdout)["runs"]
    assert [r["status"] for r in history] == ["ok", "killed"]


KILL_DURING_WRITE = """
import os, signal
import summarizer.output.files as files
_real = files.write_file
_count = {"n": 0}
def _dies_mid_write(path, text):
    _count["n"] += 1
    if _count["n"] == 3:
        # Leave a half-written file in the generation being built, then die the way `kill -9` does.
        path.write_text(text[: len(text) // 2])
        os.kill(os.getpid(), signal.SIGKILL)
    return _real(path, text)
files.write_file = _dies_mid_write
"""


def test_killed_while_writing_leaves_no_partial_output_and_resumes(tiny_models_for, seeds_dir, tmp_path):
    models = tiny_models_for(*MODELS)
    out = tmp_path / "out"
    process = start_cli([str(seeds_dir), "--models-dir", str(models), "-o", str(out), "-q"], wrapper=KILL_DURING_WRITE)
    process.wait(timeout=900)
    assert process.returncode == -signal.SIGKILL
    assert not (out / "seeds" / "briefing.json").exists()
    assert len(list(out.glob(".generations/seeds/*.partial"))) == 1  # the generation the kill cut short
    translated = translations_stored(out / "summarize.sqlite3")

    summary = rerun_after_kill(seeds_dir, models, out)
    folder = summary["folders"][0]
    assert folder["translated_sentences"] == 0  # nothing translated twice
    assert folder["translation_cache_hits"] == translated
    assert folder["summaries_from_cache"] == folder["articles"]
    assert_outputs_whole(out)
    assert json.loads((out / "seeds" / "briefing.json").read_text())["briefing"]["points"]


def test_a_bug_in_one_folder_fails_that_folder_only(tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    """An unexpected exception while briefing one story is that story's failure, with its traceback
    logged; the other stories are briefed and the exit code says a bug happened (not 'partial')."""
    import summarizer.run.batch as batch
    import summarizer.run.executors as executors

    inbox = build_inbox(tmp_path, seeds_dir)
    out = tmp_path / "out"
    real_brief = executors.brief

    def brief_folder_with_a_bug(folder, *args, **kwargs):
        if folder.name == "pentagon-estimates":
            raise ZeroDivisionError("injected bug")
        return real_brief(folder, *args, **kwargs)

    monkeypatch.setattr(executors, "brief", brief_folder_with_a_bug)
    result = invoke(str(inbox), "--lang", "id", "--summarizer", "extractive", "-o", str(out), "-q", "--json")

    assert result.exit_code == 70
    summary = json.loads(result.stdout)
    by_name = {Path(f["folder"]).name: f for f in summary["folders"]}
    assert by_name["pentagon-estimates"]["status"] == "failed"
    assert "ZeroDivisionError: injected bug" in by_name["pentagon-estimates"]["detail"]
    assert {by_name["nato-confirms"]["status"], by_name["saudia-bomb-threat"]["status"]} == {"briefed"}
    assert (out / "nato-confirms" / "briefing.md").is_file()
    log_text = (out / batch.ERROR_LOG_NAME).read_text()
    assert "Traceback" in log_text and "brief_folder_with_a_bug" in log_text and "pentagon-estimates" in log_text

    status = invoke("status", "-o", str(out), "--json")
    folders = {Path(f["path"]).name: f for f in json.loads(status.stdout)["folders"]}
    assert folders["pentagon-estimates"]["last_status"] == "failed"
    assert "injected bug" in folders["pentagon-estimates"]["last_error"]


def test_a_folder_with_files_and_sub_folders_loses_neither(tmp_path: Path, seeds_dir: Path) -> None:
    """Sub-folders are stories, loose articles are a story of their own, a README is ignored with
    a reason; the decision is printed and a README never becomes an article."""
    inbox = tmp_path / "mixed"
    (inbox / "story-a").mkdir(parents=True)
    shutil.copy(seeds_dir / "000_04288ddc473c17d6.txt", inbox / "story-a" / "a.txt")
    (inbox / "README.md").write_text("# About this folder\n\nThese are the articles we collected.\n")
    out = tmp_path / "out"

    only_notes = invoke(str(inbox), "--lang", "id", "--summarizer", "extractive", "-o", str(out), "--json")
    summary = json.loads(only_notes.stdout)
    assert [Path(f["folder"]).name for f in summary["folders"]] == ["story-a"]
    assert summary["ignored_files"] == [{"file": str(inbox / "README.md"), "reason": FOLDER_NOTE_REASON}]
    assert "ignored README.md" in only_notes.stderr
    assert only_notes.exit_code == 0

    shutil.copy(seeds_dir / "003_a6e29feac7495037.txt", inbox / "loose.txt")
    mixed = invoke(str(inbox), "--lang", "id", "--summarizer", "extractive", "-o", str(out), "--json")
    summary = json.loads(mixed.stdout)
    assert sorted(Path(f["folder"]).name for f in summary["folders"]) == ["mixed", "story-a"]
    assert "loose file(s) as a story of their own" in mixed.stderr
    loose = next(f for f in summary["folders"] if Path(f["folder"]).name == "mixed")
    assert loose["articles"] == 1
    assert {"file": "README.md", "reason": FOLDER_NOTE_REASON} in loose["skipped_files"]
    assert mixed.exit_code == 0, "a folder note is reported, not counted as a lost file"


def test_inspect_on_an_inbox_names_its_story_sub_folders(tmp_path: Path, seeds_dir: Path) -> None:
    inbox = build_inbox(tmp_path, seeds_dir)
    result = invoke("inspect", str(inbox))
    assert result.exit_code == 3
    assert "3 story sub-folder(s)" in result.stderr and str(inbox / "nato-confirms") in result.stderr


def test_status_says_in_words_what_each_run_did(tmp_path: Path, seeds_dir: Path) -> None:
    out = tmp_path / "out"
    missing = invoke(str(seeds_dir), "--models-dir", str(tmp_path / "no-models"), "-o", str(out), "-q")
    assert missing.exit_code == 4
    briefed = invoke(str(seeds_dir), "--lang", "id", "--summarizer", "extractive", "-o", str(out), "-q")
    assert briefed.exit_code == 0

    status = invoke("status", "-o", str(out))
    assert status.exit_code == 0
    text = status.stdout
    assert "#2" in text and "finished: 1 briefed" in text
    assert f"summarize {seeds_dir} --lang id --summarizer extractive" in text
    assert "#1" in text and "failed: before any folder was done" in text
    assert "error: " in text and "opus-mt-id-en" in text
    assert "briefed briefed" not in text
    assert f"input  {seeds_dir.resolve()}" in text
