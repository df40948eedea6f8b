"""Convert a local transformers model (a family with `ct2` in FAMILY_TABLE) to CTranslate2, once, atomically.

The copy lives in `<model folder>/ctranslate2-<quantization>/`: a derived cache of the
safetensors files (the loader never reads anything else), stamped with the ctranslate2 version,
the source revision, a fingerprint of the source files and the size of every file it holds, so
a stale or incomplete copy is redone. `models remove` deletes the model folder and the copy with it.

Conversions of one model take turns across processes (a lock file beside the copy): a second
run waits, then uses the first one's copy. A conversion is built in a scratch folder
`.ctranslate2-<quantization>.XXXX/` and renamed into place when complete; scratch folders that a
killed conversion left are deleted by the next one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import summarizer.progress as progress
from summarizer.errors import WRITE_ERRNOS, ModelError, writing
from summarizer.models.families import get_family
from summarizer.models.store import MANIFEST_NAME, ResolvedModel

log = logging.getLogger(__name__)

STAMP_NAME = "summarize-ct2.json"
CONVERTED_PREFIX = "ctranslate2-"


@contextmanager
def opening_converted(name: str, model_dir: Path) -> Iterator[int]:
    """Guard the creation of a CTranslate2 object over `model_dir`; yields torch's thread count.

    CTranslate2 and torch share the OpenMP runtime: creating a translator with intra_threads=1
    dropped torch to one thread, which halved the summarizer's speed (docs/benchmarks.md), so the
    count is put back afterwards. A copy that cannot be opened is one user-facing line.
    """
    import torch

    torch_threads = torch.get_num_threads()
    try:
        yield torch_threads
    except (RuntimeError, ValueError, OSError) as error:
        raise ModelError(f"cannot open the CTranslate2 copy of {name} in {model_dir}: {error}") from error
    finally:
        torch.set_num_threads(torch_threads)


def converted_dir(resolved: ResolvedModel, quantization: str) -> Path:
    """The CTranslate2 copy of `resolved` in `quantization`, converted now if missing or stale."""
    target = resolved.path / f"{CONVERTED_PREFIX}{quantization}"
    stamp = conversion_stamp(resolved, quantization)
    if copy_is_current(target, stamp):
        _sweep_when_free(resolved.path, target.name)
        return target
    # A full disk, a size limit or a read-only models folder: one line naming the copy (exit 7);
    # the scratch folder goes, and an earlier copy in `target` stays as it was.
    with writing(target, named=True), _conversion_lock(resolved, target):
        if copy_is_current(target, stamp):
            return target  # another process converted it while this one waited
        _sweep_scratch(resolved.path, target.name)
        # With real weights this takes minutes: it must never look like a hang.
        message = f"converting {resolved.name} for the CPU engine (CTranslate2 {quantization}) in {target}; done once"
        scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=resolved.path))
        try:
            with progress.step(message):
                built = scratch / "model"
                _convert(resolved, built, quantization)
                written = {**stamp, "files": _file_sizes(built)}
                (built / STAMP_NAME).write_text(json.dumps(written, indent=2), encoding="utf-8")
                _install(built, target, scratch / "stale")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return target


def copy_is_current(target: Path, stamp: dict[str, Any]) -> bool:
    """True when `target` is a complete conversion made from what `stamp` describes."""
    return target.is_dir() and not target.is_symlink() and _copy_problem(target, stamp) is None


def copy_problem(resolved: ResolvedModel, quantization: str) -> str | None:
    """Why the existing CTranslate2 copy of `resolved` cannot be used as it is (None when it
    can, or when there is none yet). Reads no weights: the stamp and the files' sizes."""
    target = resolved.path / f"{CONVERTED_PREFIX}{quantization}"
    scratch = _scratch_folders(resolved.path, target.name)
    if not os.path.lexists(target):
        return f"a conversion of {resolved.name} was stopped before it finished ({scratch[0]})" if scratch else None
    if target.is_symlink() or not target.is_dir():
        return f"the CTranslate2 copy of {resolved.name} ({target}) is not a folder"
    problem = _copy_problem(target, conversion_stamp(resolved, quantization))
    return f"the CTranslate2 copy of {resolved.name} in {target} {problem}" if problem else None


def _copy_problem(target: Path, stamp: dict[str, Any]) -> str | None:
    written = read_stamp(target)
    if written is None:
        return f"has no readable {STAMP_NAME} (a conversion stopped half-way)"
    files = written.pop("files", None)
    if written != stamp:
        changed = sorted(key for key in stamp if written.get(key) != stamp[key])
        return f"is out of date ({', '.join(changed) or 'stamp'} changed)"
    if files is None:  # stamped before sizes were recorded
        return None if (target / "model.bin").is_file() else "has no model.bin"
    if not isinstance(files, dict):
        return f"has a damaged {STAMP_NAME}"
    for name, size in sorted(files.items()):
        try:
            actual = (target / name).stat().st_size
        except OSError:
            return f"has lost {name}"
        if actual != size:
            return f"has {name} at {actual:,} bytes instead of {size:,}"
    return None


def _file_sizes(folder: Path) -> dict[str, int]:
    return {
        str(path.relative_to(folder)): path.stat().st_size
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != STAMP_NAME
    }


