"""Convert a local transformers model (a family with `ct2` in FAMILY_TABLE) to CTranslate2, once, atomically.

The copy lives in `<model folder>/ctranslate2-<quantization>/`: a derived cache of the
safetensors files (the loader never reads anything else), stamped with the ctranslate2 version,
the source revision and a fingerprint of the source files, so a stale copy is redone. `models
remove` deletes the model folder and the copy with it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
    if read_stamp(target) == stamp:
        return target
    # With real weights this takes minutes: it must never look like a hang.
    message = f"converting {resolved.name} for the CPU engine (CTranslate2 {quantization}) in {target}; done once"
    # A full disk, a size limit or a read-only models folder: one line naming the file (exit 7);
    # the scratch folder goes, and an earlier copy in `target` stays as it was.
    with writing(target, named=True):
        _sweep_scratch(resolved.path, target.name)
        scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", dir=resolved.path))
        try:
            with progress.step(message):
                built = scratch / "model"
                _convert(resolved, built, quantization)
                (built / STAMP_NAME).write_text(json.dumps(stamp, indent=2), encoding="utf-8")
                _install(built, target, scratch / "stale", stamp)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return target


def _sweep_scratch(model_dir: Path, target_name: str) -> None:
    """Remove the scratch folders of conversions whose process is gone (killed mid-conversion).

    Each scratch folder carries its process id, so one that another live process is still
    converting into is left alone.
    """
    for scratch in model_dir.glob(f".{target_name}.*"):
        owner = scratch.name.removeprefix(f".{target_name}.").split(".", 1)[0]
        if scratch.is_dir() and (not owner.isdigit() or not _process_exists(int(owner))):
            shutil.rmtree(scratch, ignore_errors=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
    entries = sorted(
        (path.name, path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.iterdir()
        if path.is_file() and path.name != MANIFEST_NAME
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


def _install(built: Path, target: Path, stale: Path, stamp: dict[str, Any]) -> None:
    """Move the finished conversion into place; readers see the old copy or the new, never half."""
    if read_stamp(target) == stamp:
        return  # another process converted the same model meanwhile: keep the copy it may be reading
    if target.exists():
        os.replace(target, stale)
    try:
        os.replace(built, target)
    except OSError:
        # Another process installed its conversion first: fine when it is the same one.
        if read_stamp(target) != stamp:
            if stale.exists() and not target.exists():
                os.replace(stale, target)  # keep the copy there was
            raise
