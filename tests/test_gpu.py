"""GPU actors for `--executor ray`, decided from the cluster's resources: one GPU per actor, models
on device cuda (CTranslate2 int8_float16). There is no GPU here: the decisions are tested as such,
the actors' resource requests on a Ray cluster that declares a GPU it does not have, and the run
on such a cluster stops in one line because CUDA is not usable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_batch import invoke

from summarizer.errors import SummarizerError
from summarizer.run.executors import ActorPlan, actor_options, plan_actors

ROOT = Path(__file__).resolve().parents[1]


def test_a_cluster_with_gpus_gets_one_gpu_actor_per_gpu_on_device_cuda() -> None:
    plan = plan_actors({"CPU": 8.0, "GPU": 2.0}, "auto")
    assert plan == ActorPlan(count=2, cpus=1, gpus=1, device="cuda")
    assert actor_options(plan) == {"num_cpus": 1, "num_gpus": 1, "max_restarts": 0}
    assert plan_actors({"CPU": 8.0, "GPU": 2.0}, "cuda", actors=1) == ActorPlan(1, 1, 1, "cuda")
    # --device cpu keeps to CPU actors, two CPUs each, whatever GPUs there are.
    assert plan_actors({"CPU": 8.0, "GPU": 2.0}, "cpu") == ActorPlan(4, 2, 0, "cpu")
    assert actor_options(ActorPlan(4, 2, 0, "cpu")) == {"num_cpus": 2, "num_gpus": 0, "max_restarts": 0}


@pytest.mark.parametrize(
    ("resources", "device", "actors", "expected"),
    [
        ({"CPU": 2.0}, "auto", None, ActorPlan(1, 2, 0, "auto")),
        ({"CPU": 1.0}, "auto", None, ActorPlan(1, 1, 0, "auto")),
        ({"CPU": 16.0}, "auto", None, ActorPlan(8, 2, 0, "auto")),
        ({"CPU": 2.0}, "auto", 2, ActorPlan(2, 1, 0, "auto")),
        ({"CPU": 8.0}, "cpu", 3, ActorPlan(3, 2, 0, "cpu")),
        ({"CPU": 8.0}, "auto", 1, ActorPlan(1, 2, 0, "auto")),
    ],
)
def test_cpu_actors_share_out_the_cpus(resources, device, actors, expected) -> None:
    assert plan_actors(resources, device, actors) == expected


@pytest.mark.parametrize(
    ("resources", "device", "actors", "message"),
    [
        (
            {"CPU": 4.0, "GPU": 2.0},
            "auto",
            3,
            "--ray-actors 3: the Ray cluster has 2 GPU(s) and each GPU actor takes one",
        ),
        ({"CPU": 4.0}, "cuda", None, "--device cuda: the Ray cluster has no GPU"),
        ({"CPU": 4.0}, "auto", 5, "--ray-actors 5: the Ray cluster has 4 CPU(s) and each actor needs one"),
        ({"CPU": 4.0}, "auto", 0, "--ray-actors: the number of Ray actors must be at least 1, not 0"),
    ],
)
def test_an_actor_plan_the_cluster_cannot_hold_is_refused(resources, device, actors, message) -> None:
    with pytest.raises(SummarizerError) as raised:
        plan_actors(resources, device, actors)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_gpu_actors_run_ctranslate2_in_int8_float16(monkeypatch) -> None:
    """What a GPU actor's models load with, on a node whose CTranslate2 sees a GPU (faked here)."""
    ctranslate2 = pytest.importorskip("ctranslate2")
    from summarizer.models.engines import CTRANSLATE2, TRANSFORMERS, choose_engine

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    cuda_types = {"float32", "float16", "bfloat16", "int8", "int8_float32", "int8_float16", "int8_bfloat16"}
    real = ctranslate2.get_supported_compute_types
    monkeypatch.setattr(
        ctranslate2, "get_supported_compute_types", lambda device: cuda_types if device == "cuda" else real(device)
    )
    device = plan_actors({"CPU": 4.0, "GPU": 1.0}, "auto").device
    translator = choose_engine("marian", device)
    assert (translator.engine, translator.device, translator.compute_type) == (CTRANSLATE2, "cuda", "int8_float16")
    chat = choose_engine("qwen2", device, engine="ctranslate2")
    assert (chat.engine, chat.device, chat.compute_type) == (CTRANSLATE2, "cuda", "int8_float16")
    # With --engine auto the family table hands chat models on a GPU to torch (fp16/bf16).
    assert choose_engine("qwen2", device).engine == TRANSFORMERS


