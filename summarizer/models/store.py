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
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from summarizer.errors import ModelError, ModelNotInstalledError, ModelStoreError, UnknownModelError, printable
from summarizer.models.check import (
    Problem,
    config_family_of,
    folder_problems,
    read_json_object,
    readable_fix,
    store_fault,
)
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
    problem: str = ""  # why an installed model cannot be used as it is (with the fix), else ""


def model_path(name: str, models_dir: Path | None = None) -> Path:
    """The folder a registered model lives in (whether or not it is installed)."""
    return default_models_dir(models_dir) / name


def read_manifest(model_dir: Path) -> dict | None:
    """The manifest of an installed model folder, or None when it is absent.

    ModelStoreError (one line with the fix) when it cannot be read or is not a manifest.
    """
    manifest, problem = _manifest_or_problem(model_dir)
    if problem is not None:
        raise store_fault(model_dir.name, model_dir, [problem], registered=model_dir.name in REGISTRY)
    return manifest


def _manifest_or_problem(model_dir: Path) -> tuple[dict | None, Problem | None]:
    try:
        os.stat(model_dir / MANIFEST_NAME)
    except (FileNotFoundError, NotADirectoryError):
        return None, None
    except OSError as error:
        return None, Problem(f"cannot read {MANIFEST_NAME} ({error.strerror or error})", "unreadable")
    return read_json_object(model_dir / MANIFEST_NAME)


