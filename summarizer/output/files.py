"""A story's output folder switches as one generation: readers never see new pages beside an old
briefing, and a failed or killed write leaves the previous outputs as they were.

`outputs/<story>` is a symbolic link to `outputs/.generations/<story>/<n>/`, a folder holding one
complete set of outputs. A new set is written into `<n+1>.partial/` (each file flushed and fsynced),
renamed to `<n+1>/`, and the link is switched to it with one rename(2), which POSIX makes atomic:
every path under `outputs/<story>/` resolves either wholly in the old generation or wholly in the
new. The generation just replaced is kept until the next switch, so a reader that resolved the link
before the switch can finish reading it. Older generations are removed, and only the files
summarize wrote in them: files a user put in the output folder are carried into each new generation
(as hard links) and never deleted.

Any machine-side write failure (disk full, a file size limit, no permission, a read-only file system)
becomes a WriteError naming the file; what was being built is removed, and the link still points at
the previous generation.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import WriteError, shown_path, writing

log = logging.getLogger(__name__)

# Beside the story links, in the same parent folder: `.generations/<story>/<n>/`.
GENERATIONS = ".generations"
# A generation being written, or the link about to replace a story's link.
PARTIAL_SUFFIX = ".partial"
# Temp files of the single-file atomic writes of earlier versions; never carried into a generation.
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class Switch:
    """One switch of a story's link: enough to undo it while the replaced generation still exists."""

    out_dir: Path
    new: Path
    previous: Path | None  # the generation the link pointed at before, if any


def generations_home(out_dir: Path) -> Path:
    return out_dir.parent / GENERATIONS / out_dir.name


def write_file(path: Path, text: str) -> None:
    """Write `text` to a new file and make it durable before anything can point at it.

    The mode is what a plain open() gives (the umask decides), like any file the user creates.
    """
    with writing(path), open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def publish(out_dir: Path, contents: dict[str, str], is_tool_file: Callable[[str], bool]) -> Switch:
    """Write `contents` (relative path -> text) as the next generation of `out_dir` and switch to it.

    `is_tool_file(relative)` says whether a file in the previous generation is one summarize
    makes (a briefing, an article page): those are not carried over, everything else is.
    """
    home = generations_home(out_dir)
    with writing(home):
        home.mkdir(parents=True, exist_ok=True)
        sweep_partials(out_dir)
        previous = current_generation(out_dir)
        number = _next_number(home)
        legacy = previous is not None and previous == out_dir  # a plain folder from an older summarize
        if legacy:
            number += 1  # `number` is kept for the plain folder once it is moved in
        staging = home / f"{number}{PARTIAL_SUFFIX}"
        final = home / str(number)
        try:
            _build(staging, contents)
            if previous is not None:
                _carry_foreign_files(previous, staging, is_tool_file)
            _sync_tree(staging)
            os.rename(staging, final)
            _sync_dir(home)
            if legacy:
                previous = home / str(number - 1)
                os.rename(out_dir, previous)
            _point(out_dir, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if not _points_at(out_dir, final):
                shutil.rmtree(final, ignore_errors=True)
                if legacy and previous is not None and previous != out_dir and not out_dir.exists():
                    os.rename(previous, out_dir)  # the plain folder goes back where it was
            raise
    switch = Switch(out_dir, final, previous)
    _prune(home, keep={final, *([previous] if previous else [])}, newest=final, is_tool_file=is_tool_file)
    return switch


def undo(switch: Switch) -> None:
    """Point the story back at the generation it had before `switch` (its files are untouched) and
    remove the new one; best effort, since this runs while another failure is being reported."""
    try:
        if switch.previous is not None:
            _point(switch.out_dir, switch.previous)
        elif switch.out_dir.is_symlink():
            switch.out_dir.unlink()
        shutil.rmtree(switch.new, ignore_errors=True)
    except OSError as error:
        log.warning("could not switch %s back to its previous outputs: %s", shown_path(switch.out_dir), error)


def current_generation(out_dir: Path) -> Path | None:
    """The folder `out_dir` shows now: its generation, `out_dir` itself if it is a plain folder, or
    (the link lost to a kill, or deleted) the newest complete generation; None if there is none."""
    if out_dir.is_symlink():
        target = _own_target(out_dir)
        return target if target.is_dir() else _newest(generations_home(out_dir))
    if out_dir.is_dir():
        return out_dir
    if out_dir.exists():
        raise WriteError(f"{shown_path(out_dir)} is a file, not an output folder; move it away and run again")
    return _newest(generations_home(out_dir))


def sweep_partials(out_dir: Path) -> None:
    """Delete what a killed or failed write left: half-built generations and a half-made link."""
    home = generations_home(out_dir)
    if home.is_dir():
        for partial in home.glob(f"*{PARTIAL_SUFFIX}"):
            shutil.rmtree(partial, ignore_errors=True)
    link = _link_temp(out_dir)
    if link.is_symlink() or link.exists():
        link.unlink()


def _own_target(out_dir: Path) -> Path:
    """Where the link `out_dir` points; refuse a link summarize did not make (it would be
    silently redirected)."""
    target = Path(os.readlink(out_dir))
    home = generations_home(out_dir)
    resolved = out_dir.parent / target
    if target.is_absolute() or resolved.parent != home:
        raise WriteError(
            f"{shown_path(out_dir)} is a link summarize did not make (to {shown_path(target)}); "
            "remove it (or choose another outputs folder) and run again"
        )
    return resolved


def _points_at(out_dir: Path, generation: Path) -> bool:
    return out_dir.is_symlink() and out_dir.parent / os.readlink(out_dir) == generation


def _next_number(home: Path) -> int:
    numbers = [_number(entry.name) for entry in home.iterdir()]
    return max([n for n in numbers if n is not None], default=0) + 1


def _number(name: str) -> int | None:
    stem = name.removesuffix(PARTIAL_SUFFIX)
    return int(stem) if stem.isdigit() else None


def _complete(home: Path) -> list[Path]:
    """The complete generations in `home`, oldest first."""
    if not home.is_dir():
        return []
    found = [(n, entry) for entry in home.iterdir() if entry.is_dir() and (n := _number(entry.name)) is not None]
    return [entry for n, entry in sorted(found) if not entry.name.endswith(PARTIAL_SUFFIX)]


def _newest(home: Path) -> Path | None:
    complete = _complete(home)
    return complete[-1] if complete else None


def _build(staging: Path, contents: dict[str, str]) -> None:
    staging.mkdir()
    for relative, text in contents.items():
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, text)


