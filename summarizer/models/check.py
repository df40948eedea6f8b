"""Cheap checks that a model folder can be used, made before a run reads any article.

A run must not find half-way through that a model is damaged: a truncated weights file or a
garbage config.json would stop it after work was done, and a missing tokenizer file is worse
(transformers 5 can build an empty tokenizer from what is left and translate nothing). So every
model a run needs is checked first, without reading any weights: a safetensors file's header (its
first bytes) says exactly how long the file must be; the model's family says which tokenizer
files it needs; config.json must name a model type of that family; and the manifest written when
the model was pulled lists every file with its size. What is wrong is returned as Problems, which
summarizer.models.store turns into one line naming the model and the command that fixes it.

Nothing here imports torch, transformers or the store.
"""

from __future__ import annotations

import json
import os
import shlex
import struct
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from summarizer.errors import ModelStoreError, printable
from summarizer.models.families import family_for_model_type, get_family, known_model_types
from summarizer.paths import models_dir as configured_models_dir

# The safetensors format's own limit on its JSON header.
SAFETENSORS_MAX_HEADER = 100_000_000
# A config or tokenizer config is a few KB (NLLB's tokenizer_config.json, the largest, ~600 KB).
MAX_CONFIG_BYTES = 64 * 1024 * 1024
# How many problems one error line names (the rest are counted).
SHOWN_PROBLEMS = 3

