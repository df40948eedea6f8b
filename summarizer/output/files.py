"""Atomic file writes and the sweeping of what killed or earlier runs left behind.

Every output file is written to a temp file in the same folder, flushed and fsynced, then renamed
over the old one (os.replace), so a run killed mid-write leaves the previous file intact, never
half of a new one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

# Temp files are hidden and carry this suffix, so a sweep finds exactly them.
TEMP_SUFFIX = ".tmp"


def atomic_write(path: Path, write: Callable[[IO[str]], object]) -> Path:
    """Write through `write(handle)` to a temp file beside `path`, then swap it in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        "w",
        encoding="utf-8",
        newline="\n",
        dir=path.parent,
        prefix=f".{path.name}.",
        suffix=TEMP_SUFFIX,
        delete=False,
    )
    try:
        with handle:
            # The temp file is created private (0600); the output gets what a plain open() would give.
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    # The only portable way to read the umask is to set it; it is put back at once.
    current = os.umask(0o022)
    os.umask(current)
    return current


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write(path, lambda handle: handle.write(text))


def sweep_temp_files(out_dir: Path) -> None:
    """Delete the temp files of a write that was killed between writing and renaming (in the
    output folder and its sub-folders, where writers put their pages)."""
    for partial in [*out_dir.glob(f".*{TEMP_SUFFIX}"), *out_dir.glob(f"*/.*{TEMP_SUFFIX}")]:
        partial.unlink(missing_ok=True)


def remove_stale(out_dir: Path, pattern: str, keep: set[Path]) -> None:
    """Delete files matching `pattern` that this run did not write (e.g. pages of articles that
    left the folder)."""
    for path in out_dir.glob(pattern):
        if path not in keep:
            path.unlink()