@contextmanager
def _conversion_lock(resolved: ResolvedModel, target: Path) -> Iterator[None]:
    """One conversion of a model at a time, across processes (the lock is beside the copy)."""
    path = resolved.path / f".{target.name}.lock"
    handle = _open_lock(path, resolved.name)
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another summarize is converting %s in %s; waiting for it", resolved.name, target)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _open_lock(path: Path, name: str) -> IO[str]:
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise ModelError(
            f"cannot convert {name} to CTranslate2: cannot write in {path.parent} ({error.strerror or error})"
        ) from None
    return os.fdopen(descriptor, "r+")


def _scratch_folders(model_dir: Path, target_name: str) -> list[Path]:
    """Scratch folders of conversions of `target_name` (only a killed conversion leaves one)."""
    prefix = f".{target_name}."
    try:
        entries = list(model_dir.iterdir())
    except OSError:
        return []
    return sorted(e for e in entries if e.name.startswith(prefix) and e.is_dir() and not e.is_symlink())


def _sweep_scratch(model_dir: Path, target_name: str) -> None:
    """Delete what killed conversions left (called with the conversion lock held, so no live
    conversion's scratch folder can be among them)."""
    for scratch in _scratch_folders(model_dir, target_name):
        log.info("deleting %s, left by a conversion that was stopped", scratch)
        shutil.rmtree(scratch, ignore_errors=True)


def _sweep_when_free(model_dir: Path, target_name: str) -> None:
    """Sweep scratch folders beside a current copy, unless a conversion is running right now."""
    if not _scratch_folders(model_dir, target_name):
        return
    try:
        handle = _open_lock(model_dir / f".{target_name}.lock", model_dir.name)
    except ModelError:
        return  # a read-only store: nothing can be deleted anyway
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        try:
            _sweep_scratch(model_dir, target_name)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def conversion_stamp(resolved: ResolvedModel, quantization: str) -> dict[str, Any]:
    """What a conversion depends on: a change to any of it makes the converted copy stale."""
    import ctranslate2

    return {
        "ctranslate2": ctranslate2.__version__,
        "quantization": quantization,
        "revision": resolved.revision,
        # Unmanaged folders have no revision: their files' sizes and times stand in for it.
        "source": _source_fingerprint(resolved.path),
    }


def read_stamp(target: Path) -> dict[str, Any] | None:
    try:
        return json.loads((target / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _source_fingerprint(folder: Path) -> str:
    # Dot files are the tool's own (the conversion lock), not model files.
    entries = sorted(
        (path.name, path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.iterdir()
        if path.is_file() and path.name != MANIFEST_NAME and not path.name.startswith(".")
    )
    return hashlib.sha256(json.dumps(entries).encode("utf-8")).hexdigest()[:16]


def _convert(resolved: ResolvedModel, output: Path, quantization: str) -> None:
    from summarizer.models.loading import without_transformers_progress_bars

    converter = _local_converter(resolved.path, resolved.family)
    try:
        with without_transformers_progress_bars():
            converter.convert(str(output), quantization=quantization, force=True)
    # The converter fails in many ways on a model it cannot handle or on damaged files
    # (ValueError, OSError, SafetensorError, ...); every one means "this copy cannot be made",
    # and the cause stays chained for --verbose.
    except Exception as error:  # noqa: BLE001
        if isinstance(error, OSError) and error.errno in WRITE_ERRNOS:
            raise  # the machine's fault, not the model's: reported as a failed write
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelError(
            f"cannot convert {resolved.name} to CTranslate2 ({quantization}): {first}; "
            f"use --engine transformers to run it without conversion"
        ) from error


def _local_converter(path: Path, family: str) -> Any:
    """A TransformersConverter that reads only the local safetensors files."""
    from ctranslate2.converters import TransformersConverter

    needs_language_tokens = get_family(family).ct2_needs_language_tokens

    class LocalConverter(TransformersConverter):
        def load_model(self, model_class: Any, name: str, **kwargs: Any) -> Any:
            return model_class.from_pretrained(name, local_files_only=True, use_safetensors=True, **kwargs)

        def load_tokenizer(self, tokenizer_class: Any, name: str, **kwargs: Any) -> Any:
            tokenizer = tokenizer_class.from_pretrained(name, local_files_only=True, **kwargs)
            return _WithLanguageTokens(tokenizer) if needs_language_tokens else tokenizer

    return LocalConverter(str(path))


class _WithLanguageTokens:
    """An M2M100 tokenizer as CTranslate2 4.8's converter expects it.

    The converter appends the language tokens (__id__, __en__, ...) from
    special_tokens_map["additional_special_tokens"], which transformers 5 no longer fills, so
    the vocabulary came out 100 tokens short and the conversion failed.
    """

    def __init__(self, tokenizer: Any) -> None:
        self._tokenizer = tokenizer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tokenizer, name)

    @property
    def special_tokens_map(self) -> dict[str, Any]:
        ids = sorted(self._tokenizer.lang_code_to_id.values())
        languages = self._tokenizer.convert_ids_to_tokens(ids)
        return {**self._tokenizer.special_tokens_map, "additional_special_tokens": languages}


def _install(built: Path, target: Path, stale: Path) -> None:
    """Move the finished conversion into place (the conversion lock is held): a reader sees the
    old copy or the new one, never half of one."""
    if os.path.lexists(target):
        os.replace(target, stale)
    try:
        os.replace(built, target)
    except OSError:
        if os.path.lexists(stale) and not os.path.lexists(target):
            os.replace(stale, target)  # keep the copy there was
        raise
