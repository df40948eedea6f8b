"""The local store: resolve, list, pull (against the local test hub), remove."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from local_hub import LocalHub

from summarizer.errors import ModelError, ModelNotInstalledError, UnknownModelError
from summarizer.models.hub import HubError
from summarizer.models.registry import EXTRACTIVE, REGISTRY
from summarizer.models.store import (
    MANIFEST_NAME,
    PARTIAL_DIR,
    detect_family,
    list_models,
    pull_model,
    remove_model,
    resolve_model,
)

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def safetensors_bytes(data: bytes) -> bytes:
    """A valid safetensors file holding `data` as one uint8 tensor (what the store check reads)."""
    header = json.dumps({"weights": {"dtype": "U8", "shape": [len(data)], "data_offsets": [0, len(data)]}}).encode()
    return len(header).to_bytes(8, "little") + header + data


# What a Hub repo holds: weights in several formats, tokenizer files, exported variants.
REPO_FILES: dict[str, bytes | str] = {
    "config.json": json.dumps({"model_type": "marian"}),
    "generation_config.json": "{}",
    "model.safetensors": safetensors_bytes(b"weights" * 5000),
    "pytorch_model.bin": "pickle",
    "tf_model.h5": "tf",
    "source.spm": "spm",
    "target.spm": "spm",
    "vocab.json": "{}",
    "tokenizer_config.json": "{}",
    "README.md": "card",
    "onnx/decoder_model.onnx": "onnx",
    "onnx/config.json": "{}",
}


def serve(hub: LocalHub, name: str, files: dict[str, bytes | str]) -> None:
    """Publish `files` as the repo of registered model `name` (at its pinned commit, if any)."""
    spec = REGISTRY[name]
    hub.add_repo(spec.repo_id, files, commit=spec.revision if spec.pinned else COMMIT)


@pytest.fixture
def fake_hub(local_hub: LocalHub) -> LocalHub:
    """The local hub serving REPO_FILES as every registered model's repo."""
    for name in REGISTRY:
        serve(local_hub, name, dict(REPO_FILES))
    return local_hub


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_pull_fetches_only_safetensors_configs_and_tokenizer(tmp_path: Path, fake_hub: LocalHub) -> None:
    resolved = pull_model("opus-mt-id-en", tmp_path, progress=False)
    folder = tmp_path / "opus-mt-id-en"
    fetched = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert fetched == sorted(
        [
            "config.json",
            "generation_config.json",
            "model.safetensors",
            "source.spm",
            "target.spm",
            "vocab.json",
            "tokenizer_config.json",
            MANIFEST_NAME,
        ]
    )
    assert (resolved.name, resolved.path, resolved.family) == ("opus-mt-id-en", folder, "marian")
    # The manifest records the commit actually fetched, even when the spec says "main".
    assert resolved.revision == COMMIT
    assert resolve_model("opus-mt-id-en", tmp_path) == resolved


def test_interrupted_pull_is_not_installed_and_a_repull_resumes(tmp_path: Path, fake_hub: LocalHub) -> None:
    # The connection drops at byte 10000 of the weights, every time, until the link "comes back".
    cut = fake_hub.fault(match="model.safetensors", cut_after=10_000)
    with pytest.raises(HubError) as caught:
        pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert caught.value.kind == "network" and "\n" not in str(caught.value)
    assert not (tmp_path / "opus-mt-id-en").exists()  # nothing half-made where models live
    with pytest.raises(ModelNotInstalledError):
        resolve_model("opus-mt-id-en", tmp_path)
    assert not next(row for row in list_models(tmp_path) if row.name == "opus-mt-id-en").installed
    staged = tmp_path / PARTIAL_DIR / "opus-mt-id-en" / "model.safetensors.part"
    assert staged.stat().st_size == 10_000

    cut.times = 0
    before = len(fake_hub.requests)
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert resolve_model("opus-mt-id-en", tmp_path).revision == COMMIT
    again = fake_hub.requests[before:]
    weights = [r for r in again if r.path.endswith("/model.safetensors")]
    assert [r.range for r in weights] == ["bytes=10000-"]  # resumed, not restarted
    assert not any(r.path.endswith("/config.json") for r in again)  # finished files are kept
    assert (tmp_path / "opus-mt-id-en" / "model.safetensors").read_bytes() == REPO_FILES["model.safetensors"]
    assert not (tmp_path / PARTIAL_DIR / "opus-mt-id-en").exists()


