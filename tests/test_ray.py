"""`--executor ray` against a real local Ray cluster (loopback only): the same files as a local run,
cached work shipped to the workers, and the faults: killed workers, data failures, a killed driver.

One Ray instance serves the whole session (starting one takes seconds); every run makes its own
actors and kills them when it ends.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from test_batch import (
    KILL_DURING_WRITE,
    MODELS,
    NEW_ARTICLE,
    assert_outputs_whole,
    build_inbox,
    by_name,
    invoke,
    run_json,
    start_cli,
    translations_stored,
)

ROOT = Path(__file__).resolve().parents[1]

# An article in a language the pipeline does not brief: its folder fails on the worker, for a data reason.
GERMAN = """Der Verteidigungsminister traf sich am Donnerstag mit seinem amerikanischen Amtskollegen in Washington.
Beide sprachen über die Lage in der Region und über die Zusammenarbeit der beiden Länder in den kommenden Jahren.
Die Gespräche dauerten nach Angaben des Ministeriums mehr als zwei Stunden und verliefen sehr freundlich.
"""


@pytest.fixture(scope="session")
def ray_cluster():
    """One local Ray instance on the loopback interface for the session; yields its address."""
    # Before Ray is imported: its processes then listen on 127.0.0.1 only (see LOOPBACK_ONLY_ENV).
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    # No thread count is pinned: the actors run with as many threads as CPUs they reserve (2),
    # the tests' local runs with one (conftest), and their files must still be the same.
    ray = pytest.importorskip("ray")
    temp_dir = tempfile.mkdtemp(prefix="ray-tests-")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=200 * 1024 * 1024,
        _temp_dir=temp_dir,
        logging_level=logging.WARNING,
        log_to_driver=False,
        runtime_env={
            "env_vars": {
                # Workers import this checkout, whatever the environment's installed copy is.
                "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            }
        },
    )
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()
        shutil.rmtree(temp_dir, ignore_errors=True)


def scrubbed(out: Path) -> dict[str, str]:
    """Every output file, by its stable path outputs/<story>/..., with what legitimately differs
    between two runs removed: timings, and the outputs folder's own path."""
    files = {}
    stories = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    for path in sorted(path for story in stories for path in story.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8").replace(str(out), "<out>")
        if path.suffix == ".json":
            data = json.loads(text)
            data.pop("timings", None)
            text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        files[str(path.relative_to(out))] = text
    return files


def without_cache_counts(files: dict[str, str]) -> dict[str, str]:
    return {name: re.sub(r'"cached": \d+', '"cached": *', text) for name, text in files.items()}


def scrubbed_summary(summary: dict, out: Path) -> dict:
    """The run summary without timings, the outputs folder's path and the executor's description."""
    text = json.dumps(summary).replace(str(out), "<out>")
    data = json.loads(text)
    data.pop("executor")
    for folder in data["folders"]:
        folder.pop("timings_s", None)
    return data


RAY_LINE = re.compile(r"^briefed on Ray: .*\n", re.M)


@pytest.fixture(scope="module")
def both_runs(ray_cluster, tiny_models_for, seeds_dir, tmp_path_factory):
    """The same inbox briefed by the local executor and by the Ray executor into two output folders."""
    models = tiny_models_for(*MODELS)
    root = tmp_path_factory.mktemp("ray-same")
    inbox = build_inbox(root, seeds_dir)
    local_out, ray_out = root / "local", root / "ray"
    local = run_json(inbox, models, local_out)
    remote = run_json(inbox, models, ray_out, "--executor", "ray")
    return inbox, models, (local_out, *local), (ray_out, *remote)


@pytest.mark.ray
def test_ray_executor_writes_the_same_files_as_the_local_one(both_runs):
    import torch

    _, _, (local_out, local, local_summary), (ray_out, remote, ray_summary) = both_runs
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    assert ray_summary["counts"] == {"briefed": 3, "unchanged": 0, "failed": 0}
    # Not the same thread count: the local run used this process's one thread, the actor the two
    # CPUs it reserved; neither changes what is written.
    assert torch.get_num_threads() == 1
    assert local_summary["executor"] == {"name": "local"}
    assert ray_summary["executor"] == {
        "name": "ray",
        "actors": 1,
        "cpus_per_actor": 2,
        "gpus_per_actor": 0,
        "threads_per_actor": 2,
        "device": "auto",
    }
    local_files, ray_files = scrubbed(local_out), scrubbed(ray_out)
    assert len(local_files) >= 3 * 4  # briefing.md/html/json and article pages per folder
    assert ray_files == local_files
    # The report is the same too: per-folder figures, cache hits and misses, exit code; the Ray
    # run's table adds one line saying on what it briefed.
    assert scrubbed_summary(ray_summary, ray_out) == scrubbed_summary(local_summary, local_out)
    assert "briefed on Ray: 1 actor, each 2 CPUs, 2 thread(s), device auto\n" in remote.stderr
    table = re.sub(r"\S*/(local|ray)\b", "<out>", RAY_LINE.sub("", remote.stderr))
    assert table == re.sub(r"\S*/(local|ray)\b", "<out>", local.stderr)


@pytest.mark.ray
def test_an_actor_runs_its_models_with_as_many_threads_as_cpus_it_reserved(both_runs):
    """The actor sets the count itself (not left to what its worker process inherited), and the
    run report records it."""
    import ray

    from summarizer.cache import MemoryCache
    from summarizer.ingest.folder import load_folder
    from summarizer.run.executors import BriefJob, RayExecutor
    from summarizer.run.pipeline import RunOptions

    inbox, models, _, _ = both_runs
    executor = RayExecutor(RunOptions(models_dir=models, progress=False))
    try:
        (done,) = executor.brief_all(iter([BriefJob(load_folder(inbox / "nato-confirms"))]), MemoryCache())
        assert done.record is not None
        threads = ray.get([actor.torch_threads.remote() for actor in executor._pool.actors])
    finally:
        executor.close()
    assert executor.describe()["threads_per_actor"] == 2
    assert threads == [2]


@pytest.mark.ray
def test_ray_run_skips_unchanged_folders_and_ships_cached_translations(both_runs):
    inbox, models, _, (ray_out, _, _) = both_runs
    unchanged, summary = run_json(inbox, models, ray_out, "--executor", "ray")
    assert unchanged.exit_code == 0
    assert summary["counts"] == {"briefed": 0, "unchanged": 3, "failed": 0}

    (inbox / "pentagon-estimates" / "000_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    try:
        changed, summary = run_json(inbox, models, ray_out, "--executor", "ray")
    finally:
        (inbox / "pentagon-estimates" / "000_new.txt").unlink()
    assert changed.exit_code == 0, changed.output
    folder = by_name(summary)["pentagon-estimates"]
    assert folder["status"] == "briefed"
    # The worker got the folder's cached translations and summaries from the driver: only the
    # new article's four sentences and its summary were made.
    assert summary["cache"]["misses"]["translation"] == 4
    assert folder["translation_cache_hits"] == folder["sentences"] - 4
    assert folder["summaries_from_cache"] == 2


class KillWorkers(logging.Handler):
    """Kills the Ray worker a folder was just sent to (SIGKILL, as the OOM killer would)."""

    def __init__(self, folder_name: str, times: int) -> None:
        super().__init__()
        self.folder_name, self.times, self.killed = folder_name, times, []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        match = re.search(r"sent to Ray worker pid (\d+)", message)
        if match and Path(message.split(":")[0]).name == self.folder_name and len(self.killed) < self.times:
            pid = int(match.group(1))
            os.kill(pid, signal.SIGKILL)
            self.killed.append(pid)


def ray_batch(inbox: Path, models: Path, out: Path, killer: KillWorkers):
    from summarizer.run.batch import run_batch
    from summarizer.run.pipeline import RunOptions

    logger = logging.getLogger("summarizer.run.executors")
    logger.addHandler(killer)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        return run_batch([inbox], RunOptions(models_dir=models, progress=False), out, executor="ray")
    finally:
        logger.removeHandler(killer)
        logger.setLevel(level)


@pytest.mark.ray
def test_a_killed_worker_is_replaced_and_its_folder_retried(both_runs, tmp_path, caplog):
    inbox, models, (local_out, _, _), _ = both_runs
    out = tmp_path / "out"
    killer = KillWorkers("nato-confirms", times=1)
    with caplog.at_level(logging.WARNING, logger="summarizer.run.executors"):
        batch = ray_batch(inbox, models, out, killer)
    assert len(killer.killed) == 1
    assert "nato-confirms: its Ray worker died; retrying on a new one (1/2)" in caplog.text
    assert batch.counts() == {"briefed": 3, "unchanged": 0, "failed": 0}
    assert scrubbed(out) == scrubbed(local_out)


@pytest.mark.ray
def test_a_folder_that_keeps_killing_workers_or_has_bad_data_fails_alone(both_runs, tmp_path):
    inbox, models, _, _ = both_runs
    german = inbox / "zz-german"
    german.mkdir()
    (german / "berita.txt").write_text(GERMAN, encoding="utf-8")
    out = tmp_path / "out"
    killer = KillWorkers("nato-confirms", times=10)
    try:
        batch = ray_batch(inbox, models, out, killer)
    finally:
        shutil.rmtree(german)
    results = {Path(r.path).name: r for r in batch.folders}
    assert len(killer.killed) == 3  # the first try and both retries
    assert results["nato-confirms"].status == "failed"
    assert "the worker briefing it died 3 times" in results["nato-confirms"].detail
    assert results["zz-german"].status == "failed"
    assert "in Indonesian or English" in results["zz-german"].detail
    assert not results["zz-german"].internal_error
    assert {results["pentagon-estimates"].status, results["saudia-bomb-threat"].status} == {"briefed"}
    assert int(batch.exit_code) == 1
    assert not (out / "nato-confirms" / "briefing.json").exists()

    status = json.loads(invoke("status", "-o", str(out), "--json").stdout)
    folders = {Path(f["path"]).name: f for f in status["folders"]}
    assert folders["nato-confirms"]["last_status"] == "failed"
    assert "died 3 times" in folders["nato-confirms"]["last_error"]
    assert folders["zz-german"]["last_status"] == "failed"
    assert status["runs"][0]["status"] == "partial"


@pytest.mark.ray
def test_a_killed_driver_leaves_no_partial_output_and_the_next_run_resumes(both_runs, ray_cluster, tmp_path):
    inbox, models, (local_out, _, _), _ = both_runs
    out = tmp_path / "out"
    args = [str(inbox), "--models-dir", str(models), "-o", str(out), "-q", "--executor", "ray"]
    # The driver joins the session's cluster and dies (SIGKILL) half-way through writing a file.
    driver = start_cli([*args, "--ray-address", ray_cluster], wrapper=KILL_DURING_WRITE)
    driver.wait(timeout=600)
    assert driver.returncode == -signal.SIGKILL, driver.stderr.read() if driver.stderr else ""
    assert not list(out.glob("*/briefing.*")), "no briefing may exist before its pages are all written"
    assert translations_stored(out / "summarize.sqlite3") > 0, "the worker's translations were stored first"

    resumed, summary = run_json(inbox, models, out, "--executor", "ray", "--ray-address", ray_cluster)
    assert resumed.exit_code == 0, resumed.output
    assert summary["counts"]["briefed"] == 3
    assert summary["cache"]["hits"]["translation"] > 0  # the killed run's work was kept
    assert_outputs_whole(out)
    # The same briefing as an uninterrupted run; only the record of what came from the cache differs.
    assert without_cache_counts(scrubbed(out)) == without_cache_counts(scrubbed(local_out))
    history = json.loads(invoke("status", "-o", str(out), "--json").stdout)["runs"]
    assert [r["status"] for r in history] == ["ok", "killed"]


def test_without_ray_the_ray_executor_says_how_to_install_it(monkeypatch, seeds_dir, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    result = invoke(
        str(seeds_dir), "--lang", "id", "--summarizer", "extractive", "-o", str(tmp_path), "-q", "--executor", "ray"
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        'summarize: error: the ray executor needs Ray: pip install "summarize-news-id[ray]" (or pip install ".[ray]" from the project)'
    ]


def sent_to_pids(records: list[logging.LogRecord]) -> dict[str, int]:
    """Folder name -> pid of the Ray worker it was (last) sent to, from the executor's log."""
    pids = {}
    for record in records:
        match = re.search(r"^(.*): sent to Ray worker pid (\d+)", record.getMessage())
        if match:
            pids[Path(match.group(1)).name] = int(match.group(2))
    return pids


@pytest.mark.ray
def test_ray_actors_option_briefs_on_that_many_actors_with_the_same_files(both_runs, tmp_path, caplog):
    from summarizer.run.batch import run_batch
    from summarizer.run.pipeline import RunOptions

    inbox, models, (local_out, _, _), _ = both_runs
    out = tmp_path / "out"
    with caplog.at_level(logging.INFO, logger="summarizer.run.executors"):
        batch = run_batch([inbox], RunOptions(models_dir=models, progress=False), out, executor="ray", ray_actors=2)
    assert batch.counts() == {"briefed": 3, "unchanged": 0, "failed": 0}
    # Two actors on the session's 2-CPU cluster: one CPU, and so one thread, each.
    assert batch.executor == {
        "name": "ray",
        "actors": 2,
        "cpus_per_actor": 1,
        "gpus_per_actor": 0,
        "threads_per_actor": 1,
        "device": "auto",
    }
    pids = sent_to_pids(caplog.records)
    assert set(pids) == {"nato-confirms", "pentagon-estimates", "saudia-bomb-threat"}
    assert len(set(pids.values())) == 2
    assert scrubbed(out) == scrubbed(local_out)


@pytest.mark.ray
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--executor", "ray", "--ray-actors", "0"],
            "--ray-actors: the number of Ray actors must be at least 1, not 0",
        ),
        (["--ray-actors", "2"], "--ray-actors: applies to --executor ray only"),
        (
            ["--executor", "ray", "--ray-actors", "3"],
            "--ray-actors 3: the Ray cluster has 2 CPU(s) and each actor needs one; ask for at most 2",
        ),
        (
            ["--executor", "ray", "--device", "cuda"],
            "--device cuda: the Ray cluster has no GPU; add GPU nodes or pass --device cpu",
        ),
    ],
)
def test_an_unusable_actor_count_or_device_is_one_line(ray_cluster, seeds_dir, tmp_path, extra, message):
    result = invoke(str(seeds_dir), "--lang", "id", "--summarizer", "extractive", "-o", str(tmp_path), "-q", *extra)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"summarize: error: {message}"]


