"""Concurrent runs, with real processes: several runs on one outputs folder (refused with exit 5,
or taking turns with --wait), two runs converting the same model into one models folder at the
same moment, a conversion killed half-way, and `status` while a run is writing.

A run is held at a chosen point by a small wrapper (it waits while a gate file exists), so the
overlap each test needs is certain rather than a matter of timing.
"""

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

from summarizer.cli import app
from summarizer.models.ct2_convert import STAMP_NAME, copy_problem
from summarizer.models.store import resolve_model

ROOT = Path(__file__).resolve().parent.parent
TRANSLATOR = "opus-mt-id-en"
STORIES = ("000_04288ddc473c17d6.txt", "003_a6e29feac7495037.txt")
TIMEOUT = 300  # seconds a process may take on a loaded machine before the test fails

# Holds a run while the file TEST_GATE exists, at TEST_PAUSE_AT: "written" (one folder's outputs
# are on disk, not yet recorded), "mid-write" (half of a conversion written), "converted" (a
# conversion complete in its scratch folder, not yet in place) or "mid-swap" (an old copy moved
# aside, the new one not yet in place). Every conversion is logged to TEST_CONVERSIONS.
HOOKS = textwrap.dedent(
    """
    import os, time
    import summarizer.models.ct2_convert as convert
    import summarizer.run.batch as batch

    def _pause(point):
        if os.environ.get("TEST_PAUSE_AT") != point:
            return
        gate = os.environ["TEST_GATE"]
        open(gate + ".reached", "w").close()
        while os.path.exists(gate):
            time.sleep(0.05)

    _write, _convert, _install = batch.write_briefing, convert._convert, convert._install

    def _writing(*args, **kwargs):
        written = _write(*args, **kwargs)
        _pause("written")
        return written

    def _converting(resolved, output, quantization):
        if os.environ.get("TEST_CONVERSIONS"):
            with open(os.environ["TEST_CONVERSIONS"], "a") as log:
                log.write(f"{os.getpid()}\\n")
        if os.environ.get("TEST_PAUSE_AT") == "mid-write":
            output.mkdir(parents=True)
            (output / "model.bin").write_bytes(b"the first bytes of a model")
            _pause("mid-write")
        _convert(resolved, output, quantization)
        _pause("converted")

    def _installing(built, target, stale):
        if os.path.lexists(target):
            os.replace(target, stale)
        _pause("mid-swap")
        _install(built, target, stale)

    batch.write_briefing, convert._convert, convert._install = _writing, _converting, _installing
    """
)


