"""Many story folders in one run: only new work is done, failures stay isolated, state survives kills.

A folder that directly holds article files is one story; a folder that holds none but has
sub-folders (an inbox) contributes each sub-folder as a story. A story whose articles, models and
settings are unchanged since its last briefing (and whose outputs are still there) is skipped
before any model is loaded.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import summarizer.progress as progress
from summarizer.cache import CACHE_FILE_NAME, Cache
from summarizer.document import Folder
from summarizer.errors import BusyError, ExitCode, InputError, ModelError, PromptError, StateError, SummarizerError
from summarizer.ingest.folder import load_folder
from summarizer.ingest.read import FOLDER_NOTE_REASON, display_name, is_folder_note, story_files, story_subfolders
from summarizer.paths import models_dir
from summarizer.run.database import prepare_database
from summarizer.run.pipeline import (
    FolderOutcome,
    ModelSession,
    RunOptions,
    brief_folder,
    check_models_installed,
    check_options,
)
from summarizer.run.state import State

log = logging.getLogger(__name__)

LOCK_FILE_NAME = ".summarize.lock"
# Tracebacks of unexpected per-folder failures go here, under the outputs folder, so that one
# folder's bug is on record while the run goes on with the others.
ERROR_LOG_NAME = "summarize-errors.log"


@dataclass
class FolderResult:
    path: str
    status: str  # briefed | unchanged | failed
    detail: str = ""
    out_dir: str | None = None
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    outcome: FolderOutcome | None = None
    # True when the folder failed on an unexpected exception (a bug), not on its data.
    internal_error: bool = False


@dataclass
class BatchResult:
    folders: list[FolderResult]
    cache_hits: dict[str, int]
    cache_misses: dict[str, int]
    # Files that belong to no story (folder notes beside story sub-folders), with the reason.
    ignored_files: list[tuple[str, str]] = field(default_factory=list)
    # Where this run read models and wrote outputs (the defaults depend on the install).
    models_dir: str = ""
    outputs_root: str = ""

    @property
    def exit_code(self) -> ExitCode:
        statuses = [f.status for f in self.folders]
        if any(f.internal_error for f in self.folders):
            return ExitCode.INTERNAL
        if statuses and all(s == "failed" for s in statuses):
            return ExitCode.NO_INPUT
        if "failed" in statuses or any(_counts_as_skipped(f.skipped_files) for f in self.folders):
            return ExitCode.PARTIAL
        return ExitCode.OK

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.folders if f.status == s) for s in ("briefed", "unchanged", "failed")}


@dataclass
class Discovery:
    """The story folders a command line names, and what was decided about mixed folders."""

    stories: list[Path]
    # Folder notes lying beside story sub-folders, which belong to no story: (path, reason).
    ignored: list[tuple[str, str]] = field(default_factory=list)
    # One line per mixed folder saying how it was read.
    decisions: list[str] = field(default_factory=list)


def _counts_as_skipped(skipped: list[tuple[str, str]]) -> bool:
    """A folder note (README beside the articles) is reported but is not a file the user lost."""
    return any(reason != FOLDER_NOTE_REASON for _, reason in skipped)


def discover_stories(paths: list[Path], *, follow_symlinks: bool = False) -> Discovery:
    """The story folders named by the command line, in a stable order, each once.

    A folder of files is one story; a folder of sub-folders is an inbox whose sub-folders are
    stories. A folder holding both loses neither: its sub-folders are stories and its loose
    article files form a story of their own; loose folder notes (README, ...) are ignored, with a
    reason. Each such decision is reported. Sub-folders that are symbolic links (one could lead
    to `/`) are not followed unless `follow_symlinks`; each one left out is reported.
    """
    discovery = Discovery([])
    for path in paths:
        if not path.is_dir():
            raise InputError(f"not a folder: {display_name(str(path))}")
        files = [f for f in story_files(path) if not f.is_dir()]
        subfolders = story_subfolders(path)
        if not follow_symlinks:
            for link in (s for s in subfolders if s.is_symlink()):
                discovery.decisions.append(
                    f"skipped {display_name(str(link))}: symbolic link to a folder; not followed "
                    "(pass --follow-symlinks)"
                )
            subfolders = [s for s in subfolders if not s.is_symlink()]
        if not subfolders:
            discovery.stories.append(path)
            continue
        discovery.stories.extend(subfolders)
        articles = [f for f in files if not is_folder_note(f)]
        notes = [f for f in files if is_folder_note(f)]
        if articles:
            discovery.stories.append(path)
            discovery.decisions.append(
                f"{path}: {len(subfolders)} sub-folder(s) briefed as stories, and its "
                f"{len(articles)} loose file(s) as a story of their own"
            )
        elif notes:
            discovery.ignored.extend((str(note), FOLDER_NOTE_REASON) for note in notes)
            discovery.decisions.append(
                f"{path}: {len(subfolders)} sub-folder(s) briefed as stories; "
                f"ignored {', '.join(n.name for n in notes)} ({FOLDER_NOTE_REASON})"
            )
    unique: dict[Path, Path] = {}
    for story in discovery.stories:
        unique.setdefault(story.resolve(), story)
    discovery.stories = list(unique.values())
    return discovery


@contextmanager
def outputs_lock(outputs_root: Path, *, wait: bool) -> Iterator[None]:
    """Hold an exclusive lock on the outputs folder for the whole run."""
    lock_path = outputs_root / LOCK_FILE_NAME
    try:
        outputs_root.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 - closed by the with below
    except OSError as error:
        raise StateError(f"cannot write in the outputs folder {outputs_root}: {error.strerror or error}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise BusyError(
                f"another summarize run (pid {holder}) is writing to {outputs_root}; "
                "wait for it to finish or pass --wait"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_batch(
    paths: list[Path],
    options: RunOptions,
    outputs_root: Path,
    *,
    force: bool = False,
    wait: bool = False,
    arguments: list[str] | None = None,
    on_folder=None,
    follow_symlinks: bool = False,
) -> BatchResult:
    """Brief every story folder under `paths` that needs it; never let one folder sink the rest."""
    check_options(options)
    discovery = discover_stories(paths, follow_symlinks=follow_symlinks)
    for decision in discovery.decisions:
        log.warning("%s", decision)
    with outputs_lock(outputs_root, wait=wait):
        for warning in prepare_database(outputs_root / CACHE_FILE_NAME):
            log.error("%s", warning)  # shown even with --quiet: caches or history were lost
        state = State(outputs_root / CACHE_FILE_NAME)
        cache = Cache(outputs_root / CACHE_FILE_NAME)
        session = ModelSession(options)
        run_id = state.start_run([display_name(argument) for argument in arguments or []])
        results: list[FolderResult] = []
        status = "interrupted"
        error_line = ""
        try:
            # Every folder is read first: only then is it known whether any needs the translator,
            # and a missing model is reported before any folder is briefed.
            read = {story: _read_story(story, follow_symlinks) for story in discovery.stories}
            check_models_installed(options, [f for f in read.values() if isinstance(f, Folder)])
            total = len(discovery.stories)
            folders_bar = progress.bar("folders", total, "folders", enabled=options.progress)
            try:
                for story in discovery.stories:
                    # The one folder-level bar names the folder being worked on.
                    folders_bar.working_on(story.name)
                    result = _run_story_isolated(
                        story, read.pop(story), options, outputs_root, state, cache, session, force
                    )
                    state.record_run_folder(run_id, result.path, result.status, result.detail)
                    results.append(result)
                    folders_bar.update(1)
                    if on_folder is not None:
                        on_folder(result)
            finally:
                folders_bar.close()
            batch = BatchResult(
                results,
                dict(cache.hits),
                dict(cache.misses),
                discovery.ignored,
                models_dir=str(models_dir(options.models_dir)),
                outputs_root=str(outputs_root),
            )
            status = {ExitCode.OK: "ok", ExitCode.PARTIAL: "partial"}.get(batch.exit_code, "failed")
            return batch
        except Exception as error:
            # KeyboardInterrupt is not an Exception: that run stays recorded as "interrupted".
            status = "failed"
            error_line = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise
        finally:
            summary = {"folders": [(r.path, r.status, r.detail) for r in results], "error": error_line}
            state.finish_run(run_id, status, summary)
            cache.close()
            state.close()


def _read_story(story: Path, follow_symlinks: bool) -> Folder | Exception:
    """The story folder read and cleaned, or what went wrong (reported when its turn comes)."""
    try:
        with progress.step(f"{display_name(story.name)}: reading and cleaning the articles"):
            return load_folder(story, follow_symlinks=follow_symlinks)
    except Exception as error:  # noqa: BLE001  (one unreadable folder must not sink the others)
        return error


def _run_story_isolated(
    story: Path,
    read: Folder | Exception,
    options: RunOptions,
    outputs_root: Path,
    state: State,
    cache: Cache,
    session: ModelSession,
    force: bool,
) -> FolderResult:
    """_run_story, with any unexpected exception turned into this folder's failure.

    Model and prompt errors still stop the run (every later folder would fail the same way), and
    so do KeyboardInterrupt and SystemExit, which are not Exceptions.
    """
    try:
        return _run_story(story, read, options, outputs_root, state, cache, session, force)
    except (ModelError, PromptError):
        raise
    except Exception as error:  # noqa: BLE001  (a bug in one folder must not sink the others)
        key = display_name(str(story.resolve()))
        log_path = _log_internal_error(outputs_root, story, error)
        detail = f"internal error: {type(error).__name__}: {error} (traceback in {log_path})"
        log.error("%s: %s", display_name(str(story)), detail)
        state.claim_out_dir(key, display_name(story.resolve().name), outputs_root)
        state.record_failed(key, detail)
        return FolderResult(key, "failed", detail, internal_error=True)


def _log_internal_error(outputs_root: Path, story: Path, error: Exception) -> Path:
    log_path = outputs_root / ERROR_LOG_NAME
    trace = "".join(traceback.format_exception(error))
    with open(log_path, "a", encoding="utf-8", errors="backslashreplace") as handle:
        handle.write(f"--- {display_name(str(story))} (pid {os.getpid()})\n{trace}\n")
    return log_path


def _run_story(
    story: Path,
    read: Folder | Exception,
    options: RunOptions,
    outputs_root: Path,
    state: State,
    cache: Cache,
    session: ModelSession,
    force: bool,
) -> FolderResult:
    key = display_name(str(story.resolve()))
    shown = display_name(str(story))
    if isinstance(read, InputError):
        state.claim_out_dir(key, display_name(story.resolve().name), outputs_root)
        state.record_failed(key, str(read))
        log.warning("%s: %s", shown, read)
        return FolderResult(key, "failed", str(read))
    if isinstance(read, Exception):
        raise read
    folder = read
    skipped = [(s.path, s.reason) for s in folder.skipped]
    for path, reason in skipped:
        log.warning("skipped %s/%s: %s", shown, path, reason)
    out_dir = state.claim_out_dir(key, folder.name, outputs_root)
    # The formats decide which files must exist, so choosing others re-briefs the folder.
    settings = {**options.settings(), "revisions": session.revisions_for(folder), "formats": list(options.formats)}
    articles = sorted((a.id, a.source.sha256) for a in folder.articles)
    fingerprint = _fingerprint(articles, skipped, settings)
    known = state.folder(key)
    if not force and known and known.fingerprint == fingerprint and _outputs_present(known.outputs):
        return FolderResult(key, "unchanged", "articles, models and settings unchanged", str(out_dir), skipped)
    try:
        outcome = brief_folder(folder, options, session, cache, out_dir)
    except (ModelError, PromptError):
        # Every later folder would fail the same way: stop the run with the one message (and its
        # exit code: a broken prompt is a usage error, not a folder without input).
        raise
    except SummarizerError as error:
        state.record_failed(key, str(error))
        log.warning("%s: %s", shown, error)
        return FolderResult(key, "failed", str(error), str(out_dir), skipped)
    state.record_briefed(key, fingerprint, settings, articles, outcome.paths)
    for article_id, reason in outcome.not_briefed:
        log.warning("not briefed %s/%s: %s", shown, article_id, reason)
    skipped += outcome.not_briefed
    return FolderResult(key, "briefed", f"{outcome.points} key points", str(out_dir), skipped, outcome)


def _fingerprint(articles: list[tuple[str, str]], skipped: list[tuple[str, str]], settings: dict) -> str:
    payload = json.dumps({"articles": articles, "skipped": sorted(skipped), "settings": settings}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _outputs_present(outputs: tuple[str, ...]) -> bool:
    return bool(outputs) and all(Path(p).is_file() for p in outputs)
