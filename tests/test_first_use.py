"""From an empty store to a briefing: default models fetched on first use from a local hub,
offline when asked, and every network fault one line within the time limit."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from local_hub import LocalHub
from typer.testing import CliRunner

from summarizer.cli import app, route
from summarizer.models.engines import choose_engine
from summarizer.models.registry import REGISTRY
from summarizer.models.store import MANIFEST_NAME, PARTIAL_DIR

TRANSLATOR, SUMMARIZER = "opus-mt-id-en", "qwen2.5-1.5b-instruct"
ROOT = Path(__file__).resolve().parent.parent
# The promise to users: with no usable network a run fails within this many seconds.
TIME_LIMIT = 15.0


def invoke(*args: str):
    return CliRunner().invoke(app, route(list(args)), catch_exceptions=False)


def publish(hub: LocalHub, tiny_models_for, *names: str) -> None:
    """Serve the tiny models as the registered repos (at their pinned commits when pinned)."""
    for name in names:
        spec = REGISTRY[name]
        hub.add_model_folder(spec.repo_id, tiny_models_for(name) / name, commit=spec.revision if spec.pinned else None)


def installed(store: Path, name: str) -> bool:
    return (store / name / MANIFEST_NAME).is_file()


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("summarize: error:")]
    assert len(errors) == 1, stderr
    assert "Traceback" not in stderr
    return errors[0]


def test_first_run_fetches_the_defaults_and_briefs_then_the_second_touches_no_network(
    local_hub: LocalHub, tiny_models_for, seeds_dir: Path, tmp_path: Path
) -> None:
    publish(local_hub, tiny_models_for, TRANSLATOR, SUMMARIZER)
    store, out = tmp_path / "models", tmp_path / "outputs"

    first = invoke(str(seeds_dir), "--lang", "en", "--models-dir", str(store), "-o", str(out), "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["counts"]["briefed"] == 1
    assert (out / "seeds" / "briefing.md").is_file()
    for name in (TRANSLATOR, SUMMARIZER):
        assert installed(store, name)
        spec = REGISTRY[name]
        # Said before fetching: which model, from where, how big, under which licence.
        assert f"fetching {name} ({spec.repo_id}@" in first.stderr
        assert f"licence {spec.licence}" in first.stderr
        # Converted as part of the fetch when the default engine runs it on CTranslate2.
        if choose_engine(REGISTRY[name].family).engine == "ctranslate2":
            assert (store / name / "ctranslate2-int8" / "model.bin").is_file()
    # The download progress bar was drawn (its last frame depends on timing, so no "100%").
    assert re.search(rf"{re.escape(TRANSLATOR)}:\s+\d+%\|", first.stderr), first.stderr[:2500]
    assert not list((store / PARTIAL_DIR).glob("*/"))  # no staging folder left behind
    assert f"models from {store}" in first.stderr  # the run table says where models came from

    local_hub.requests.clear()
    second = invoke(str(seeds_dir), "--lang", "en", "--models-dir", str(store), "-o", str(out), "--force", "-q")
    assert second.exit_code == 0, second.output
    assert local_hub.requests == []


@pytest.mark.parametrize(
    ("how", "env"),
    [("--offline", {}), ("env", {"SUMMARIZE_OFFLINE": "1"}), ("env", {"HF_HUB_OFFLINE": "1"})],
)
def test_offline_run_never_touches_the_network(
    local_hub: LocalHub, tiny_models_for, seeds_dir: Path, tmp_path: Path, monkeypatch, how: str, env: dict
) -> None:
    publish(local_hub, tiny_models_for, TRANSLATOR)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    extra = ["--offline"] if how == "--offline" else []
    started = time.monotonic()
    result = invoke(str(seeds_dir), "--models-dir", str(tmp_path / "models"), "-o", str(tmp_path / "o"), *extra)
    assert time.monotonic() - started < TIME_LIMIT
    assert result.exit_code == 4
    line = one_error_line(result.stderr)
    switch = "--offline" if how == "--offline" else f"{next(iter(env))}=1"
    assert f"model '{TRANSLATOR}' is not installed and offline mode is on ({switch})" in line
    # The ways on: copy a store, translate nothing, or pull when connected.
    assert "copy a models/ folder" in line and "--lang id" in line and f"summarize models pull {TRANSLATOR}" in line
    assert local_hub.requests == []
    assert not (tmp_path / "models" / TRANSLATOR).exists()


def test_missing_summarizer_offline_points_at_extractive(
    tiny_models_for, seeds_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    import shutil

    store = tmp_path / "models"
    shutil.copytree(tiny_models_for(TRANSLATOR) / TRANSLATOR, store / TRANSLATOR)
    monkeypatch.setenv("SUMMARIZE_OFFLINE", "1")
    result = invoke(str(seeds_dir), "--models-dir", str(store), "-o", str(tmp_path / "o"), "-q")
    assert result.exit_code == 4
    line = one_error_line(result.stderr)
    assert f"model '{SUMMARIZER}' is not installed" in line and "--summarizer extractive" in line


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ({"match": "/api/models/", "status": 404}, "not found"),
        ({"match": "/api/models/", "status": 500}, "HTTP 500"),
        ({"match": "/resolve/", "status": 500}, "HTTP 500"),
        ({"match": "/api/models/", "stall_after": 0}, "stopped sending data"),
        ({"match": "model.safetensors", "stall_after": 1000}, "stopped sending data"),
    ],
)
def test_hub_faults_stop_the_run_with_one_line_in_time(
    local_hub: LocalHub, tiny_models_for, seeds_dir: Path, tmp_path: Path, fault: dict, words: str
) -> None:
    publish(local_hub, tiny_models_for, TRANSLATOR)
    local_hub.fault(**fault)
    store = tmp_path / "models"
    started = time.monotonic()
    result = invoke(str(seeds_dir), "--models-dir", str(store), "-o", str(tmp_path / "o"), "-q")
    assert time.monotonic() - started < TIME_LIMIT
    assert result.exit_code == 4
    line = one_error_line(result.stderr)
    assert f"model '{TRANSLATOR}' is not installed and fetching it failed: " in line and words in line
    assert "--lang id" in line
    assert not (store / TRANSLATOR).exists()


def test_refused_connection_stops_the_run_with_one_line_in_time(seeds_dir: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    result = invoke(str(seeds_dir), "--models-dir", str(tmp_path / "models"), "-o", str(tmp_path / "o"), "-q")
    assert time.monotonic() - started < TIME_LIMIT
    assert result.exit_code == 4
    line = one_error_line(result.stderr)
    assert "fetching it failed: no network: cannot connect to http://127.0.0.1:9" in line
    assert not (tmp_path / "models" / TRANSLATOR).exists()


def test_non_commercial_models_are_never_fetched_implicitly(
    local_hub: LocalHub, tiny_models_for, seeds_dir: Path, tmp_path: Path
) -> None:
    publish(local_hub, tiny_models_for, "nllb-200-distilled-600M")
    result = invoke(
        str(seeds_dir),
        "--translator",
        "nllb-200-distilled-600M",
        "--summarizer",
        "extractive",
        "--models-dir",
        str(tmp_path / "models"),
        "-o",
        str(tmp_path / "o"),
    )
    assert result.exit_code == 4
    line = one_error_line(result.stderr)
    assert "CC-BY-NC-4.0" in line and "summarize models pull nllb-200-distilled-600M" in line
    assert local_hub.requests == []


def test_two_runs_fetching_the_same_model_at_once_leave_one_good_copy(
    local_hub: LocalHub, tiny_models_for, tmp_path: Path
) -> None:
    publish(local_hub, tiny_models_for, TRANSLATOR)
    # A slow link (about 2 s for the weights), so the second pull starts while the first downloads.
    local_hub.fault(match="model.safetensors", trickle=0.05)
    store = tmp_path / "models"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HF_ENDPOINT": local_hub.url,
        "SUMMARIZE_MODELS_DIR": str(store),
        "SUMMARIZE_NETWORK_TIMEOUT": "5",
    }
    # The store's pull in two processes (what `models pull` and a first run both call; the engine
    # conversion that follows is atomic on its own and would only make the test slow).
    code = (
        "import logging, sys; logging.basicConfig(stream=sys.stderr, format='%(message)s');"
        f"from summarizer.models.store import pull_model; pull_model({TRANSLATOR!r}, progress=False)"
    )
    command = [sys.executable, "-c", code]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in "ab"]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sum(f"another summarize is fetching {TRANSLATOR}" in err for _, err in outputs) == 1, outputs
    assert installed(store, TRANSLATOR)
    # Downloaded once: the second pull waited for the first and found the model installed.
    assert len(local_hub.downloads("model.safetensors")) == 1
    source = tiny_models_for(TRANSLATOR) / TRANSLATOR
    assert (store / TRANSLATOR / "model.safetensors").read_bytes() == (source / "model.safetensors").read_bytes()
    assert sorted(p.name for p in store.iterdir()) == sorted([PARTIAL_DIR, TRANSLATOR])
    assert [p for p in (store / PARTIAL_DIR).iterdir() if p.is_dir()] == []


def test_missing_prompt_file_is_a_usage_error(tiny_models_for, seeds_dir: Path, tmp_path: Path, monkeypatch) -> None:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    monkeypatch.setenv("SUMMARIZE_PROMPTS_DIR", str(prompts))
    store = tiny_models_for(TRANSLATOR, SUMMARIZER)
    result = invoke(str(seeds_dir), "--models-dir", str(store), "-o", str(tmp_path / "o"), "-q")
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert f"prompt file {prompts}/" in line and "not found" in line


def test_version_names_the_libraries() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    import ctranslate2
    import torch
    import transformers

    from summarizer import __version__

    for part in (
        f"summarize {__version__}",
        f"torch {torch.__version__}",
        f"transformers {transformers.__version__}",
        f"ctranslate2 {ctranslate2.__version__}",
    ):
        assert part in result.stdout


def test_models_list_says_where_the_store_is(tmp_path: Path) -> None:
    result = invoke("models", "list", "--models-dir", str(tmp_path / "store"))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"models in {tmp_path / 'store'}"


def test_remove_after_a_failed_pull_finds_nothing_to_remove(tmp_path: Path) -> None:
    pull = invoke("models", "pull", TRANSLATOR, "--models-dir", str(tmp_path), "-q")
    assert pull.exit_code == 4
    assert "no network" in one_error_line(pull.stderr)
    removed = invoke("models", "remove", TRANSLATOR, "--models-dir", str(tmp_path))
    assert removed.exit_code == 4
    assert "nothing to remove" in one_error_line(removed.stderr)


def test_remove_of_leftovers_does_not_claim_a_model_was_removed(tmp_path: Path) -> None:
    staged = tmp_path / PARTIAL_DIR / TRANSLATOR
    staged.mkdir(parents=True)
    (staged / "model.safetensors.part").write_bytes(b"x" * 2048)
    result = invoke("models", "remove", TRANSLATOR, "--models-dir", str(tmp_path))
    assert result.exit_code == 0
    assert (
        result.stdout == f"{TRANSLATOR} was not installed; deleted what an interrupted download left (2.0 KB freed)\n"
    )
    assert not staged.exists()