@pytest.mark.ray
def test_actors_the_cluster_has_no_room_for_stop_the_run_in_one_line(ray_cluster):
    import ray

    from summarizer.errors import SummarizerError
    from summarizer.run.executors import FolderWorker, _Pool
    from summarizer.run.pipeline import RunOptions

    too_big = ray.remote(num_cpus=3, max_restarts=0)(FolderWorker)  # the session's cluster has 2 CPUs
    pool = _Pool(lambda: too_big.remote(RunOptions(progress=False), 3), 1)
    try:
        with pytest.raises(
            SummarizerError, match=r"^only 0 of 1 Ray actors started within 3 s: the cluster has no room"
        ):
            pool.start(timeout=3)
    finally:
        for actor in pool.actors:
            ray.kill(actor, no_restart=True)


# Each Ray actor waits before briefing a folder: the moment to press Ctrl-C. The class is defined
# in the driver's __main__, so Ray ships it to the workers by value.
SLOW_RAY_WORKER = """
import os, sys, time
import summarizer.run.executors as executors
class SlowWorker(executors.FolderWorker):
    def brief(self, folder, prefill):
        time.sleep(float(os.environ.get("SLOW_SECONDS", "4")))
        return super().brief(folder, prefill)
executors.FolderWorker = SlowWorker
from summarizer.cli import main
sys.argv = ["summarize", *sys.argv[1:]]
main()
"""


