"""A story's output folder switches as one generation: readers never see new pages beside an old
briefing, and a failed or killed write leaves the previous outputs as they were.

`outputs/<story>` is a symbolic link to `outputs/.generations/<story>/<n>/`, a folder holding one
complete set of outputs. A new set is written into `<n+1>.partial/` (each file flushed and fsynced),
renamed to `<n+1>/`, and the link is switched to it with one rename(2), which POSIX makes atomic:
every path under `outputs/<story>/` resolves either wholly in the old generation or wholly in the
new. The generation just replaced is kept until the next switch, so a reader that resolved the link
before the switch can finish reading it. Older generations are removed, and only the files
summarize wrote in them (listed in `<n>.written` beside each generation; for a plain folder of an
older version, those the state database records): files a user put in the output folder are
carried into each new generation (as hard links) and never deleted.

Any machine-side write failure (disk full, a file size limit, no permission, a read-only file system)
becomes a WriteError naming the file; what was being built is removed, and the link still points at
the previous generation.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import WriteError, shown_path, writing

log = logging.getLogger(__name__)

# Beside the story links, in the same parent folder: `.generations/<story>/<n>/`.
GENERATIONS = ".generations"
# A generation being written, or the link about to replace a story's link.
PARTIAL_SUFFIX = ".partial"
# Beside generation <n>: the files summarize wrote into it (JSON list of relative paths).
WRITTEN_SUFFIX = ".written"


@dataclass(frozen=True)
class Ledger:
    """What the state database records of one output folder's files: those of its last briefing
    (`written`) and the temp files an older version announced before a write (`temps`). It says
    which files of a plain output folder (left by an older version) are the tool's."""

    written: frozenset[Path] = frozenset()
    temps: frozenset[Path] = frozenset()

    def relative_to(self, out_dir: Path) -> frozenset[str]:
        """The recorded files that lie in `out_dir`, relative to it (others are never touched)."""
        found = set()
        for path in self.written | self.temps:
            if path.is_relative_to(out_dir) and ".." not in path.parts:
                found.add(path.relative_to(out_dir).as_posix())
        return frozenset(found)


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


def valid_text(text: str) -> str:
    """`text` as it can be written as UTF-8: a lone surrogate (which each writer should have
    replaced and recorded already) becomes U+FFFD rather than failing the write."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub(r"[\ud800-\udfff]", "\ufffd", text)
    return text


def publish(out_dir: Path, contents: dict[str, str], recorded: frozenset[str] = frozenset()) -> Switch:
    """Write `contents` (relative path -> text) as the next generation of `out_dir` and switch to it.

    The previous generation's files that summarize did not write are carried over. Which ones it
    wrote is listed beside each generation; for a plain folder of an older version, `recorded`
    (the state database's record, relative paths) says it, and without one nothing is taken as
    the tool's (every file there is carried, the new ones replacing those of the same name).
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
        ours = _written_into(previous, recorded) if previous is not None else frozenset()
        try:
            _build(staging, contents)
            if previous is not None:
                _carry_foreign_files(previous, staging, ours)
            _sync_tree(staging)
            write_file(_written_list(final), json.dumps(sorted(contents), ensure_ascii=False))
            os.rename(staging, final)
            _sync_dir(home)
            if legacy:
                previous = home / str(number - 1)
                write_file(_written_list(previous), json.dumps(sorted(ours), ensure_ascii=False))
                os.rename(out_dir, previous)
            _point(out_dir, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if not _points_at(out_dir, final):
                shutil.rmtree(final, ignore_errors=True)
                if legacy and previous is not None and previous != out_dir and not out_dir.exists():
                    os.rename(previous, out_dir)  # the plain folder goes back where it was
                sweep_partials(out_dir)  # and the lists of generations that are not there
            raise
    switch = Switch(out_dir, final, previous)
    _prune(home, keep={final, *([previous] if previous else [])}, newest=final)
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
        _written_list(switch.new).unlink(missing_ok=True)
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
        for listed in home.glob(f"*{WRITTEN_SUFFIX}"):
            if not (home / listed.name.removesuffix(WRITTEN_SUFFIX)).is_dir():
                listed.unlink()  # the list of a generation whose rename a kill prevented
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
    stem = name.removesuffix(PARTIAL_SUFFIX).removesuffix(WRITTEN_SUFFIX)
    return int(stem) if stem.isdigit() else None


def _written_list(generation: Path) -> Path:
    return generation.with_name(generation.name + WRITTEN_SUFFIX)


def _written_into(generation: Path, recorded: frozenset[str]) -> frozenset[str]:
    """The files summarize wrote into `generation`: its list, else what the database records."""
    try:
        return frozenset(json.loads(_written_list(generation).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return recorded


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


def _carry_foreign_files(previous: Path, staging: Path, ours: frozenset[str]) -> None:
    """Bring the files a user put in the output folder into the new generation (hard links where
    the file system has them, else copies; a link is carried as a link)."""
    for path, relative in _files(previous):
        if relative in ours or (staging / relative).exists() or (staging / relative).is_symlink():
            continue
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target, follow_symlinks=False)
        except OSError:
            shutil.copy2(path, target, follow_symlinks=False)


def _files(folder: Path) -> Iterator[tuple[Path, str]]:
    """Every file and link under `folder` (links to folders included, never followed)."""
    for root, folders, names in os.walk(folder):
        links = [name for name in folders if (Path(root) / name).is_symlink()]
        for name in [*names, *links]:
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


def _prune(home: Path, keep: set[Path], newest: Path) -> None:
    """Remove the generations not in `keep`: only the files summarize wrote there (or carried on
    to `newest`); a generation still holding anything else is left and reported."""
    for generation in _complete(home):
        if generation in keep:
            continue
        ours = _written_into(generation, frozenset())
        try:
            for path, relative in list(_files(generation)):
                if not _inside(path, generation):
                    continue  # reached through a link out of the folder: never deleted
                carried = newest / relative
                if relative in ours or ((carried.exists() or carried.is_symlink()) and _same_file(path, carried)):
                    path.unlink()
            for root, _, _ in sorted(os.walk(generation), key=lambda entry: -len(entry[0])):
                if not any(Path(root).iterdir()):
                    Path(root).rmdir()
            _written_list(generation).unlink(missing_ok=True)
        except OSError as error:
            # Cleaning up is not worth failing a written briefing for: the next switch tries again.
            log.warning("could not remove the old outputs %s: %s", shown_path(generation), error)
            continue
        if generation.exists():
            log.warning("kept %s: it holds files summarize did not write", shown_path(generation))


def _same_file(a: Path, b: Path) -> bool:
    """Whether `b` in the newest generation is `a` carried on (a hard link, or a copy)."""
    first, second = a.lstat(), b.lstat()
    if (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino):
        return True
    if a.is_symlink() or b.is_symlink():
        return a.is_symlink() and b.is_symlink() and os.readlink(a) == os.readlink(b)
    return first.st_size == second.st_size and a.read_bytes() == b.read_bytes()


def _inside(path: Path, folder: Path) -> bool:
    # The parent is resolved, the name is not: a link of that name is removed, never followed.
    return Path(os.path.realpath(path.parent)).is_relative_to(os.path.realpath(folder))