# What fixes a problem: "damaged" a fresh pull; "unreadable" permissions; "in-the-way" removing
# what stands where the model folder should be (a link, a file), then a pull; "unsupported" a
# model of another family.
Kind = Literal["damaged", "unreadable", "in-the-way", "unsupported"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model folder, and which kind of fix it needs."""

    text: str
    kind: Kind = "damaged"


def folder_problems(
    folder: Path, *, family: str | None, manifest: dict[str, Any] | None, in_store: bool
) -> list[Problem]:
    """What is wrong with model folder `folder` (empty when it looks usable). Reads no weights.

    `family` is the family the model must be (a registered model's), or None to take it from
    config.json. `in_store`: the folder was found by name in the models folder, so nothing in it
    may lead outside it.
    """
    problems = _links_out(folder) if in_store else []
    if manifest is not None:
        problems += _manifest_problems(folder, manifest)
    config_family, config_problems = config_family_of(folder, expected=family)
    problems += config_problems
    tokenizer_family = family or config_family
    if tokenizer_family is not None:
        problems += _tokenizer_problems(folder, tokenizer_family)
    problems += _weights_problems(folder)
    return list(dict.fromkeys(problems))  # a file missing from the manifest and the family is named once


def config_family_of(folder: Path, *, expected: str | None = None) -> tuple[str | None, list[Problem]]:
    """The family config.json (and tokenizer_config.json) describe, with what is wrong with them."""
    config, problem = read_json_object(folder / "config.json")
    if problem is not None:
        return None, [problem]
    assert config is not None
    model_type = config.get("model_type")
    if not isinstance(model_type, str) or not model_type:
        return None, [Problem("config.json names no model_type")]
    tokenizer_class = ""
    if (folder / "tokenizer_config.json").exists():
        tokenizer_config, problem = read_json_object(folder / "tokenizer_config.json")
        if problem is not None:
            return None, [problem]
        assert tokenizer_config is not None
        tokenizer_class = str(tokenizer_config.get("tokenizer_class") or "")
    family = family_for_model_type(model_type, tokenizer_class)
    if family is None:
        supported = ", ".join(known_model_types())
        text = f"unsupported model type '{printable(model_type)}' in config.json; supported: {supported}"
        return None, [Problem(text, "unsupported")]
    if expected is not None and family.name != expected:
        return family.name, [Problem(f"config.json describes a {family.name} model, not a {expected} one")]
    return family.name, []


def read_json_object(path: Path) -> tuple[dict[str, Any] | None, Problem | None]:
    """A small JSON file that must hold an object, or the Problem that stops it being read."""
    name = path.name
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_CONFIG_BYTES:
                return None, Problem(f"{name} is larger than {MAX_CONFIG_BYTES // (1024 * 1024)} MiB")
            raw = handle.read()
    except FileNotFoundError:
        return None, Problem(f"{name} is missing")
    except IsADirectoryError:
        return None, Problem(f"{name} is a folder, not a file")
    except OSError as error:
        return None, Problem(f"cannot read {name} ({error.strerror or error})", "unreadable")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, Problem(f"{name} is not valid JSON")
    if not isinstance(data, dict):
        return None, Problem(f"{name} is not a JSON object")
    return data, None


def safetensors_problem(path: Path) -> Problem | None:
    """Why `path` is not a whole safetensors file, from its header and size alone (None: whole)."""
    name = path.name
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            prefix = handle.read(8)
            if len(prefix) < 8:
                return Problem(f"{name} is {size} bytes, too short for a safetensors file")
            (length,) = struct.unpack("<Q", prefix)
            if length > SAFETENSORS_MAX_HEADER or 8 + length > size:
                return Problem(f"{name} is cut short inside its header ({size:,} bytes)")
            header = handle.read(length)
    except FileNotFoundError:
        return Problem(f"{name} is missing")
    except IsADirectoryError:
        return Problem(f"{name} is a folder, not a file")
    except OSError as error:
        return Problem(f"cannot read {name} ({error.strerror or error})", "unreadable")
    end = _data_end(header)
    if end is None:
        return Problem(f"{name} has a damaged header")
    expected = 8 + length + end
    if size < expected:
        return Problem(f"{name} is cut short: {size:,} of {expected:,} bytes")
    if size > expected:
        return Problem(f"{name} is {size:,} bytes, {size - expected:,} more than its header describes")
    return None


def _data_end(header: bytes) -> int | None:
    """Where the last tensor's data ends (0 for none), or None when the header is not valid."""
    try:
        entries = json.loads(header.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(entries, dict):
        return None
    end = 0
    for key, entry in entries.items():
        if key == "__metadata__":
            continue
        offsets = entry.get("data_offsets") if isinstance(entry, dict) else None
        if (
            not isinstance(offsets, list)
            or len(offsets) != 2
            or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)
            or not 0 <= offsets[0] <= offsets[1]
        ):
            return None
        end = max(end, offsets[1])
    return end


def _weights_problems(folder: Path) -> list[Problem]:
    """Every safetensors file the loader reads (the shard index's, or the folder's) must be whole."""
    names = {path.name for path in _listing(folder) if path.name.endswith(".safetensors")}
    index_path = folder / "model.safetensors.index.json"
    if index_path.exists():
        index, problem = read_json_object(index_path)
        if problem is not None:
            return [problem]
        assert index is not None
        weight_map = index.get("weight_map")
        if not isinstance(weight_map, dict) or not all(isinstance(v, str) for v in weight_map.values()):
            return [Problem(f"{index_path.name} has no usable weight_map")]
        shards = set(weight_map.values())
        outside = sorted(shard for shard in shards if not _plain_name(shard))
        if outside:
            return [Problem(f"{index_path.name} names a file outside the model folder: {printable(outside[0])}")]
        names |= shards
    if not names:
        return [Problem("no safetensors weights (model.safetensors is missing)")]
    return [problem for name in sorted(names) if (problem := safetensors_problem(folder / name)) is not None]


def _tokenizer_problems(folder: Path, family: str) -> list[Problem]:
    """The family's tokenizer files: one of its sets must be there, each file non-empty."""
    choices = get_family(family).tokenizer_files
    shortfalls: list[list[str]] = []
    for choice in choices:
        missing = []
        for name in choice:
            try:
                size = (folder / name).stat().st_size
            except FileNotFoundError:
                missing.append(f"{name} is missing")
                continue
            except OSError as error:
                return [Problem(f"cannot read {name} ({error.strerror or error})", "unreadable")]
            if size == 0:
                missing.append(f"{name} is empty")
        if not missing:
            return []
        shortfalls.append(missing)
    if len(choices) == 1:
        return [Problem(text) for text in shortfalls[0]]
    needed = ", or ".join(" and ".join(choice) for choice in choices)
    return [Problem(f"no usable tokenizer: a {family} model needs {needed}")]


def _manifest_problems(folder: Path, manifest: dict[str, Any]) -> list[Problem]:
    """Every file the manifest lists must be there, at the size it had when it was installed."""
    files = manifest.get("files")
    sizes = manifest.get("sizes") or {}
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files) or not isinstance(sizes, dict):
        return [Problem("its manifest's file list is damaged")]
    problems = []
    for name in files:
        if not _plain_path(name):
            problems.append(Problem(f"its manifest names a file outside the model folder: {printable(name)}"))
            continue
        try:
            actual = (folder / name).stat().st_size
        except FileNotFoundError:
            problems.append(Problem(f"{printable(name)} is missing"))
            continue
        except OSError as error:
            problems.append(Problem(f"cannot read {printable(name)} ({error.strerror or error})", "unreadable"))
            continue
        expected = sizes.get(name)
        if isinstance(expected, int) and actual != expected:
            problems.append(Problem(f"{printable(name)} is {actual:,} bytes; it was {expected:,} when installed"))
    return problems


def _links_out(folder: Path) -> list[Problem]:
    """Files of a model folder found by name that are symbolic links leading out of it."""
    inside = folder.resolve()
    problems = []
    for path in _listing(folder):
        if path.is_symlink() and not path.resolve().is_relative_to(inside):
            text = f"{printable(path.name)} is a symbolic link out of the model folder (to {path.resolve()})"
            problems.append(Problem(text))
    return problems


def _listing(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []  # an unreadable folder shows up as its unreadable files


def _plain_name(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..") and "\0" not in name


def _plain_path(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and "\0" not in name and not path.is_absolute() and ".." not in path.parts


def store_fault(name: str, folder: Path, problems: list[Problem], *, registered: bool) -> ModelStoreError:
    """The one-line error for a model that cannot be used: the model, what is wrong, the fix.

    `registered`: the folder is models/<name>/ of a registered model, which `models pull` can
    fetch again; any other folder can only be replaced by the user.
    """
    shown = "; ".join(problem.text for problem in problems[:SHOWN_PROBLEMS])
    if len(problems) > SHOWN_PROBLEMS:
        shown += f"; and {len(problems) - SHOWN_PROBLEMS} more"
    kinds = {problem.kind for problem in problems}
    store = folder.parent
    if "unreadable" in kinds:
        fix = readable_fix(folder)
    elif "unsupported" in kinds:
        fix = "use a model of a supported family (see: summarize models list)"
    elif not registered:
        fix = f"replace {folder} with a complete copy of the model"
    elif "in-the-way" in kinds:
        fix = f"{remove_command(name, store)} && {pull_command(name, store)}"
    else:
        fix = f"{pull_command(name, store)} (fetches it again)"
    return ModelStoreError(f"model '{printable(name)}' in {folder} cannot be used: {shown}; fix: {fix}")


def readable_fix(path: Path) -> str:
    return f"make it readable (chmod -R u+rwX {shlex.quote(str(path))}) or use another store (--models-dir)"


def pull_command(name: str, store: Path) -> str:
    return f"summarize models pull {name}{_store_option(store)}"


def remove_command(name: str, store: Path) -> str:
    return f"summarize models remove {name}{_store_option(store)}"


def _store_option(store: Path) -> str:
    """`--models-dir STORE` unless STORE is where summarize looks anyway (a fix must work as typed)."""
    if os.path.realpath(store) == os.path.realpath(configured_models_dir()):
        return ""
    return f" --models-dir {shlex.quote(str(store))}"