def test_a_dropped_connection_that_made_progress_is_resumed_in_place(tmp_path: Path, fake_hub: LocalHub) -> None:
    fake_hub.fault(match="model.safetensors", cut_after=10_000, times=1)
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert [r.range for r in fake_hub.downloads("model.safetensors")] == [None, "bytes=10000-"]
    assert (tmp_path / "opus-mt-id-en" / "model.safetensors").read_bytes() == REPO_FILES["model.safetensors"]


def test_corrupted_file_is_refused_and_nothing_is_installed(tmp_path: Path, fake_hub: LocalHub) -> None:
    fake_hub.fault(match="model.safetensors", corrupt=True)
    with pytest.raises(HubError, match="model.safetensors .* is corrupted") as caught:
        pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert caught.value.kind == "corrupt" and "\n" not in str(caught.value)
    assert not (tmp_path / "opus-mt-id-en").exists()
    assert not list((tmp_path / PARTIAL_DIR).rglob("model.safetensors*"))  # the bad bytes are gone


def test_corrupted_small_file_is_caught_by_its_git_blob_id(tmp_path: Path, fake_hub: LocalHub) -> None:
    fake_hub.fault(match="tokenizer_config.json", corrupt=True)
    with pytest.raises(HubError, match="tokenizer_config.json .*git blob id"):
        pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert not (tmp_path / "opus-mt-id-en").exists()


@pytest.mark.parametrize(
    ("fault", "kind", "words"),
    [
        ({"match": "/api/models/", "status": 404}, "not-found", "not found"),
        ({"match": "/resolve/", "status": 404}, "not-found", "not found"),
        ({"match": "/api/models/", "status": 500}, "server", "HTTP 500"),
        ({"match": "model.safetensors", "status": 503}, "server", "HTTP 503"),
        ({"match": "/api/models/", "stall_after": 0}, "stalled", "stopped sending data"),
        ({"match": "model.safetensors", "stall_after": 0}, "stalled", "stopped sending data"),
    ],
)
def test_hub_failures_are_one_plain_line_and_leave_nothing(
    tmp_path: Path, fake_hub: LocalHub, fault: dict, kind: str, words: str
) -> None:
    import time

    fake_hub.fault(**fault)
    started = time.monotonic()
    with pytest.raises(HubError) as caught:
        pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert time.monotonic() - started < 5  # the test timeout is 1 s
    assert caught.value.kind == kind and words in str(caught.value) and "\n" not in str(caught.value)
    assert not (tmp_path / "opus-mt-id-en").exists()
    staging = tmp_path / PARTIAL_DIR / "opus-mt-id-en"
    # Only files that arrived whole and verified may wait there for the next try.
    staged = files_under(staging) if staging.exists() else []
    assert not [name for name in staged if name.startswith("model.safetensors")], staged
    if fault["match"] == "/api/models/":
        assert staged == []


def test_unknown_repo_is_not_found(tmp_path: Path, local_hub: LocalHub) -> None:
    with pytest.raises(HubError, match="not found: Helsinki-NLP/opus-mt-id-en@main does not exist"):
        pull_model("opus-mt-id-en", tmp_path, progress=False)


def test_refused_connection_says_no_network(tmp_path: Path) -> None:
    with pytest.raises(HubError, match="no network: cannot connect to http://127.0.0.1:9") as caught:
        pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "opus-mt-id-en").exists()


def test_disk_full_is_refused_before_downloading(tmp_path: Path, fake_hub: LocalHub, monkeypatch) -> None:
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(HubError, match=r"disk full: opus-mt-id-en needs .* MB more but only 0.0 MB is free") as caught:
        pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert caught.value.kind == "disk-full"
    assert fake_hub.downloads("model.safetensors") == []
    assert not (tmp_path / "opus-mt-id-en").exists()


@pytest.mark.parametrize("switch", ["SUMMARIZE_OFFLINE", "HF_HUB_OFFLINE"])
def test_offline_pull_touches_no_network(tmp_path: Path, fake_hub: LocalHub, monkeypatch, switch: str) -> None:
    monkeypatch.setenv(switch, "1")
    with pytest.raises(HubError, match=f"offline mode is on \\({switch}=1\\)"):
        pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert fake_hub.requests == []
    assert not (tmp_path / "opus-mt-id-en").exists()


def test_repull_of_an_installed_model_keeps_it(tmp_path: Path, fake_hub: LocalHub) -> None:
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    fake_hub.requests.clear()
    assert resolve_model("opus-mt-id-en", tmp_path).revision == COMMIT
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert fake_hub.requests == []


