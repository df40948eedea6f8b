"""What a run shows while it works: status lines and bars on a terminal, timestamped lines in a log,
nothing with --quiet, and a run table that fits the terminal and says what it counts."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import progress
from summarizer.cli import app, route
from summarizer.report import render_summary
from summarizer.run.batch import BatchResult, FolderResult
from summarizer.run.pipeline import FolderOutcome

ROOT = Path(__file__).resolve().parents[1]
STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d "
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, route(list(args)), catch_exceptions=False)


class Recorder:
    """A reporter that records what the library reported, in order."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def step(self, message: str):
        from contextlib import contextmanager

        @contextmanager
        def shown():
            self.events.append(f"step {message}")
            yield
            self.events.append(f"end {message}")

        return shown()

    def bar(self, label: str, total: int, unit: str):
        events = self.events
        events.append(f"bar {label} {total} {unit}")

        class RecordedBar:
            def update(self, count: int = 1) -> None:
                events.append(f"update {label} {count}")

            def working_on(self, item: str) -> None:
                events.append(f"on {label} {item}")

            def close(self) -> None:
                events.append(f"close {label}")

        return RecordedBar()


# --- the reporters ----------------------------------------------------------------------------


def test_line_reporter_writes_timestamped_lines_and_never_a_carriage_return():
    now = [1000.0]
    stream = io.StringIO()
    reporter = progress.LineReporter(stream, interval_s=10, clock=lambda: now[0])
    with progress.reporting(reporter):
        with progress.step("loading the translator"):
            now[0] += 75
        counted = progress.bar("translating: sentences", 100, "sentences")
        for _ in range(100):
            now[0] += 0.5
            counted.update(1)
        counted.close()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert all(re.match(STAMP, line) for line in lines), lines
    assert lines[0].endswith("loading the translator …")
    assert lines[1].endswith("loading the translator: done in 1 min 15 s")
    assert lines[2].endswith("translating: sentences: 0/100 sentences")
    # 50 s of work at one line per 10 s at most, then the closing line.
    middle = lines[3:-1]
    assert 3 <= len(middle) <= 5 and all("/100 sentences" in line for line in middle)
    assert lines[-1].endswith("translating: sentences: 100/100 sentences in 50.0 s")


def test_without_a_reporter_the_library_shows_nothing(capsys):
    with progress.step("quiet work"):
        progress.bar("things", 3, "things").update(3)
    assert capsys.readouterr() == ("", "")


def test_the_reporter_is_chosen_by_where_stderr_goes():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(progress.reporter_for(Tty(), quiet=False), progress.TerminalReporter)
    assert isinstance(progress.reporter_for(io.StringIO(), quiet=False), progress.LineReporter)
    assert isinstance(progress.reporter_for(Tty(), quiet=True), progress.NullReporter)


# --- a run, as its log shows it ---------------------------------------------------------------