def test_gpu_summaries_are_cached_apart_from_cpu_ones() -> None:
    from summarizer.run.pipeline import ModelSession, RunOptions, _summary_key
    from summarizer.summarizers.base import SummaryInput

    item = SummaryInput("a.txt", 1, "Judul", "kompas", "2025-06-19", [("a.txt:1", "Kalimat pertama.")])
    keys = {}
    for device in ("auto", "cpu", "cuda"):
        options = RunOptions(summarizer="extractive", device=device)
        keys[device] = _summary_key(item, options, ModelSession(options))
    assert keys["auto"] == keys["cpu"] != keys["cuda"]


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="checks the refusal where CUDA is missing")
def test_device_cuda_without_cuda_stops_a_local_run_in_one_line(seeds_dir, tmp_path) -> None:
    result = invoke(
        str(seeds_dir), "--lang", "id", "--summarizer", "extractive", "-o", str(tmp_path), "--device", "cuda"
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "summarize: error: --device cuda: torch sees no usable CUDA GPU (torch.cuda.is_available() is false);"
        " pass --device cpu or auto"
    )
    assert not list(tmp_path.glob("*/briefing.*"))


# A Ray instance that declares one GPU (there is none), its actor plan and what the actors got,
# then `summarize` on that instance.
FAKE_GPU_CLUSTER = """
import json, logging, os, sys, tempfile
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
import ray
ray.init(
    num_cpus=2, num_gpus=1, include_dashboard=False, object_store_memory=200 * 1024 * 1024,
    _temp_dir=tempfile.mkdtemp(prefix="ray-gpu-tests-"), logging_level=logging.WARNING, log_to_driver=False,
    runtime_env={"env_vars": {"PYTHONPATH": os.environ["PYTHONPATH"]}},
)
from summarizer.run.executors import FolderWorker, _Pool, actor_options, plan_actors
from summarizer.run.pipeline import RunOptions
plan = plan_actors(ray.cluster_resources(), "auto")
remote = ray.remote(**actor_options(plan))(FolderWorker)
pool = _Pool(lambda: remote.remote(RunOptions(device=plan.device, progress=False), plan.cpus), plan.count)
pool.start()
print(json.dumps({"plan": plan.describe(), "actors": pool.placed}), flush=True)
for actor in pool.actors:
    ray.kill(actor, no_restart=True)
from summarizer.cli import main
sys.argv = ["summarize", *sys.argv[1:]]
main()
"""


@pytest.mark.ray
@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="checks the refusal where CUDA is missing")
def test_gpu_actors_reserve_a_gpu_and_a_run_without_cuda_stops_in_one_line(seeds_dir, tmp_path) -> None:
    pytest.importorskip("ray")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    args = [
        str(seeds_dir),
        "--lang",
        "id",
        "--summarizer",
        "extractive",
        "-q",
        "-o",
        str(tmp_path),
        "--executor",
        "ray",
    ]
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(FAKE_GPU_CLUSTER), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    seen = json.loads(completed.stdout.splitlines()[0])
    assert seen["plan"] == {
        "name": "ray",
        "actors": 1,
        "cpus_per_actor": 1,
        "gpus_per_actor": 1,
        "threads_per_actor": 1,
        "device": "cuda",
    }
    (actor,) = seen["actors"]
    assert actor["resources"] == {"CPU": 1.0, "GPU": 1.0}
    assert actor["gpu_ids"] == ["0"]
    assert actor["device"] == "cuda"
    assert actor["device_problem"] == "torch sees no usable CUDA GPU (torch.cuda.is_available() is false)"

    assert completed.returncode == 2, completed.stderr
    errors = [line for line in completed.stderr.splitlines() if line.startswith("summarize")]
    assert len(errors) == 1, completed.stderr
    assert errors[0].startswith("summarize: error: --executor ray: the Ray actor (pid ")
    assert errors[0].endswith(
        "was given a GPU but torch sees no usable CUDA GPU (torch.cuda.is_available() is false);"
        " fix CUDA on that node or pass --device cpu"
    )
    assert "Traceback" not in completed.stderr
    assert not list(tmp_path.glob("*/briefing.*"))