def test_leftovers_of_an_old_interrupted_pull_are_replaced(tmp_path: Path, fake_hub: LocalHub) -> None:
    leftover = tmp_path / "opus-mt-id-en"
    (leftover / ".cache").mkdir(parents=True)
    (leftover / "config.json").write_text("{half")
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert not (leftover / ".cache").exists()
    assert json.loads((leftover / "config.json").read_text()) == {"model_type": "marian"}


def test_repo_without_any_weights_is_refused_before_downloading(tmp_path: Path, local_hub: LocalHub) -> None:
    files = dict(REPO_FILES)
    del files["model.safetensors"]
    del files["pytorch_model.bin"]
    serve(local_hub, "mt5-xlsum", files)
    with pytest.raises(ModelError, match="no safetensors or PyTorch weights") as caught:
        pull_model("mt5-xlsum", tmp_path, progress=False)
    assert "\n" not in str(caught.value)
    assert [r for r in local_hub.requests if "/resolve/" in r.path] == []
    assert not (tmp_path / "mt5-xlsum").exists()


def test_pickle_only_repo_is_converted_to_safetensors_and_loads(
    tiny_models_for, tmp_path: Path, local_hub: LocalHub
) -> None:
    """NLLB publishes only pytorch_model.bin: pull converts it once; loading stays safetensors-only."""
    import io

    import torch
    from safetensors.torch import load_file

    from summarizer.models.loading import load_model

    tiny = tiny_models_for("nllb-200-distilled-600M") / "nllb-200-distilled-600M"
    state = load_file(str(tiny / "model.safetensors"))
    model = load_model("nllb-200-distilled-600M", models_dir=tiny.parent, dtype="float32").model
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)  # tied embeddings share storage, as in the real file
    files: dict[str, bytes | str] = {
        p.name: p.read_bytes()
        for p in tiny.iterdir()
        if p.is_file() and p.suffix != ".safetensors" and p.name != MANIFEST_NAME
    }
    files["pytorch_model.bin"] = buffer.getvalue()
    serve(local_hub, "nllb-200-distilled-600M", files)

    resolved = pull_model("nllb-200-distilled-600M", tmp_path, progress=False)
    folder = tmp_path / "nllb-200-distilled-600M"
    assert (folder / "model.safetensors").is_file() and not (folder / "pytorch_model.bin").exists()
    assert json.loads((folder / MANIFEST_NAME).read_text())["converted_from"] == ["pytorch_model.bin"]
    converted = load_file(str(folder / "model.safetensors"))
    assert len(converted) < len(model.state_dict())  # tied aliases stored once
    reloaded = load_model(resolved.name, models_dir=tmp_path, dtype="float32").model
    for key, tensor in reloaded.state_dict().items():
        assert torch.equal(tensor, model.state_dict()[key]), key
    assert state.keys() <= set(reloaded.state_dict())


class _Payload:
    """A pickle that would run a shell command when unpickled without restrictions."""

    def __reduce__(self):
        import os

        return (os.system, ("touch /tmp/summarize-pwned",))


def test_tampered_pickle_is_refused_without_running_it(tmp_path: Path, local_hub: LocalHub) -> None:
    import pickle

    Path("/tmp/summarize-pwned").unlink(missing_ok=True)
    files = dict(REPO_FILES)
    del files["model.safetensors"]
    files["pytorch_model.bin"] = pickle.dumps({"weight": _Payload()})
    serve(local_hub, "opus-mt-id-en", files)
    with pytest.raises(ModelError, match="not a plain weights file") as caught:
        pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert "\n" not in str(caught.value)
    assert not Path("/tmp/summarize-pwned").exists()
    with pytest.raises(ModelNotInstalledError):
        resolve_model("opus-mt-id-en", tmp_path)
    assert not (tmp_path / "opus-mt-id-en").exists()


def test_pull_shows_a_progress_bar_only_when_asked(tmp_path: Path, fake_hub: LocalHub, capsys) -> None:
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert "opus-mt-id-en" not in capsys.readouterr().err
    remove_model("opus-mt-id-en", tmp_path)
    pull_model("opus-mt-id-en", tmp_path, progress=True)
    assert "opus-mt-id-en: 100%" in capsys.readouterr().err


def test_pull_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(UnknownModelError, match="opus-mt-id-en"):
        pull_model("gpt-5", tmp_path)


