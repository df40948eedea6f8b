"""Shared fixtures: seed articles, isolated store/output folders, tiny random models."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from summarizer.models.store import MANIFEST_NAME

sys.path.insert(0, str(Path(__file__).resolve().parent))

from local_hub import LocalHub  # noqa: E402  (needs the path above)
from tiny_models import SEEDS_DIR, build_tiny_model  # noqa: E402  (needs the path above)

# A port nothing listens on: connections are refused at once.
REFUSING_ENDPOINT = "http://127.0.0.1:9"
# Network timeout for tests, in seconds: a stalled connection fails fast.
TEST_NETWORK_TIMEOUT = "1"

# Registry name -> family of every tiny model the fixtures can build.
TINY_MODELS = {
    "opus-mt-id-en": "marian",
    "nllb-200-distilled-600M": "nllb",
    "m2m100-418m": "m2m100",
    "qwen2.5-1.5b-instruct": "qwen2",
    "qwen2.5-0.5b-instruct": "qwen2",
    "mt5-xlsum": "mt5",
    "distilbart-cnn-12-6": "bart",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-long",
        action="store_true",
        help="run the Hypothesis fuzz suite with many more (and random, not derandomised) inputs",
    )


def pytest_configure(config: pytest.Config) -> None:
    from hypothesis import HealthCheck, settings

    # CI: the same inputs every run (derandomised), a fixed budget, no example database.
    # --fuzz-long: 20x the inputs, fresh random ones each run.
    common = {"deadline": None, "suppress_health_check": list(HealthCheck), "print_blob": True}
    settings.register_profile("ci", derandomize=True, database=None, **common)
    settings.register_profile("long", derandomize=False, **common)
    settings.load_profile("long" if config.getoption("--fuzz-long") else "ci")
    # Read by the fuzz tests when they are collected (their example counts are set at import).
    os.environ["SUMMARIZE_FUZZ_SCALE"] = "20" if config.getoption("--fuzz-long") else "1"


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the real models/ or writes the real outputs/ unless it passes a path itself."""
    root = tmp_path_factory.mktemp("paths")
    monkeypatch.setenv("SUMMARIZE_MODELS_DIR", str(root / "models"))
    monkeypatch.setenv("SUMMARIZE_OUTPUT_DIR", str(root / "outputs"))
    # No test may reach the real Hub: an implicit fetch goes to a refusing local port unless the
    # test starts a local hub. Offline switches from the caller's shell would hide fetch paths.
    monkeypatch.setenv("HF_ENDPOINT", REFUSING_ENDPOINT)
    monkeypatch.setenv("SUMMARIZE_NETWORK_TIMEOUT", TEST_NETWORK_TIMEOUT)
    for name in ("SUMMARIZE_OFFLINE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def root_logging_restored() -> Iterator[None]:
    """An in-process CLI run points the root logger at CliRunner's stderr, which is closed when the
    run ends; a later test's log line would then print "--- Logging error ---". Put it back."""
    import logging

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def local_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalHub]:
    """A Hub on 127.0.0.1 (tests/local_hub.py) that summarize talks to through HF_ENDPOINT."""
    with LocalHub() as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        yield hub


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed articles shipped with the repo (read-only)."""
    return SEEDS_DIR


@pytest.fixture(scope="session")
def tiny_models_for(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """tiny_models_for(*names) -> a models dir holding (at least) those tiny models.

    Each model is built on first request and shared by the whole session, so a test that needs
    one model pays only for that one.
    """
    import torch

    torch.set_num_threads(1)
    store = tmp_path_factory.mktemp("tiny-models")

    def ensure(*names: str) -> Path:
        for name in names:
            # The manifest is written last, so a build that failed half-way is rebuilt.
            if not (store / name / MANIFEST_NAME).is_file():
                build_tiny_model(TINY_MODELS[name], store, name)
        return store

    return ensure


@pytest.fixture(scope="session")
def tiny_models_dir(tiny_models_for: Callable[..., Path]) -> Path:
    """A models dir holding every tiny model under its registry name (builds all, ~seconds)."""
    return tiny_models_for(*TINY_MODELS)