def write_manifest(model_dir: Path, spec: ModelSpec, revision: str, converted_from: list[str] | None = None) -> Path:
    """Mark `model_dir` as a complete install of `spec` at `revision` (atomic write).

    Every file is listed with its size, so a file cut short or deleted later is found before a
    run uses the model (summarizer.models.check).
    """
    files = sorted(
        (str(path.relative_to(model_dir)), path.stat().st_size)
        for path in model_dir.rglob("*")
        if path.is_file() and path.name != MANIFEST_NAME
    )
    manifest = {
        "name": spec.name,
        "repo_id": spec.repo_id,
        "revision": revision,
        "family": spec.family,
        "files": [name for name, _ in files],
        "sizes": dict(files),
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

    A registry name is looked up only as models/<name>/, a real folder (never a link out of the
    models folder); anything else must be the path of a model folder. Raises
    ModelNotInstalledError for a registered name that is not in the store, ModelStoreError for a
    store or folder that cannot be used as it is, and UnknownModelError for anything else.
    """
    if ref in REGISTRY:
        return _resolve_registered(REGISTRY[ref], default_models_dir(models_dir))
    valid = ", ".join(REGISTRY)
    unknown = UnknownModelError(
        f"unknown model '{printable(ref)}': not a registered name ({valid}) nor a folder with a config.json"
    )
    if not ref or "\0" in ref:
        raise unknown
    try:
        folder = Path(ref).expanduser()
        found = folder.is_dir() and (folder / "config.json").is_file()
    except RuntimeError:  # "~" with no home folder to expand it to
        raise unknown from None
    except OSError as error:
        raise ModelStoreError(
            f"cannot read the model folder {printable(ref)} ({error.strerror or error}); fix: {readable_fix(Path(ref))}"
        ) from None
    if not found:
        raise unknown
    return _resolve_folder(folder.resolve())


def verify_model(ref: str, models_dir: Path | None = None) -> ResolvedModel:
    """Resolve `ref` and check its files without loading them (summarizer.models.check).

    Raises what resolve_model raises, and ModelStoreError naming the model, every problem found
    and the command that fixes it.
    """
    resolved = resolve_model(ref, models_dir)
    registered = ref in REGISTRY
    problems = folder_problems(
        resolved.path,
        family=resolved.spec.family if registered and resolved.spec else None,
        manifest=read_manifest(resolved.path),
        in_store=registered,
    )
    if problems:
        raise store_fault(resolved.name, resolved.path, problems, registered=registered)
    return resolved


def _store_folder(name: str, store: Path) -> Path | None:
    """models/<name>/ when it is a real folder, None when there is nothing there.

    ModelStoreError when the models folder cannot be read or is not a folder, or when a link or
    a file stands where the model folder should be: nothing outside the store is read by name.
    """
    folder = store / name
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise ModelStoreError(
            f"model '{name}': the models folder {store} is a file, not a folder; "
            "fix: move it away, or use another store (--models-dir)"
        ) from None
    except OSError as error:
        raise ModelStoreError(
            f"model '{name}' cannot be read: the models folder {store}: {error.strerror or error}; "
            f"fix: {readable_fix(store)}"
        ) from None
    if stat.S_ISLNK(info.st_mode):
        problem = Problem(
            f"it is a symbolic link (to {os.readlink(folder)}), and models are read by name only from real "
            f"folders inside {store} (pass a model folder's path to use it from elsewhere)",
            "in-the-way",
        )
        raise store_fault(name, folder, [problem], registered=True)
    if not stat.S_ISDIR(info.st_mode):
        raise store_fault(name, folder, [Problem("it is a file, not a model folder", "in-the-way")], registered=True)
    return folder


def is_installed(name: str, models_dir: Path | None = None) -> bool:
    """Whether registered model `name` is in the store (ModelStoreError when that cannot be told)."""
    folder = _store_folder(name, default_models_dir(models_dir))
    return folder is not None and read_manifest(folder) is not None


def _resolve_registered(spec: ModelSpec, store: Path) -> ResolvedModel:
    folder = _store_folder(spec.name, store)
    manifest = read_manifest(folder) if folder is not None else None
    if folder is None or manifest is None:
        # Summaries can always be made without a model: say so where one is missing.
        fallback = f", or brief without a model: --summarizer {EXTRACTIVE}" if spec.task == "summarize" else ""
        raise ModelNotInstalledError(
            f"model '{spec.name}' ({spec.repo_id}) is not installed in {store}; "
            f"get it on a connected machine with: summarize models pull {spec.name}{fallback}"
        )
    return ResolvedModel(spec.name, folder, spec.family, manifest.get("revision"), spec)


def _resolve_folder(folder: Path) -> ResolvedModel:
    manifest = read_manifest(folder)
    spec = REGISTRY.get(manifest.get("name", "")) if manifest else None
    revision = manifest.get("revision") if manifest else None
    name = spec.name if spec else folder.name
    return ResolvedModel(name, folder, detect_family(folder), revision, spec)


def detect_family(folder: Path) -> str:
    """The model family of a transformers model folder, read from its config and tokenizer config."""
    family, problems = config_family_of(folder)
    if problems or family is None:
        raise store_fault(folder.name, folder, problems, registered=False)
    return family


def list_models(models_dir: Path | None = None) -> list[ModelRow]:
    """Every registered model with its install state, plus the built-in extractive summarizer."""
    store = default_models_dir(models_dir)
    rows = [_row(spec, store) for spec in REGISTRY.values()]
    rows.append(_extractive_row())
    return rows


def _row(spec: ModelSpec, store: Path) -> ModelRow:
    manifest, problem = None, ""
    try:
        folder = _store_folder(spec.name, store)
        manifest = read_manifest(folder) if folder is not None else None
        if folder is not None and manifest is not None:
            problems = folder_problems(folder, family=spec.family, manifest=manifest, in_store=True)
            problem = str(store_fault(spec.name, folder, problems, registered=True)) if problems else ""
    except ModelStoreError as error:
        problem = str(error)
    revision = manifest.get("revision", spec.revision) if manifest else spec.revision
    return ModelRow(
        name=spec.name,
        task=spec.task,
        family=spec.family,
        default=spec.default,
        installed=manifest is not None,
        size_on_disk=_size_on_disk(store / spec.name),
        download_bytes=spec.download_bytes,
        licence=spec.licence,
        commercial_use=spec.commercial_use,
        repo_id=spec.repo_id,
        revision=revision,
        note=spec.note,
        problem=problem,
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
    """Bytes of the files under `folder` (0 when it is absent, a link, or cannot be read)."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return 0
        return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())
    except OSError:
        return 0


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
    take turns: the second finds the first one's install and returns it. An installed copy that
    fails the store check (a file cut short or missing) is fetched again and replaced. Failures
    are HubError (a ModelError) with one plain line; nothing is left in models/<name>/.
    """
    from summarizer.models import hub

    spec = get_spec(name)
    store = default_models_dir(models_dir)
    reason = hub.offline_reason(offline)
    if reason:
        raise hub.HubError("offline", f"cannot fetch {spec.name}: offline mode is on ({reason})")
    with _pull_lock(store, spec.name):
        if _installed_whole(spec, store):
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


def _installed_whole(spec: ModelSpec, store: Path) -> bool:
    """True when `spec` is installed and passes the store check; False when it is absent, or
    damaged (then it is fetched again). A link or file in its place, or an unreadable store, is
    refused: a pull never writes through a link nor deletes what it did not make."""
    folder = _store_folder(spec.name, store)
    if folder is None:
        return False
    manifest, problem = _manifest_or_problem(folder)
    if problem is None and manifest is None:
        return False  # leftovers of an old interrupted install: replaced
    problems = [problem] if problem else folder_problems(folder, family=spec.family, manifest=manifest, in_store=True)
    if any(p.kind == "unreadable" for p in problems):
        raise store_fault(spec.name, folder, problems, registered=True)
    if not problems:
        return True
    log.warning(
        "the installed copy of %s in %s is damaged (%s); fetching it again",
        spec.name,
        folder,
        "; ".join(p.text for p in problems),
    )
    return False


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
    if staging.is_symlink() or (staging.exists() and not staging.is_dir()):
        staging.unlink()  # never download through a link; the link alone is deleted
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
    """Swap the complete staged model in; leftovers at `target` (never installed, or damaged) are deleted."""
    if os.path.lexists(target):
        stale = staging.with_name(f"{staging.name}.stale-{os.getpid()}")
        os.replace(target, stale)
        shutil.rmtree(stale, ignore_errors=True)
    os.replace(staging, target)


@contextmanager
def _pull_lock(store: Path, name: str) -> Iterator[None]:
    """One download of a model at a time per store, across processes."""
    import fcntl

    handle = _open_lock(_partial_dir(store, create=True) / f"{name}.lock")
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another summarize is fetching %s into %s; waiting for it", name, store)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _partial_dir(store: Path, *, create: bool) -> Path:
    """<store>/.partial, where downloads are staged: a real folder inside the store, never a link."""
    partial = store / PARTIAL_DIR
    if partial.is_symlink():
        raise ModelStoreError(
            f"{partial} is a symbolic link; summarize stages downloads there and never writes or deletes "
            f"through a link; fix: delete the link (rm {partial})"
        )
    if create:
        try:
            partial.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise ModelStoreError(
                f"the models folder {store} (or {partial} in it) is a file, not a folder; "
                "fix: move it away, or use another store (--models-dir)"
            ) from None
        except OSError as error:
            raise ModelStoreError(f"cannot write in the models folder {store}: {error.strerror or error}") from None
    return partial


def _open_lock(path: Path) -> IO[str]:
    """A lock file opened for flock, never through a symbolic link."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise ModelStoreError(f"cannot open the lock file {path}: {error.strerror or error}") from None
    return os.fdopen(descriptor, "r+")


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


