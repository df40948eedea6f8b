"""The local store: resolve, list, pull (with a fake Hub), remove."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import huggingface_hub
import pytest
from huggingface_hub.utils import are_progress_bars_disabled, filter_repo_objects

from summarizer.errors import ModelError, ModelNotInstalledError, UnknownModelError
from summarizer.models.registry import EXTRACTIVE, REGISTRY
from summarizer.models.store import (
    MANIFEST_NAME,
    detect_family,
    list_models,
    pull_model,
    remove_model,
    resolve_model,
)

COMMIT = "0123456789abcdef0123456789abcdef01234567"

# What a Hub repo holds: weights in several formats, tokenizer files, exported variants.
REPO_FILES = {
    "config.json": json.dumps({"model_type": "marian"}),
    "generation_config.json": "{}",
    "model.safetensors": "weights",
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


@dataclass
class PlannedFile:
    filename: str
    commit_hash: str


class FakeHub:
    """snapshot_download stand-in: filters like the real one, can fail after N files."""

    def __init__(self, files: dict[str, str], fail_after: int | None = None) -> None:
        self.files = files
        self.fail_after = fail_after
        self.downloads = 0
        self.bars_disabled: list[bool] = []

    def selected(self, allow_patterns: list[str], ignore_patterns: list[str]) -> list[str]:
        return list(filter_repo_objects(self.files, allow_patterns=allow_patterns, ignore_patterns=ignore_patterns))

    def __call__(
        self,
        repo_id: str,
        *,
        revision: str,
        local_dir: Path,
        allow_patterns: list[str],
        ignore_patterns: list[str],
        dry_run: bool = False,
        **_: object,
    ):
        names = self.selected(allow_patterns, ignore_patterns)
        if dry_run:
            return [PlannedFile(name, COMMIT) for name in names]
        self.downloads += 1
        self.bars_disabled.append(are_progress_bars_disabled())
        for count, name in enumerate(names):
            if self.fail_after is not None and count == self.fail_after:
                raise ConnectionError("connection reset by peer")
            target = Path(local_dir) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            content = self.files[name]
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return str(local_dir)


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> FakeHub:
    hub = FakeHub(dict(REPO_FILES))
    monkeypatch.setattr(huggingface_hub, "snapshot_download", hub)
    return hub


def test_pull_fetches_only_safetensors_configs_and_tokenizer(tmp_path: Path, fake_hub: FakeHub) -> None:
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


def test_interrupted_pull_is_not_installed_and_a_repull_completes(tmp_path: Path, fake_hub: FakeHub) -> None:
    fake_hub.fail_after = 2
    with pytest.raises(ModelError) as caught:
        pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert "again to resume" in str(caught.value) and "\n" not in str(caught.value)
    assert (tmp_path / "opus-mt-id-en" / "config.json").is_file()  # partial files stay for resuming
    with pytest.raises(ModelNotInstalledError):
        resolve_model("opus-mt-id-en", tmp_path)
    assert not next(row for row in list_models(tmp_path) if row.name == "opus-mt-id-en").installed

    fake_hub.fail_after = None
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert resolve_model("opus-mt-id-en", tmp_path).revision == COMMIT


def test_repull_over_an_install_is_not_installed_while_it_runs(tmp_path: Path, fake_hub: FakeHub) -> None:
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    fake_hub.fail_after = 0
    with pytest.raises(ModelError):
        pull_model("opus-mt-id-en", tmp_path, progress=False)
    with pytest.raises(ModelNotInstalledError):
        resolve_model("opus-mt-id-en", tmp_path)


def test_repo_without_any_weights_is_refused_before_downloading(tmp_path: Path, fake_hub: FakeHub) -> None:
    del fake_hub.files["model.safetensors"]
    del fake_hub.files["pytorch_model.bin"]
    with pytest.raises(ModelError, match="no safetensors or PyTorch weights") as caught:
        pull_model("mt5-xlsum", tmp_path, progress=False)
    assert "\n" not in str(caught.value)
    assert fake_hub.downloads == 0
    assert not (tmp_path / "mt5-xlsum" / MANIFEST_NAME).exists()


def test_pickle_only_repo_is_converted_to_safetensors_and_loads(
    tiny_models_for, tmp_path: Path, fake_hub: FakeHub
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
    fake_hub.files = {
        p.name: p.read_bytes()
        for p in tiny.iterdir()
        if p.is_file() and p.suffix != ".safetensors" and p.name != MANIFEST_NAME
    }
    fake_hub.files["pytorch_model.bin"] = buffer.getvalue()

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


def test_tampered_pickle_is_refused_without_running_it(tmp_path: Path, fake_hub: FakeHub) -> None:
    import pickle

    Path("/tmp/summarize-pwned").unlink(missing_ok=True)
    del fake_hub.files["model.safetensors"]
    fake_hub.files["pytorch_model.bin"] = pickle.dumps({"weight": _Payload()})
    with pytest.raises(ModelError, match="not a plain weights file") as caught:
        pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert "\n" not in str(caught.value)
    assert not Path("/tmp/summarize-pwned").exists()
    with pytest.raises(ModelNotInstalledError):
        resolve_model("opus-mt-id-en", tmp_path)


def test_pull_without_progress_restores_progress_bars(tmp_path: Path, fake_hub: FakeHub) -> None:
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    assert fake_hub.bars_disabled == [True]
    assert not are_progress_bars_disabled()


def test_pull_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(UnknownModelError, match="opus-mt-id-en"):
        pull_model("gpt-5", tmp_path)


def test_list_models_rows(tmp_path: Path, fake_hub: FakeHub) -> None:
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


def test_remove_model(tmp_path: Path, fake_hub: FakeHub) -> None:
    pull_model("opus-mt-id-en", tmp_path, progress=False)
    freed = remove_model("opus-mt-id-en", tmp_path)
    assert freed > 0
    assert not (tmp_path / "opus-mt-id-en").exists()
    with pytest.raises(ModelNotInstalledError):
        remove_model("opus-mt-id-en", tmp_path)
    with pytest.raises(UnknownModelError):
        remove_model("../outputs", tmp_path)


def test_store_defaults_to_the_env_models_dir(tmp_path: Path, fake_hub: FakeHub, monkeypatch) -> None:
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
    name: str, tiny_models_for, tmp_path: Path, fake_hub: FakeHub
) -> None:
    from typer.testing import CliRunner

    from summarizer.cli import app

    tiny = tiny_models_for(name) / name
    fake_hub.files = {p.name: p.read_bytes() for p in tiny.iterdir() if p.is_file() and p.name != MANIFEST_NAME}
    result = CliRunner().invoke(app, ["models", "pull", name, "--models-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "converted for the CTranslate2 engine" in result.stdout
    assert (tmp_path / name / "ctranslate2-int8" / "model.bin").is_file()