def _carry_foreign_files(previous: Path, staging: Path, is_tool_file: Callable[[str], bool]) -> None:
    """Bring the files a user put in the output folder into the new generation (hard links where
    the file system has them, else copies)."""
    for path, relative in _files(previous):
        if is_tool_file(relative) or path.name.endswith(TEMP_SUFFIX) or (staging / relative).exists():
            continue
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target, follow_symlinks=False)
        except OSError:
            shutil.copy2(path, target, follow_symlinks=False)


def _files(folder: Path) -> Iterator[tuple[Path, str]]:
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            yield path, path.relative_to(folder).as_posix()


def _sync_tree(folder: Path) -> None:
    """fsync every folder of a generation (its files were synced as they were written), so the
    names are on disk before the link can point at them."""
    for root, _, _ in os.walk(folder):
        _sync_dir(Path(root))


def _sync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _link_temp(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.link{PARTIAL_SUFFIX}"


def _point(out_dir: Path, generation: Path) -> None:
    """Make `out_dir` a link to `generation` with one atomic rename (relative, so the outputs
    folder can be moved or copied whole)."""
    link = _link_temp(out_dir)
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(os.path.relpath(generation, out_dir.parent), link)
    try:
        os.replace(link, out_dir)
    except BaseException:
        link.unlink(missing_ok=True)
        raise
    _sync_dir(out_dir.parent)


def _prune(home: Path, keep: set[Path], newest: Path, is_tool_file: Callable[[str], bool]) -> None:
    """Remove the generations not in `keep`: only the files summarize wrote there (or carried on
    to `newest`); a generation still holding anything else is left and reported."""
    for generation in _complete(home):
        if generation in keep:
            continue
        try:
            for path, relative in list(_files(generation)):
                carried = newest / relative
                ours = is_tool_file(relative) or path.name.endswith(TEMP_SUFFIX)
                if ours or (carried.exists() and _same_file(path, carried)):
                    path.unlink()
            for root, _, _ in sorted(os.walk(generation), key=lambda entry: -len(entry[0])):
                if not any(Path(root).iterdir()):
                    Path(root).rmdir()
        except OSError as error:
            # Cleaning up is not worth failing a written briefing for: the next switch tries again.
            log.warning("could not remove the old outputs %s: %s", shown_path(generation), error)
            continue
        if generation.exists():
            log.warning("kept %s: it holds files summarize did not write", shown_path(generation))


def _same_file(a: Path, b: Path) -> bool:
    if os.path.samefile(a, b):
        return True
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
