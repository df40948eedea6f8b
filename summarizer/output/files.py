"""Atomic file writes and the removal of what killed or earlier runs left behind.

Every output file is written to a temp file in the same folder, flushed and fsynced, then renamed
over the old one (os.replace), so a run killed mid-write leaves the previous file intact, never
half of a new one. What a run leaves behind (temp files of a killed write, pages of articles
that left the folder) is deleted only when the state database records the tool as its writer.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

# Temp files are hidden and carry this suffix (a reader of the folder can tell them apart).
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class Ledger:
    """What the state database records of one output folder's files, so that a cleanup deletes
    only files the tool wrote: never a user's own `notes.tmp` or `articles/mine.md`.

    `written`: the files of the folder's last briefing, and those an unfinished write announced;
    `temps`: the temp files an unfinished write announced (a killed run leaves them);
    `announce(temps, finals)`: record the files a write is about to create, before it creates them.
    """

    written: frozenset[Path] = frozenset()
    temps: frozenset[Path] = frozenset()
    announce: Callable[[list[Path], list[Path]], None] = field(default=lambda temps, finals: None)


def temp_name(path: Path, token: str) -> Path:
    """The hidden temp file a write of `path` goes through; `token` makes it unique to one write."""
    return path.parent / f".{path.name}.{token}{TEMP_SUFFIX}"


def new_token() -> str:
    return secrets.token_hex(6)


def atomic_write(path: Path, write: Callable[[IO[str]], object], *, temp: Path | None = None) -> Path:
    """Write through `write(handle)` to a temp file beside `path` (`temp`, or a new name), then
    swap it in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp or temp_name(path, new_token())
    # Created exclusively and private (0600): an existing file or a link of that name is never
    # written through.
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        with open(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            # The output gets the permissions a plain open() would give.
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def valid_text(text: str) -> str:
    """`text` as it can be written as UTF-8: a lone surrogate (which each writer should have
    replaced and recorded already) becomes U+FFFD rather than failing the write."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub(r"[\ud800-\udfff]", "\ufffd", text)
    return text


def _umask() -> int:
    # The only portable way to read the umask is to set it; it is put back at once.
    current = os.umask(0o022)
    os.umask(current)
    return current


def atomic_write_text(path: Path, text: str, *, temp: Path | None = None) -> Path:
    return atomic_write(path, lambda handle: handle.write(text), temp=temp)


def remove_recorded(out_dir: Path, paths: Iterable[Path]) -> list[Path]:
    """Delete `paths` (files the state database records as the tool's) that lie in `out_dir`;
    return those deleted. A recorded path outside it (a database from a moved outputs folder)
    or one that became a folder is left alone."""
    removed = []
    for path in sorted(paths):
        if not _inside(path, out_dir):
            continue
        try:
            if stat.S_ISDIR(path.lstat().st_mode):
                continue
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    return removed


def _inside(path: Path, folder: Path) -> bool:
    # The parent is resolved, the name is not: a link of that name is removed, never followed.
    if path.name in ("", ".", ".."):
        return False
    return Path(os.path.realpath(path.parent)).is_relative_to(os.path.realpath(folder))