def test_list_models_rows(tmp_path: Path, fake_hub: LocalHub) -> None:
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    rows = {row.name: row for row in list_models(tmp_path)}
    assert set(rows) == {*REGISTRY, EXTRACTIVE}
    opus = rows["opus-mt-id-en"]
    assert opus.installed and opus.default and opus.task == "translate"
    assert opus.size_on_disk == sum(p.stat().st_size for p in (tmp_path / "opus-mt-id-en").rglob("*") if p.is_file())
    assert opus.revision == COMMIT
    nllb = rows["nllb-200-distilled-600M"]
    assert not nllb.installed and nllb.size_on_disk == 0 and nllb.download_bytes > 10**9
    assert (nllb.licence, nllb.commercial_use) == ("CC-BY-NC-4.0", False)
    extractive = rows[EXTRACTIVE]
    assert extractive.installed and extractive.task == "summarize" and extractive.download_bytes == 0


def test_remove_model(tmp_path: Path, fake_hub: LocalHub) -> None:
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    removal = remove_model("opus-mt-id-en", tmp_path)
    assert removal.freed > 0 and removal.installed and removal.link is None
    assert not (tmp_path / "opus-mt-id-en").exists()
    with pytest.raises(ModelNotInstalledError, match="nothing to remove"):
        remove_model("opus-mt-id-en", tmp_path)
    with pytest.raises(UnknownModelError):
        remove_model("../outputs", tmp_path)


def test_store_defaults_to_the_env_models_dir(tmp_path: Path, fake_hub: LocalHub, monkeypatch) -> None:
    monkeypatch.setenv("SUMMARIZE_MODELS_DIR", str(tmp_path / "store"))
    pull_model("opus-mt-id-en", progress=False)
    assert resolve_model("opus-mt-id-en").path == tmp_path / "store" / "opus-mt-id-en"


def test_unknown_ref_lists_names(tmp_path: Path) -> None:
    with pytest.raises(UnknownModelError) as caught:
        resolve_model(str(tmp_path / "nowhere"), tmp_path)
    assert "qwen2.5-1.5b-instruct" in str(caught.value)


def test_resolve_plain_model_folder(tiny_models_for, tmp_path: Path) -> None:
    """A transformers folder without a manifest (e.g. a fine-tune) is usable by path."""
    source = tiny_models_for("nllb-200-distilled-600M") / "nllb-200-distilled-600M"
    folder = tmp_path / "my-nllb-finetune"
    folder.mkdir()
    for path in source.iterdir():
        if path.name != MANIFEST_NAME:
            (folder / path.name).write_bytes(path.read_bytes())
    resolved = resolve_model(str(folder), tmp_path)
    assert (resolved.name, resolved.family, resolved.revision, resolved.spec) == (
        "my-nllb-finetune",
        "nllb",
        None,
        None,
    )


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("nllb-200-distilled-600M", "nllb"),
        ("m2m100-418m", "m2m100"),
        ("mt5-xlsum", "mt5"),
        ("distilbart-cnn-12-6", "bart"),
        ("qwen2.5-0.5b-instruct", "qwen2"),
        ("opus-mt-id-en", "marian"),
    ],
)
def test_detect_family_from_config(tiny_models_for, name: str, family: str) -> None:
    assert detect_family(tiny_models_for(name) / name) == family


def test_unsupported_model_type(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "llama"}), encoding="utf-8")
    with pytest.raises(ModelError, match="unsupported model type 'llama'"):
        resolve_model(str(tmp_path))


@pytest.mark.parametrize("name", ["opus-mt-id-en", "qwen2.5-1.5b-instruct"])
def test_cli_pull_also_converts_models_the_default_engine_runs_on_ctranslate2(
    name: str, tiny_models_for, tmp_path: Path, local_hub: LocalHub, monkeypatch
) -> None:
    from typer.testing import CliRunner

    from summarizer.cli import app
    from summarizer.models import loading

    # A CPU without bfloat16 matmuls, where the default runs Qwen on CTranslate2 too (on one
    # with them, torch with int8 weights runs it and there is nothing to convert).
    monkeypatch.setattr(loading, "cpu_supports_bf16", lambda: False)

    tiny = tiny_models_for(name) / name
    serve(local_hub, name, {p.name: p.read_bytes() for p in tiny.iterdir() if p.is_file() and p.name != MANIFEST_NAME})
    result = CliRunner().invoke(app, ["models", "pull", name, "--models-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"licence {REGISTRY[name].licence}" in result.stderr  # shown before the download
    assert "converted for the CTranslate2 engine" in result.stdout
    assert (tmp_path / name / "ctranslate2-int8" / "model.bin").is_file()
