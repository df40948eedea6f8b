"""The local model store: models/<name>/ holds one model's snapshot files plus a manifest.

A model counts as installed only when its manifest exists. pull_model stages a download outside
models/<name>/ and moves it there with its manifest only when every file verified, so an
interrupted or failed download never looks installed. pull_model is the only function that
touches the network, through summarizer.models.hub.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from summarizer.errors import ModelError, ModelNotInstalledError, UnknownModelError
from summarizer.models.families import family_for_model_type, known_model_types
from summarizer.models.registry import EXTRACTIVE, REGISTRY, ModelSpec, get_spec
from summarizer.paths import models_dir as default_models_dir

log = logging.getLogger(__name__)

MANIFEST_NAME = "summarize-manifest.json"

# Only what transformers needs to load offline: configs, safetensors weights, tokenizer files,
# and the chat template, which newer repos keep in its own file rather than tokenizer_config.json.
PULL_PATTERNS = ["*.json", "*.safetensors", "*.spm", "*.model", "merges.txt", "*.jinja"]
# A repo that publishes only pickled PyTorch weights (NLLB does) has them fetched once and
# converted to safetensors at pull time; nothing pickled is ever loaded by the loader.
PICKLED_WEIGHTS = ["pytorch_model.bin", "pytorch_model-*.bin"]
# Sub-folders hold ONNX/TF/GGUF variants that the loader never reads.
PULL_IGNORE = ["*/*"]


@dataclass(frozen=True)
class ResolvedModel:
    """A model found on disk, ready to be loaded."""

    name: str
    path: Path
    family: str
    revision: str | None  # commit recorded in the manifest; None for an unmanaged folder
    spec: ModelSpec | None  # None for a folder that is not a registered model


@dataclass(frozen=True)
class ModelRow:
    """One line of `summarize models list`."""

    name: str
    task: str
    family: str
    default: bool
    installed: bool
    size_on_disk: int  # bytes currently used under models/<name>/ (0 when absent)
    download_bytes: int  # approximate bytes pull_model fetches
    licence: str
    commercial_use: bool
    repo_id: str
    revision: str
    note: str = ""


def model_path(name: str, models_dir: Path | None = None) -> Path:
    """The folder a registered model lives in (whether or not it is installed)."""
    return default_models_dir(models_dir) / name


def read_manifest(model_dir: Path) -> dict | None:
    """The manifest of an installed model folder, or None when it is absent."""
    manifest = model_dir / MANIFEST_NAME
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))


def write_manifest(model_dir: Path, spec: ModelSpec, revision: str, converted_from: list[str] | None = None) -> Path:
    """Mark `model_dir` as a complete install of `spec` at `revision` (atomic write)."""
    files = sorted(
        str(path.relative_to(model_dir))
        for path in model_dir.rglob("*")
        if path.is_file() and path.name != MANIFEST_NAME
    )
    manifest = {
        "name": spec.name,
        "repo_id": spec.repo_id,
        "revision": revision,
        "family": spec.family,
        "files": files,
        "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if converted_from:
        manifest["converted_from"] = converted_from
    target = model_dir / MANIFEST_NAME
    partial = target.with_suffix(".json.partial")
    partial.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(partial, target)
    return target


def resolve_model(ref: str, models_dir: Path | None = None) -> ResolvedModel:
    """Find a model by registry name or local folder path.

    Raises ModelNotInstalledError for a registered name that is not in the store and
    UnknownModelError for anything else that is not a model folder.
    """
    if ref in REGISTRY:
        return _resolve_registered(REGISTRY[ref], default_models_dir(models_dir))
    folder = Path(ref).expanduser()
    if folder.is_dir() and (folder / "config.json").is_file():
        return _resolve_folder(folder.resolve())
    valid = ", ".join(REGISTRY)
    raise UnknownModelError(f"unknown model '{ref}': not a registered name ({valid}) nor a folder with a config.json")


def _resolve_registered(spec: ModelSpec, store: Path) -> ResolvedModel:
    folder = store / spec.name
    manifest = read_manifest(folder)
    if manifest is None:
        # Summaries can always be made without a model: say so where one is missing.
        fallback = f", or brief without a model: --summarizer {EXTRACTIVE}" if spec.task == "summarize" else ""
        raise ModelNotInstalledError(
            f"model '{spec.name}' ({spec.repo_id}) is not installed in {store}; "
            f"get it on a connected machine with: summarize models pull {spec.name}{fallback}"
        )
    return ResolvedModel(spec.name, folder, spec.family, manifest.get("revision"), spec)


def _resolve_folder(folder: Path) -> ResolvedModel:
    manifest = read_manifest(folder)
    spec = REGISTRY.get(manifest["name"]) if manifest else None
    revision = manifest.get("revision") if manifest else None
    name = spec.name if spec else folder.name
    return ResolvedModel(name, folder, detect_family(folder), revision, spec)


def detect_family(folder: Path) -> str:
    """The model family of a transformers model folder, read from its config and tokenizer config."""
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    model_type = config.get("model_type", "")
    family = family_for_model_type(model_type, _tokenizer_class(folder))
    if family is None:
        supported = ", ".join(known_model_types())
        raise ModelError(f"unsupported model type '{model_type}' in {folder / 'config.json'}; supported: {supported}")
    return family.name


def _tokenizer_class(folder: Path) -> str:
    tokenizer_config = folder / "tokenizer_config.json"
    if not tokenizer_config.is_file():
        return ""
    return json.loads(tokenizer_config.read_text(encoding="utf-8")).get("tokenizer_class") or ""


def list_models(models_dir: Path | None = None) -> list[ModelRow]:
    """Every registered model with its install state, plus the built-in extractive summarizer."""
    store = default_models_dir(models_dir)
    rows = [_row(spec, store) for spec in REGISTRY.values()]
    rows.append(_extractive_row())
    return rows


def _row(spec: ModelSpec, store: Path) -> ModelRow:
    folder = store / spec.name
    manifest = read_manifest(folder)
    revision = manifest.get("revision", spec.revision) if manifest else spec.revision
    return ModelRow(
        name=spec.name,
        task=spec.task,
        family=spec.family,
        default=spec.default,
        installed=manifest is not None,
        size_on_disk=_size_on_disk(folder),
        download_bytes=spec.download_bytes,
        licence=spec.licence,
        commercial_use=spec.commercial_use,
        repo_id=spec.repo_id,
        revision=revision,
        note=spec.note,
    )


def _extractive_row() -> ModelRow:
    # Listed so users see that the model-free summarizer is always there.
    return ModelRow(
        name=EXTRACTIVE,
        task="summarize",
        family=EXTRACTIVE,
        default=False,
        installed=True,
        size_on_disk=0,
        download_bytes=0,
        licence="Apache-2.0",
        commercial_use=True,
        repo_id="",
        revision="",
        note="Built in, no model files: picks the most central source sentences.",
    )


def _size_on_disk(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


# Downloads are staged in <store>/.partial/<name>/ (invisible to list/resolve) and moved into
# place only once every file verified and the manifest is written: the store never holds a
# half-made model, and the staged files let an interrupted download resume.
PARTIAL_DIR = ".partial"
_STAGING_COMMIT = ".summarize-commit"


def pull_model(
    name: str, models_dir: Path | None = None, progress: bool = True, *, offline: bool = False
) -> ResolvedModel:
    """Download a registered model into the store at its pinned revision (resumable, verified).

    Only configs, weights and tokenizer files are fetched. A repo with no safetensors weights has
    its PyTorch weights converted to safetensors once, here. Two processes pulling the same model
    take turns: the second finds the first one's install and returns it. Failures are HubError
    (a ModelError) with one plain line; nothing is left in models/<name>/.
    """
    from summarizer.models import hub

    spec = get_spec(name)
    store = default_models_dir(models_dir)
    reason = hub.offline_reason(offline)
    if reason:
        raise hub.HubError("offline", f"cannot fetch {spec.name}: offline mode is on ({reason})")
    with _pull_lock(store, spec.name):
        if read_manifest(store / spec.name) is not None:
            return _resolve_registered(spec, store)
        snapshot = hub.snapshot_info(spec.repo_id, spec.revision)
        files, convert = _pull_plan(spec, snapshot)
        staging = _staging_folder(store, spec.name, snapshot.commit)
        licence = spec.licence if spec.commercial_use else f"{spec.licence}, NON-COMMERCIAL use only"
        log.warning(
            "fetching %s (%s@%s): %d files, %.1f MB, licence %s, into %s",
            spec.name,
            spec.repo_id,
            snapshot.commit[:12],
            len(files),
            sum(remote.size for remote in files) / 1e6,
            licence,
            store / spec.name,
        )
        try:
            hub.download(snapshot, files, staging, label=spec.name, progress=progress)
        except BaseException:
            _drop_if_empty(staging)
            raise
        converted = convert_pickled_weights(staging, spec) if convert else None
        _check_downloaded(spec, staging)
        (staging / _STAGING_COMMIT).unlink(missing_ok=True)
        write_manifest(staging, spec, snapshot.commit, converted_from=converted)
        _move_into_place(staging, store / spec.name)
    return _resolve_registered(spec, store)


def _pull_plan(spec: ModelSpec, snapshot) -> tuple[list, bool]:
    """The files to fetch and whether pickled weights must be converted (no safetensors published)."""
    from huggingface_hub.utils import filter_repo_objects

    by_name = {remote.name: remote for remote in snapshot.files}

    def chosen(patterns: list[str]) -> list:
        names = filter_repo_objects(list(by_name), allow_patterns=patterns, ignore_patterns=PULL_IGNORE)
        return [by_name[name] for name in names]

    files = chosen(PULL_PATTERNS)
    if any(remote.name.endswith(".safetensors") for remote in files):
        return files, False
    files = chosen(PULL_PATTERNS + PICKLED_WEIGHTS)
    if not any(remote.name.endswith(".bin") for remote in files):
        raise ModelError(f"{spec.repo_id} has no safetensors or PyTorch weights at revision {snapshot.commit}")
    return files, True


def _staging_folder(store: Path, name: str, commit: str) -> Path:
    """The staging folder for `name`; what an earlier try left for another commit is dropped."""
    staging = store / PARTIAL_DIR / name
    marker = staging / _STAGING_COMMIT
    if staging.is_dir() and (not marker.is_file() or marker.read_text(encoding="utf-8").strip() != commit):
        shutil.rmtree(staging)
    staging.mkdir(parents=True, exist_ok=True)
    marker.write_text(commit, encoding="utf-8")
    return staging


def _drop_if_empty(staging: Path) -> None:
    """Remove a staging folder that holds no downloaded byte (keep partial data for resuming)."""
    if not any(path.is_file() and path.name != _STAGING_COMMIT for path in staging.rglob("*")):
        shutil.rmtree(staging, ignore_errors=True)


def _move_into_place(staging: Path, target: Path) -> None:
    """Swap the complete staged model in; leftovers at `target` (never installed) are deleted."""
    if target.exists():
        stale = staging.with_name(f"{staging.name}.stale-{os.getpid()}")
        os.replace(target, stale)
        shutil.rmtree(stale, ignore_errors=True)
    os.replace(staging, target)


@contextmanager
def _pull_lock(store: Path, name: str) -> Iterator[None]:
    """One download of a model at a time per store, across processes."""
    import fcntl

    locks = store / PARTIAL_DIR
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{name}.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another summarize is fetching %s into %s; waiting for it", name, store)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def partial_download_bytes(name: str, models_dir: Path | None = None) -> int:
    """Bytes an interrupted pull of `name` left staged for resuming (0 when none)."""
    return _size_on_disk(default_models_dir(models_dir) / PARTIAL_DIR / name)


def convert_pickled_weights(folder: Path, spec: ModelSpec) -> list[str]:
    """Rewrite pytorch_model*.bin as safetensors and delete the pickles; returns their names.

    torch.load(weights_only=True) uses torch's restricted unpickler (tensors and plain containers
    only), so a tampered file fails here instead of running code.
    """
    import torch
    from safetensors.torch import save_file

    converted = []
    renames: dict[str, str] = {}
    for path in sorted(folder.glob("pytorch_model*.bin")):
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as error:  # noqa: BLE001  (any unpickling failure means: not plain weights)
            raise ModelError(
                f"{path.name} from {spec.repo_id} is not a plain weights file ({_first_line(error)}); "
                "refusing to use it"
            ) from error
        target = path.with_name(path.name.replace("pytorch_model", "model").replace(".bin", ".safetensors"))
        save_file(_without_aliases(state), target, metadata={"format": "pt"})
        renames[path.name] = target.name
        path.unlink()
        converted.append(path.name)
    _rewrite_shard_index(folder, renames)
    return converted


def _without_aliases(state: dict) -> dict:
    """One entry per tensor storage: tied weights (embeddings shared with the output layer) are
    saved once, as transformers' own safetensors files do; loading ties them again."""
    seen: set[int] = set()
    kept = {}
    for key, tensor in state.items():
        pointer = tensor.untyped_storage().data_ptr()
        if pointer in seen:
            continue
        seen.add(pointer)
        kept[key] = tensor.contiguous()
    return kept