def test_a_logged_run_says_what_starts_at_once_and_names_every_stage(tmp_path, seeds_dir):
    inbox = tmp_path / "inbox"
    for name in ("alpha", "beta"):
        shutil.copytree(seeds_dir, inbox / name)
    result = invoke(str(inbox), "--lang", "id", "-s", "extractive", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "\r" not in result.stderr
    progress_lines = [line for line in lines if re.match(STAMP, line)]
    assert lines[0] == progress_lines[0] and "starting" in lines[0]
    text = "\n".join(progress_lines)
    for stage in (
        "folders: 1/2: alpha",
        "folders: 2/2: beta",
        "alpha: reading and cleaning the articles",
        "loading the summarizer extractive",
        "alpha: summarizing 5 article(s) with extractive",
        "alpha: writing the briefing from 4 stories",
        "alpha: checking every citation against its sources: done in",
        "alpha: writing articles, json, md, html to",
    ):
        assert stage in text, stage
    # The table comes after the progress, and nothing else is left unexplained.
    assert lines.index(next(line for line in lines if line.startswith("folder "))) > lines.index(progress_lines[-1])


def test_quiet_shows_no_progress_only_the_table(tmp_path, seeds_dir):
    result = invoke(str(seeds_dir), "--lang", "id", "-s", "extractive", "-o", str(tmp_path), "-q")
    assert result.exit_code == 0, result.output
    assert not any(re.match(STAMP, line) for line in result.stderr.splitlines())
    assert result.stderr.startswith("folder ")


def test_verbose_logs_each_stage_with_its_model_and_runtime(tmp_path, seeds_dir):
    result = invoke(str(seeds_dir), "--lang", "id", "-s", "extractive", "-o", str(tmp_path), "-q", "-v")
    assert result.exit_code == 0, result.output
    logged = [line for line in result.stderr.splitlines() if line.startswith("summarize: ")]
    assert any("loading the summarizer extractive (built in)" in line for line in logged)
    assert any("checking every citation" in line for line in logged)
    assert any("summarizing 5 article(s) with extractive" in line for line in logged)


def test_model_loading_names_revision_device_dtype_and_engine(tiny_models_for, tmp_path):
    from summarizer.run.pipeline import ModelSession, RunOptions

    models = tiny_models_for("opus-mt-id-en")
    recorder = Recorder()
    session = ModelSession(RunOptions(models_dir=models, device="cpu", dtype="float32", engine="transformers"))
    with progress.reporting(recorder):
        session.translator()
    (started,) = [e for e in recorder.events if e.startswith("step loading the translator")]
    assert "opus-mt-id-en (revision " in started
    assert "device cpu, dtype float32, engine transformers" in started


def test_converting_a_model_for_the_cpu_engine_is_a_status_line(tiny_models_for, tmp_path):
    pytest.importorskip("ctranslate2")
    from summarizer.models import ct2_convert
    from summarizer.models.store import resolve_model

    source = tiny_models_for("opus-mt-id-en")
    models = tmp_path / "models"
    shutil.copytree(source / "opus-mt-id-en", models / "opus-mt-id-en", ignore=shutil.ignore_patterns("ctranslate2-*"))
    recorder = Recorder()
    with progress.reporting(recorder):
        ct2_convert.converted_dir(resolve_model("opus-mt-id-en", models), "int8")
        ct2_convert.converted_dir(resolve_model("opus-mt-id-en", models), "int8")  # reused: nothing to show
    steps = [e for e in recorder.events if e.startswith("step ")]
    assert len(steps) == 1 and "converting opus-mt-id-en for the CPU engine (CTranslate2 int8)" in steps[0]
    assert recorder.events[-1].startswith("end converting")


# --- on a terminal ----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux for a real terminal screen")
def test_on_a_terminal_bars_name_the_folder_and_only_the_table_stays(tmp_path, seeds_dir):
    inbox = tmp_path / "inbox"
    for name in ("alpha", "beta"):
        shutil.copytree(seeds_dir, inbox / name)
    raw, go = tmp_path / "terminal.raw", tmp_path / "go"
    command = (
        f"while [ ! -e {go} ]; do sleep 0.1; done; "
        f"{sys.executable} -m summarizer {inbox} --lang id -s extractive -o {tmp_path / 'out'}; echo EXIT=$?"
    )
    socket = f"summarize-test-{os.getpid()}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", "100", "-y", "40", "bash", "--norc", "-c", f"{command}; sleep 600"],
        check=True,
        env=env,
    )
    # Everything the program writes to the terminal, frames included, is copied to `raw`.
    subprocess.run([*tmux, "pipe-pane", "-o", f"cat >> {raw}"], check=True)
    go.touch()
    try:
        screen = ""
        deadline = time.monotonic() + 240
        while "EXIT=" not in screen and time.monotonic() < deadline:
            time.sleep(0.5)
            screen = subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)
    assert "EXIT=0" in screen, screen
    # While it ran, the folder bar named each folder it worked on ...
    frames = raw.read_bytes().decode("utf-8", errors="replace")  # keeps the \r of each frame
    assert "\r" in frames
    assert re.search(r"folders:.*1/2.*beta", frames) and re.search(r"folders:.*0/2.*alpha", frames)
    assert "alpha: checking every citation" in frames
    # ... and when it ended, only the table is on screen: no bar, no status line.
    shown = [line for line in screen.splitlines() if line.strip() and not line.startswith("EXIT=")]
    assert shown[0].startswith("folder ") and "status" in shown[0], screen
    assert not any("folders:" in line or "…" in line or "%|" in line for line in shown), screen


# --- the run table ----------------------------------------------------------------------------


def outcome(**overrides) -> FolderOutcome:
    values = dict(
        out_dir=Path("/o"),
        paths=[],
        articles=5,
        sentences=142,
        translated=120,
        translation_cache_hits=22,
        summaries_cached=0,
        flags={"passthrough-en": 150, "number-missing": 11},
        precision=0.953,
        recall=0.9,
        points=6,
        dropped=1,
        flagged_sentences=9,
    )
    values.update(overrides)
    return FolderOutcome(**values)  # type: ignore[arg-type]


def batch() -> BatchResult:
    long_name = "/inbox/" + "a-story-folder-with-a-very-long-descriptive-name-from-the-newsroom"
    return BatchResult(
        [
            FolderResult(long_name, "briefed", "6 key points", "/srv/outputs/" + "deep/" * 12 + "out", [], outcome()),
            FolderResult("/inbox/empty", "failed", "no readable article in /inbox/empty: " + "x " * 60),
            FolderResult("/inbox/same", "unchanged", "articles, models and settings unchanged", "/o/same"),
        ],
        {},
        {},
        [("/inbox/README.md", "a note about the folder, not an article")],
    )