def ray_ctrl_c_run(inbox: Path, models: Path, out: Path, *extra: str, slow: float):
    from test_interrupt import Process

    args = [str(inbox), "--models-dir", str(models), "-o", str(out), "-v", "--executor", "ray", *extra]
    return Process(args, slow_seconds=slow, script=SLOW_RAY_WORKER)


@pytest.mark.ray
def test_ray_run_one_ctrl_c_finishes_the_folders_on_the_actors_and_sends_no_other(both_runs, ray_cluster, tmp_path):
    inbox, models, (local_out, _, _), _ = both_runs
    out = tmp_path / "out"
    run = ray_ctrl_c_run(inbox, models, out, "--ray-address", ray_cluster, slow=6)
    run.wait_for_line("nato-confirms: sent to Ray worker pid")
    run.ctrl_c()
    assert run.finish() == 130, run.stderr
    assert f"summarize: finishing {inbox}/nato-confirms; press Ctrl-C again to abandon it" in run.lines
    assert "stopped by Ctrl-C before 2 folder(s): pentagon-estimates, saudia-bomb-threat" in run.stderr
    assert "Traceback" not in run.stderr
    assert {p.parent.name for p in out.glob("*/briefing.json")} == {"nato-confirms"}
    assert scrubbed(out)["nato-confirms/briefing.md"] == scrubbed(local_out)["nato-confirms/briefing.md"]
    assert_outputs_whole(out)
    history = json.loads(invoke("status", "-o", str(out), "--json").stdout)["runs"]
    assert history[0]["status"] == "interrupted"