def _rewrite_shard_index(folder: Path, renames: dict[str, str]) -> None:
    index = folder / "pytorch_model.bin.index.json"
    if not index.is_file():
        return
    from safetensors import safe_open

    stored: set[str] = set()
    for name in set(renames.values()):
        with safe_open(str(folder / name), framework="pt") as weights:
            stored.update(weights.keys())
    data = json.loads(index.read_text(encoding="utf-8"))
    # Aliases of tied weights were saved once; the index must not promise them.
    data["weight_map"] = {key: renames.get(name, name) for key, name in data["weight_map"].items() if key in stored}
    (folder / "model.safetensors.index.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    index.unlink()


def _check_downloaded(spec: ModelSpec, folder: Path) -> None:
    missing = [name for name in ("config.json",) if not (folder / name).is_file()]
    if not any(folder.glob("*.safetensors")):
        missing.append("*.safetensors")
    if missing:
        raise ModelError(f"pull of {spec.name} finished without {', '.join(missing)} in {folder}")


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else "no details"


def remove_model(name: str, models_dir: Path | None = None) -> int:
    """Delete a registered model (and any staged partial download of it); returns the bytes freed."""
    spec = get_spec(name)
    store = default_models_dir(models_dir)
    folder = store / spec.name
    staging = store / PARTIAL_DIR / spec.name
    if not folder.is_dir() and not staging.is_dir():
        raise ModelNotInstalledError(f"model '{spec.name}' is not in {store}; nothing to remove")
    freed = _size_on_disk(folder) + _size_on_disk(staging)
    # Manifest first: if deletion stops half-way the leftovers do not look installed.
    (folder / MANIFEST_NAME).unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    return freed