def test_the_run_table_fits_80_columns_and_explains_its_columns():
    text = render_summary(batch(), width=80)
    lines = text.splitlines()
    too_wide = [line for line in lines if len(line) > 80 and "/deep/" not in line]
    assert not too_wide, too_wide
    header = lines[0].split()
    assert header == ["folder", "status", "articles", "new", "cached", "flagged", "prec", "recall", "draft", "P/R"]
    row = next(line for line in lines if " briefed " in line)
    assert row.split()[1:] == ["briefed", "5", "120", "22", "9", "0.95", "0.90", "-/-"]
    assert "…" in row.split()[0]  # the long name is shortened, its ends kept
    flowing = " ".join(text.split())  # the legend is wrapped to the width
    assert "flagged: sentences whose translation carries a warning" in flowing
    assert "new / cached: sentences translated" in flowing
    assert any(line.startswith("  error: no readable article") for line in lines)


def test_the_run_table_uses_a_wider_terminal():
    wide = render_summary(batch(), width=160).splitlines()
    assert "a-story-folder-with-a-very-long-descriptive-name-from-the-newsroom" in wide[1]
    assert max(len(line) for line in wide if "/deep/" not in line) <= 160


# --- help -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["run"], ["watch"], ["inspect"], ["status"], ["models", "pull"], ["models", "remove"]]
)
def test_help_shows_flags_as_flags_and_values_by_name(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    text = result.stdout
    # No type annotations anywhere: a flag takes no value, an argument is named, not typed.
    assert not re.search(r"<(bool|str|path|int|list\[\w+\])>", text, re.IGNORECASE), text
    assert "╭" not in text  # plain help, readable in any terminal and in a pipe


def test_run_help_names_each_value_and_documents_the_folders():
    text = invoke("run", "--help").stdout
    assert re.search(r"^Usage: summarize run \[OPTIONS\] \{FOLDER\}\.\.\.$", text, re.MULTILINE)
    assert "Each FOLDER is a story folder" in text
    for option in (
        "-l, --lang LANG",
        "-t, --translator NAME",
        "-s, --summarizer NAME",
        "--models-dir DIR",
        "-o, --output-dir DIR",
        "--engine ENGINE",
        "--device DEVICE",
        "--dtype DTYPE",
        "-f, --format FORMATS",
    ):
        assert option in text, option
    for flag in ("--force ", "--wait ", "-q, --quiet ", "-v, --verbose ", "--json "):
        line = next(line for line in text.splitlines() if flag in line)
        assert re.match(rf"\s+{re.escape(flag)}\s+[A-Z][a-z]", line), line  # no value follows the flag


# --- missing models, before any work ----------------------------------------------------------


def test_all_missing_models_are_one_line_before_any_folder_is_briefed(tmp_path, seeds_dir):
    inbox = tmp_path / "inbox"
    for name in ("alpha", "beta"):
        shutil.copytree(seeds_dir, inbox / name)
    out = tmp_path / "out"
    result = invoke(str(inbox), "--models-dir", str(tmp_path / "empty"), "-o", str(out), "-q")
    assert result.exit_code == 4
    (line,) = result.stderr.splitlines()
    assert line.count("is not installed") == 2 and "2 models cannot be used" in line
    assert "summarize models pull opus-mt-id-en" in line and "summarize models pull qwen2.5-1.5b-instruct" in line
    assert "--summarizer extractive" in line
    assert not (out / "alpha").exists() and not (out / "beta").exists()
    status = invoke("status", "-o", str(out))
    assert "2 models cannot be used" in status.stdout  # the run is on record with its reason


def test_only_the_models_the_run_needs_are_checked(tmp_path, seeds_dir):
    empty = str(tmp_path / "empty")
    # Written from the originals: no translator needed, only the summarizer is missing.
    result = invoke(str(seeds_dir), "--lang", "id", "--models-dir", empty, "-o", str(tmp_path / "o"), "-q")
    assert result.exit_code == 4
    assert "qwen2.5-1.5b-instruct" in result.stderr and "opus-mt-id-en" not in result.stderr
    # An English story needs no translator, and the built-in summarizer no model at all.
    english = tmp_path / "english"
    english.mkdir()
    (english / "a.txt").write_text(
        "Storm closes port\n\nA storm closed the port of Jakarta on Monday, officials said. "
        "Ships waited outside the harbour for two days. The port reopened on Wednesday morning.\n",
        encoding="utf-8",
    )
    result = invoke(str(english), "--models-dir", empty, "-s", "extractive", "-o", str(tmp_path / "o2"), "-q")
    assert result.exit_code == 0, result.stderr


def test_readme_and_help_agree_on_options_and_environment():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = invoke("run", "--help").stdout
    for option in re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", text, re.MULTILINE):
        if option != "--help":
            assert f"`{option}" in readme, option
    for variable in ("SUMMARIZE_MODELS_DIR", "SUMMARIZE_OUTPUT_DIR", "SUMMARIZE_PROMPTS_DIR"):
        assert variable in text and variable in readme, variable
    flowing = " ".join(text.split())  # help text is wrapped to the terminal
    assert "translator and the Qwen summarizer" in flowing and "translator and the Qwen summarizer" in readme
