"""Ctrl-C in `run` and `watch`: the first finishes the folder being briefed and stops, the second
abandons it (no partial output, the state untouched, the next run briefs it).

The subprocess tests slow one stage down from a wrapper script (the shipped code has no hook for
that) and send SIGINT to the whole process group, as a terminal's Ctrl-C does.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_batch import assert_outputs_whole, invoke

from summarizer.errors import ExitCode
from summarizer.run.interrupt import StopRequests

# Each folder's summarizing stage first says so on stderr, then sleeps: the moment to press Ctrl-C.
SLOW_SUMMARIES = """
import sys, time
import summarizer.run.pipeline as pipeline
_real = pipeline._summaries
def _slow(inputs, options, session, cache, name, *rest):
    print(f"SLOW {name}", file=sys.stderr, flush=True)
    time.sleep(float(__import__("os").environ.get("SLOW_SECONDS", "4")))
    return _real(inputs, options, session, cache, name, *rest)
pipeline._summaries = _slow
from summarizer.cli import main
sys.argv = ["summarize", *sys.argv[1:]]
main()
"""
EXTRACTIVE = ["--lang", "id", "--summarizer", "extractive", "-q"]
STORIES = {
    "first": ["000_04288ddc473c17d6.txt", "001_4608beaca02b4922.txt"],
    "second": ["003_a6e29feac7495037.txt"],
    "third": ["004_cf0cacba1d35eebe.txt"],
}


class Process:
    """A `summarize` subprocess in its own process group, its stderr collected line by line."""

    def __init__(self, args: list[str], slow_seconds: float = 4, script: str = SLOW_SUMMARIES) -> None:
        env = {**os.environ, "SLOW_SECONDS": str(slow_seconds)}
        self.popen = subprocess.Popen(
            [sys.executable, "-c", script, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stderr is not None
        for line in self.popen.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for_line(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.popen.poll() is None, f"exited ({self.popen.returncode}) before {text!r}:\n" + self.stderr
            assert time.monotonic() < deadline, f"no {text!r} on stderr:\n" + self.stderr
            time.sleep(0.05)

    def ctrl_c(self) -> None:
        """What a terminal does on Ctrl-C: SIGINT to every process of the foreground group."""
        os.killpg(self.popen.pid, signal.SIGINT)

    def finish(self, timeout: float = 300) -> int:
        code = self.popen.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)


def make_inbox(root: Path, seeds: Path) -> Path:
    inbox = root / "inbox"
    for name, files in STORIES.items():
        (inbox / name).mkdir(parents=True)
        for file in files:
            shutil.copy(seeds / file, inbox / name / file)
    return inbox


def status(out: Path) -> dict:
    result = invoke("status", "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def last_run_folders(out: Path) -> dict[str, str]:
    return {Path(f["folder"]).name: f["status"] for f in status(out)["runs"][0]["folders"]}


def rerun(inbox: Path, out: Path) -> dict[str, str]:
    result = invoke(str(inbox), *EXTRACTIVE, "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    return {Path(f["folder"]).name: f["status"] for f in json.loads(result.stdout)["folders"]}


def briefing_files(out: Path, name: str) -> list[Path]:
    return sorted((out / name).rglob("*")) if (out / name).exists() else []


def database_is_whole(out: Path) -> None:
    with sqlite3.connect(out / "summarize.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# --- the mechanism ----------------------------------------------------------------------------


def test_ctrl_c_with_no_folder_in_progress_stops_at_once() -> None:
    with StopRequests().installed(), pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)


def test_first_ctrl_c_asks_to_finish_the_second_abandons() -> None:
    said: list[str] = []
    with StopRequests(said.append).installed() as stop:
        stop.started("inbox/first")
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.1)  # the handler runs here, and returns
        assert stop.requested
        assert said == ["finishing inbox/first; press Ctrl-C again to abandon it"]
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_second_ctrl_c_while_outputs_are_written_waits_for_them() -> None:
    written = []
    with StopRequests().installed() as stop:
        stop.started("a")
        stop.started("b")
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.1)
        with pytest.raises(KeyboardInterrupt):
            with stop.shielded():
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.1)
                written.append("all files and the state")
    assert written == ["all files and the state"]


# --- summarize run ----------------------------------------------------------------------------


def test_run_one_ctrl_c_finishes_the_folder_in_progress_and_starts_no_other(tmp_path: Path, seeds_dir: Path) -> None:
    inbox, out = make_inbox(tmp_path, seeds_dir), tmp_path / "out"
    run = Process([str(inbox), *EXTRACTIVE, "-o", str(out)])
    run.wait_for_line("SLOW first")
    run.ctrl_c()
    assert run.finish() == ExitCode.INTERRUPTED, run.stderr
    assert f"summarize: finishing {inbox}/first; press Ctrl-C again to abandon it" in run.lines
    assert "stopped by Ctrl-C before 2 folder(s): second, third" in run.stderr
    assert "Traceback" not in run.stderr
    assert json.loads((out / "first" / "briefing.json").read_text())["articles"]
    assert not (out / "second").exists() and not (out / "third").exists()
    assert_outputs_whole(out)
    database_is_whole(out)
    assert status(out)["runs"][0]["status"] == "interrupted"
    assert last_run_folders(out) == {"first": "briefed", "second": "not started", "third": "not started"}

    assert rerun(inbox, out) == {"first": "unchanged", "second": "briefed", "third": "briefed"}


def test_run_two_ctrl_c_abandon_the_folder_cleanly_and_the_next_run_redoes_it(tmp_path: Path, seeds_dir: Path) -> None:
    inbox, out = make_inbox(tmp_path, seeds_dir), tmp_path / "out"
    # A first, complete run; then "first" changes and is being briefed again when Ctrl-C comes twice.
    assert set(rerun(inbox, out).values()) == {"briefed"}
    before = {path: path.read_bytes() for path in briefing_files(out, "first") if path.is_file()}
    shutil.copy(seeds_dir / "002_99ffd495cf952c86.txt", inbox / "first" / "002.txt")

    run = Process([str(inbox), *EXTRACTIVE, "-o", str(out)], slow_seconds=30)
    run.wait_for_line("SLOW first")
    run.ctrl_c()
    run.wait_for_line("press Ctrl-C again to abandon it")
    run.ctrl_c()
    assert run.finish(timeout=60) == ExitCode.INTERRUPTED, run.stderr
    assert run.lines[-1] == "summarize: interrupted"
    assert "Traceback" not in run.stderr
    # The previous briefing, untouched: nothing of the abandoned one was written.
    assert {path: path.read_bytes() for path in briefing_files(out, "first") if path.is_file()} == before
    assert_outputs_whole(out)
    database_is_whole(out)
    assert status(out)["runs"][0]["status"] == "interrupted"
    assert last_run_folders(out)["first"] == "abandoned"

    again = rerun(inbox, out)
    assert again["first"] == "briefed"
    record = json.loads((out / "first" / "briefing.json").read_text())
    assert [a["id"] for a in record["articles"]] == ["000_04288ddc473c17d6.txt", "001_4608beaca02b4922.txt", "002.txt"]


# --- summarize watch --------------------------------------------------------------------------


def watch_args(inbox: Path, out: Path) -> list[str]:
    return ["watch", str(inbox), *EXTRACTIVE, "-o", str(out), "--settle", "0.5", "--interval", "0.2"]


def test_watch_one_ctrl_c_finishes_the_folder_in_progress_then_stops(tmp_path: Path, seeds_dir: Path) -> None:
    inbox, out = make_inbox(tmp_path, seeds_dir), tmp_path / "out"
    watcher = Process(watch_args(inbox, out))
    watcher.wait_for_line("SLOW first")
    watcher.ctrl_c()
    assert watcher.finish() == ExitCode.INTERRUPTED, watcher.stderr
    assert f"summarize: finishing {inbox}/first; press Ctrl-C again to abandon it" in watcher.lines
    assert watcher.lines[-1] == "summarize: interrupted"
    assert "Traceback" not in watcher.stderr
    assert json.loads((out / "first" / "briefing.json").read_text())["articles"]
    assert not (out / "second").exists()
    assert_outputs_whole(out)
    database_is_whole(out)
    assert last_run_folders(out) == {"first": "briefed", "second": "not started", "third": "not started"}
    assert rerun(inbox, out) == {"first": "unchanged", "second": "briefed", "third": "briefed"}


def test_watch_two_ctrl_c_abandon_the_folder_and_the_next_run_redoes_it(tmp_path: Path, seeds_dir: Path) -> None:
    inbox, out = make_inbox(tmp_path, seeds_dir), tmp_path / "out"
    watcher = Process(watch_args(inbox, out), slow_seconds=30)
    watcher.wait_for_line("SLOW first")
    watcher.ctrl_c()
    watcher.wait_for_line("press Ctrl-C again to abandon it")
    watcher.ctrl_c()
    assert watcher.finish(timeout=60) == ExitCode.INTERRUPTED, watcher.stderr
    assert watcher.lines[-1] == "summarize: interrupted"
    assert "Traceback" not in watcher.stderr
    assert briefing_files(out, "first") == []
    assert_outputs_whole(out)
    database_is_whole(out)
    assert {Path(f["path"]).name: f["last_status"] for f in status(out)["folders"]}.get("first") != "briefed"
    assert last_run_folders(out)["first"] == "abandoned"
    assert rerun(inbox, out) == {"first": "briefed", "second": "briefed", "third": "briefed"}