@dataclass(frozen=True)
class Removal:
    """What `remove_model` deleted."""

    freed: int  # bytes
    installed: bool  # a complete install was removed (not only leftovers of a download)
    link: str | None = None  # where the symbolic link that stood in the model's place pointed


def remove_model(name: str, models_dir: Path | None = None) -> Removal:
    """Delete a registered model (and any staged partial download of it).

    Only what lies inside the store is deleted: a symbolic link standing where the model folder
    should be is removed itself, never what it points to.
    """
    spec = get_spec(name)
    store = default_models_dir(models_dir)
    folder = store / spec.name
    staging = _partial_dir(store, create=False) / spec.name
    if not os.path.lexists(folder) and not os.path.lexists(staging):
        raise ModelNotInstalledError(f"model '{spec.name}' is not in {store}; nothing to remove")
    freed = _size_on_disk(folder) + _size_on_disk(staging)
    link = None
    installed = False
    if folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()):
        link = os.readlink(folder) if folder.is_symlink() else None
        folder.unlink()
    elif folder.is_dir():
        installed = (folder / MANIFEST_NAME).is_file()
        # Manifest first: if deletion stops half-way the leftovers do not look installed.
        (folder / MANIFEST_NAME).unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
    if staging.is_symlink() or (os.path.lexists(staging) and not staging.is_dir()):
        staging.unlink()
    else:
        shutil.rmtree(staging, ignore_errors=True)
    return Removal(freed, installed, link)