class Cli:
    """A `summarize` process with the hooks above; stdout and stderr go to files."""

    def __init__(self, args: list[str], logs: Path, env: dict[str, str] | None = None) -> None:
        logs.mkdir(parents=True, exist_ok=True)
        self.stderr_path = logs / f"{len(list(logs.iterdir()))}.err"
        code = HOOKS + "\nimport sys\nfrom summarizer.cli import main\nsys.argv[0] = 'summarize'\nmain()\n"
        environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        with open(self.stderr_path, "w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL, stderr=stderr, env=environment
            )

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def wait(self) -> int:
        return self.process.wait(timeout=TIMEOUT)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def wait_for(condition, what: str, processes: list[Cli]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        for cli in processes:
            assert cli.process.poll() is None, f"ended before {what}: {cli.stderr[-2000:]}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


class Gate:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.touch()

    @property
    def env(self) -> dict[str, str]:
        return {"TEST_GATE": str(self.path)}

    def reached(self) -> bool:
        return Path(f"{self.path}.reached").exists()

    def open(self) -> None:
        self.path.unlink(missing_ok=True)


@pytest.fixture
def story(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "banjir"
    folder.mkdir()
    for name in STORIES:
        shutil.copy(seeds_dir / name, folder / name)
    return folder


def extractive_run(story: Path, out: Path, *extra: str) -> list[str]:
    """A run that needs no model (Indonesian, extractive): only the outputs lock is at stake."""
    return ["run", str(story), "--lang", "id", "--summarizer", "extractive", "-o", str(out), *extra]


def assert_outputs_whole(out: Path) -> None:
    """The database passes its integrity check; every output parses; no temp file is left."""
    with sqlite3.connect(out / "summarize.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for path in out.rglob("*"):
        assert not path.name.endswith(".tmp"), f"temp file left: {path}"
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
    assert (out / "banjir" / "briefing.md").is_file()


def recorded_runs(out: Path) -> list[dict]:
    result = CliRunner().invoke(app, ["status", "-o", str(out), "--json", "--runs", "50"])
    assert result.exit_code == 0, result.output
    return list(reversed(json.loads(result.stdout)["runs"]))


# --- several runs on one outputs folder -----------------------------------------------------------


@pytest.mark.parametrize("runs", [2, 4])
def test_runs_on_the_same_outputs_are_refused_while_one_writes(runs: int, story: Path, tmp_path: Path) -> None:
    out, logs = tmp_path / "out", tmp_path / "logs"
    gate = Gate(tmp_path / "gate")
    first = Cli(extractive_run(story, out, "-q"), logs, {**gate.env, "TEST_PAUSE_AT": "written"})
    others: list[Cli] = []
    try:
        wait_for(gate.reached, "the first run to write", [first])
        others = [Cli(extractive_run(story, out, "-q"), logs) for _ in range(runs - 1)]
        assert [cli.wait() for cli in others] == [5] * (runs - 1)
        for cli in others:
            assert cli.stderr == (
                f"summarize: error: another summarize run (pid {first.process.pid}) is writing to {out}; "
                "wait for it to finish or pass --wait\n"
            )
        gate.open()
        assert first.wait() == 0, first.stderr
    finally:
        for cli in [first, *others]:
            cli.kill()
    assert_outputs_whole(out)
    assert [run["status"] for run in recorded_runs(out)] == ["ok"]  # the refused runs wrote nothing


@pytest.mark.parametrize("runs", [2, 4])
def test_runs_on_the_same_outputs_take_turns_with_wait(runs: int, story: Path, tmp_path: Path) -> None:
    out, logs = tmp_path / "out", tmp_path / "logs"
    gate = Gate(tmp_path / "gate")
    first = Cli(extractive_run(story, out), logs, {**gate.env, "TEST_PAUSE_AT": "written"})
    others: list[Cli] = []
    try:
        wait_for(gate.reached, "the first run to write", [first])
        # --force: each waiting run briefs the folder again, so every one of them writes.
        others = [Cli(extractive_run(story, out, "--wait", "--force"), logs) for _ in range(runs - 1)]
        waiting = f"another summarize run (pid {first.process.pid}) is writing to {out}; waiting for it"
        wait_for(lambda: all(waiting in cli.stderr for cli in others), "the others to wait", [first, *others])
        gate.open()
        assert [cli.wait() for cli in [first, *others]] == [0] * runs, [cli.stderr[-1500:] for cli in others]
    finally:
        for cli in [first, *others]:
            cli.kill()
    assert_outputs_whole(out)
    history = recorded_runs(out)
    assert [run["status"] for run in history] == ["ok"] * runs
    assert all(run["folders"][0]["status"] == "briefed" for run in history)
    for earlier, later in zip(history, history[1:], strict=False):
        assert later["started_at"] >= earlier["finished_at"]  # one after another, never overlapping


# --- status while a run is writing ------------------------------------------------------------


def test_status_while_a_run_is_writing(story: Path, tmp_path: Path) -> None:
    out, logs = tmp_path / "out", tmp_path / "logs"
    assert CliRunner().invoke(app, extractive_run(story, out, "-q")).exit_code == 0  # a run on record
    gate = Gate(tmp_path / "gate")
    running = Cli(extractive_run(story, out, "-q", "--force"), logs, {**gate.env, "TEST_PAUSE_AT": "written"})
    try:
        wait_for(gate.reached, "the run to write", [running])
        for args in (["status", "-o", str(out)], ["status", "-o", str(out), "--json"]):
            started = time.monotonic()
            completed = subprocess.run(
                [sys.executable, "-m", "summarizer", *args],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                timeout=TIMEOUT,
                check=False,
            )
            assert completed.returncode == 0 and completed.stderr == "", completed.stderr
            assert time.monotonic() - started < 60  # never waits for the run
            if "--json" in args:
                newest = json.loads(completed.stdout)["runs"][0]
                assert (newest["status"], newest["pid"]) == ("running", running.process.pid)
            else:
                assert "running now" in completed.stdout
        gate.open()
        assert running.wait() == 0, running.stderr
    finally:
        running.kill()
    assert [run["status"] for run in recorded_runs(out)] == ["ok", "ok"]
    assert_outputs_whole(out)


def test_status_again_and_again_during_a_whole_run(story: Path, tmp_path: Path, fresh_store: Path) -> None:
    """`status` from another process at every stage of a run (converting, translating, writing)."""
    out, logs, store = tmp_path / "out", tmp_path / "logs", fresh_store
    run = Cli(["run", str(story), "--summarizer", "extractive", "--models-dir", str(store), "-o", str(out)], logs)
    answers = []
    try:
        while run.process.poll() is None:
            if (out / "summarize.sqlite3").exists():
                result = CliRunner().invoke(app, ["status", "-o", str(out), "--json"])
                assert result.exit_code == 0, result.output
                runs = json.loads(result.stdout)["runs"] if result.stdout.strip() else []
                answers.append(runs[0]["status"] if runs else "none yet")
            time.sleep(0.05)
        assert run.wait() == 0, run.stderr
    finally:
        run.kill()
    assert "running" in answers, answers
    assert_outputs_whole(out)


# --- one models folder, two runs converting the same model -------------------------------------


@pytest.fixture
def fresh_store(tiny_models_for, tmp_path: Path) -> Path:
    """A private store with the translator as pulled: not yet converted for CTranslate2."""
    store = tmp_path / "models"
    source = tiny_models_for(TRANSLATOR) / TRANSLATOR
    shutil.copytree(source, store / TRANSLATOR, ignore=shutil.ignore_patterns("ctranslate2-*", ".*"))
    return store


def translating_run(story: Path, store: Path, out: Path) -> list[str]:
    return ["run", str(story), "--summarizer", "extractive", "--models-dir", str(store), "-o", str(out)]


def assert_one_current_copy(store: Path) -> None:
    """The model folder holds its files, one complete converted copy and the lock: no scratch."""
    model = store / TRANSLATOR
    assert copy_problem(resolve_model(TRANSLATOR, store), "int8") is None
    assert (model / "ctranslate2-int8" / STAMP_NAME).is_file()
    leftovers = [p.name for p in model.iterdir() if p.name.startswith(".") and p.name != ".ctranslate2-int8.lock"]
    assert leftovers == [], leftovers


def test_two_runs_converting_the_same_model_at_once_convert_it_once(
    fresh_store: Path, story: Path, tmp_path: Path
) -> None:
    logs, conversions = tmp_path / "logs", tmp_path / "conversions.log"
    gate = Gate(tmp_path / "gate")
    env = {"TEST_CONVERSIONS": str(conversions)}
    first = Cli(
        translating_run(story, fresh_store, tmp_path / "out1"), logs, {**env, **gate.env, "TEST_PAUSE_AT": "converted"}
    )
    second: Cli | None = None
    try:
        wait_for(gate.reached, "the first conversion", [first])
        second = Cli(translating_run(story, fresh_store, tmp_path / "out2"), logs, env)
        waiting = f"another summarize is converting {TRANSLATOR} in {fresh_store / TRANSLATOR / 'ctranslate2-int8'}"
        wait_for(lambda: waiting in second.stderr, "the second run to wait", [first, second])
        gate.open()
        assert first.wait() == 0, first.stderr
        assert second.wait() == 0, second.stderr
    finally:
        for cli in (first, second):
            if cli is not None:
                cli.kill()
    assert conversions.read_text().split() == [str(first.process.pid)]  # converted once, by the first
    assert_one_current_copy(fresh_store)
    for out in (tmp_path / "out1", tmp_path / "out2"):
        assert_outputs_whole(out)


# --- a conversion killed half-way -----------------------------------------------------------------


def make_stale(store: Path) -> None:
    """Convert the model, then make its copy out of date (as after a ctranslate2 upgrade)."""
    from summarizer.models.ct2_convert import converted_dir

    target = converted_dir(resolve_model(TRANSLATOR, store), "int8")
    stamp = json.loads((target / STAMP_NAME).read_text())
    (target / STAMP_NAME).write_text(json.dumps({**stamp, "ctranslate2": "0.0.1"}))


@pytest.mark.parametrize("killed_at", ["mid-write", "converted", "mid-swap"])
def test_a_conversion_killed_half_way_is_redone_and_leaves_no_scratch(
    killed_at: str, fresh_store: Path, story: Path, tmp_path: Path
) -> None:
    if killed_at == "mid-swap":
        make_stale(fresh_store)
    model = fresh_store / TRANSLATOR
    gate = Gate(tmp_path / "gate")
    killed = Cli(
        translating_run(story, fresh_store, tmp_path / "out"),
        tmp_path / "logs",
        {**gate.env, "TEST_PAUSE_AT": killed_at},
    )
    try:
        wait_for(gate.reached, f"the conversion to reach {killed_at}", [killed])
        killed.process.send_signal(signal.SIGKILL)
        assert killed.wait() == -signal.SIGKILL
    finally:
        killed.kill()
    assert not (model / "ctranslate2-int8").exists()  # never half a copy in place
    assert [p for p in model.iterdir() if p.name.startswith(".ctranslate2-int8.") and p.is_dir()]

    rerun = CliRunner().invoke(app, translating_run(story, fresh_store, tmp_path / "out"))
    assert rerun.exit_code == 0, rerun.output
    # Found before any article was translated, and said.
    said = rerun.stderr.index(f"a conversion of {TRANSLATOR} was stopped before it finished")
    assert said < rerun.stderr.index("loading the translator")
    assert_one_current_copy(fresh_store)
    assert_outputs_whole(tmp_path / "out")