@pytest.mark.ray
def test_ray_run_two_ctrl_c_abandon_cleanly_and_stop_the_private_ray(both_runs, tmp_path):
    """Ctrl-C as a terminal sends it, to every process of the group: the driver and the private
    Ray instance it started. The second abandons the folder; Ray is stopped, no process is left."""
    inbox, models, (local_out, _, _), _ = both_runs
    out = tmp_path / "out"
    run = ray_ctrl_c_run(inbox, models, out, slow=60)
    run.wait_for_line("nato-confirms: sent to Ray worker pid")
    run.ctrl_c()
    run.wait_for_line("press Ctrl-C again to abandon it")
    run.ctrl_c()
    assert run.finish(timeout=120) == 130, run.stderr
    assert run.lines[-1] == "summarize: interrupted"
    assert "Traceback" not in run.stderr
    assert not list(out.glob("*/briefing.*"))
    assert_outputs_whole(out)
    left = subprocess.run(["pgrep", "-g", str(run.popen.pid)], capture_output=True, text=True, check=False)
    assert left.stdout.split() == [], "processes of the private Ray instance were left running"
    history = json.loads(invoke("status", "-o", str(out), "--json").stdout)["runs"]
    assert history[0]["status"] == "interrupted"
    assert {Path(f["folder"]).name: f["status"] for f in history[0]["folders"]} == {
        "nato-confirms": "abandoned",
        "pentagon-estimates": "not started",
        "saudia-bomb-threat": "not started",
    }
    resumed, summary = run_json(inbox, models, out)
    assert summary["counts"] == {"briefed": 3, "unchanged": 0, "failed": 0}
    assert scrubbed(out) == scrubbed(local_out)
