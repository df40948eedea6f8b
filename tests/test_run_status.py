"""Exit codes and `summarize status` tell the truth about how a run ended: a bug exits 70 and is
`failed` with its reason, a run killed without a chance to record anything is `killed`, and a run
still going is `running` (its process is recognised by host, boot and start time, not by pid alone,
which the system reuses)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from typer.testing import CliRunner

from summarizer.cli import app, route
from summarizer.run.database import SCHEMA_VERSION
from summarizer.run.state import State, boot_id, process_start, run_alive

runner = CliRunner()
EXTRACTIVE = ("--lang", "id", "--summarizer", "extractive", "-q")


def story(root: Path, seeds: Path) -> Path:
    folder = root / "story"
    folder.mkdir()
    for name in sorted(p.name for p in seeds.iterdir())[:3]:
        shutil.copy(seeds / name, folder / name)
    return folder


def status(out: Path) -> tuple[list[dict], str]:
    as_json = runner.invoke(app, ["status", "-o", str(out), "--json"])
    text = runner.invoke(app, ["status", "-o", str(out)])
    assert as_json.exit_code == 0 and text.exit_code == 0, as_json.output + text.output
    return json.loads(as_json.stdout)["runs"], text.stdout


# Blocks the run once it is writing its first folder, after saying so in a marker file.
HOLD_WHILE_WRITING = """
import sys, time
from pathlib import Path
import summarizer.output.files as files
marker = Path(sys.argv.pop(1))
def held(*args, **kwargs):
    marker.write_text("writing")
    time.sleep(600)
files.publish = held
sys.argv[0] = "summarize"
from summarizer.cli import main
main()
"""


def test_a_live_run_is_running_and_a_sigkilled_one_is_killed(seeds_dir, tmp_path):
    folder, out, marker = story(tmp_path, seeds_dir), tmp_path / "out", tmp_path / "writing"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(HOLD_WHILE_WRITING),
            str(marker),
            str(folder),
            *EXTRACTIVE,
            "-o",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 300
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), process.stderr.read() if process.stderr else ""
        runs, text = status(out)
        assert [r["status"] for r in runs] == ["running"]
        assert runs[0]["pid"] == process.pid and "running now" in text
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    runs, text = status(out)
    assert [r["status"] for r in runs] == ["killed"]
    assert "killed (stopped without finishing)" in text


def test_a_run_that_died_of_a_bug_exits_70_and_is_failed_with_its_reason(seeds_dir, tmp_path, monkeypatch):
    import summarizer.run.batch as batch

    folder, out = story(tmp_path, seeds_dir), tmp_path / "out"

    def broken(*args, **kwargs):
        raise ZeroDivisionError("injected bug")

    monkeypatch.setattr(batch, "check_models_installed", broken)
    result = runner.invoke(app, route([str(folder), *EXTRACTIVE, "-o", str(out)]))
    assert result.exit_code == 70
    assert "Traceback" in result.stderr and "internal error (exit 70)" in result.stderr
    runs, text = status(out)
    assert [r["status"] for r in runs] == ["failed"]
    assert runs[0]["error"] == "internal error: ZeroDivisionError: injected bug"
    assert "failed: before any folder was done" in text and "error: internal error: ZeroDivisionError" in text


def test_a_bug_in_a_folder_makes_the_run_failed_with_that_folder_as_reason(seeds_dir, tmp_path, monkeypatch):
    import summarizer.run.executors as executors

    folder, out = story(tmp_path, seeds_dir), tmp_path / "out"

    def broken(*args, **kwargs):
        raise KeyError("injected")

    monkeypatch.setattr(executors, "brief", broken)
    result = runner.invoke(app, route([str(folder), *EXTRACTIVE, "-o", str(out)]))
    assert result.exit_code == 70
    runs, _ = status(out)
    assert runs[0]["status"] == "failed"
    assert str(folder.resolve()) in runs[0]["error"] and "KeyError" in runs[0]["error"]


def test_a_reused_pid_or_a_reboot_does_not_make_a_killed_run_look_alive(seeds_dir, tmp_path):
    folder, out = story(tmp_path, seeds_dir), tmp_path / "out"
    assert runner.invoke(app, route([str(folder), *EXTRACTIVE, "-o", str(out)])).exit_code == 0
    alive = os.getpid()  # a pid that certainly exists: this test's own process
    state = State(out / "summarize.sqlite3")
    try:
        for host, boot, start, expected in [
            (None, None, None, "running"),  # a row from before the identity was recorded: pid only
            (socket.gethostname(), boot_id(), process_start(alive), "running"),  # this very process
            (socket.gethostname(), boot_id(), "1", "killed"),  # the pid now belongs to another process
            (socket.gethostname(), "another-boot", process_start(alive), "killed"),  # the machine restarted
        ]:
            state._db.execute(
                "INSERT INTO runs (started_at, pid, arguments, host, boot_id, process_start) VALUES (?, ?, '[]', ?, ?, ?)",
                (time.time(), alive, host, boot, start),
            )
            assert state.runs(1)[0]["status"] == expected, (host, boot, start)
    finally:
        state.close()
    assert run_alive(alive, "some-other-host", "x", "1"), "a run on another machine cannot be judged from here"


def test_status_reads_runs_of_a_database_without_the_identity_columns(seeds_dir, tmp_path):
    """A database of schema 2 (before runs recorded their process) still shows its history."""
    folder, out = story(tmp_path, seeds_dir), tmp_path / "out"
    assert runner.invoke(app, route([str(folder), *EXTRACTIVE, "-o", str(out)])).exit_code == 0
    with sqlite3.connect(out / "summarize.sqlite3") as db:
        db.executescript(
            "CREATE TABLE old_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at REAL NOT NULL,"
            " finished_at REAL, pid INTEGER NOT NULL, arguments TEXT NOT NULL,"
            " status TEXT NOT NULL DEFAULT 'running', summary TEXT);"
            "INSERT INTO old_runs SELECT id, started_at, finished_at, pid, arguments, status, summary FROM runs;"
            "DROP TABLE runs; ALTER TABLE old_runs RENAME TO runs; PRAGMA user_version = 2;"
        )
    runs, _ = status(out)
    assert [r["status"] for r in runs] == ["ok"]
    assert runner.invoke(app, route([str(folder), *EXTRACTIVE, "-o", str(out), "--force"])).exit_code == 0
    with sqlite3.connect(out / "summarize.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        newest = db.execute("SELECT host, boot_id FROM runs ORDER BY id DESC").fetchone()
        assert newest == (socket.gethostname(), boot_id()), "the migrated table records the process"
    runs, _ = status(out)
    assert [r["status"] for r in runs] == ["ok", "ok"]
