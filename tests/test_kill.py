"""A fast subset of benchmarks/kill.py: a multi-folder `--lang en` run with the tiny models is
SIGKILLed at three moments (converting a model, just before a translation chunk is stored, just
before the second folder's outputs are switched in), rerun, and checked as the benchmark checks
every moment: database integrity, outputs that parse, nothing temporary left, outputs equal to an
uninterrupted run, `status` saying `killed`, at most one translation chunk done twice."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "kill.py"
SMALL = {
    "nato-confirms": ["000_04288ddc473c17d6.txt", "001_4608beaca02b4922.txt"],
    "pentagon-estimates": ["003_a6e29feac7495037.txt"],
}


@pytest.fixture(scope="module")
def kill():
    spec = importlib.util.spec_from_file_location("kill_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench(kill, tiny_models_for, tmp_path_factory):
    workbench = kill.Workbench(
        tmp_path_factory.mktemp("kill"), SMALL, tiny_models_for(kill.TRANSLATOR, kill.SUMMARIZER)
    )
    return workbench, kill.uninterrupted(workbench)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("stage", "n"),
    [("convert", 1), ("cache-translations", 1), ("switch-outputs", 2)],
    ids=["converting the translator", "before a translation chunk is stored", "before the second folder switches"],
)
def test_a_run_killed_at_any_of_these_moments_recovers_to_the_same_outputs(kill, bench, stage, n):
    workbench, reference = bench
    assert reference.calls.get(stage, 0) >= n, reference.calls
    trial = kill.trial(workbench, reference, kill.Moment(f"{stage} #{n}", stage, n), 0)
    assert trial.killed, "the run finished before it could be killed"
    assert trial.ok, trial
    assert trial.chunks_translated_again == (1 if stage == "cache-translations" else 0)
