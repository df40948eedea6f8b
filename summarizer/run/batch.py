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
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any, TypeVar

import summarizer.progress as progress
from summarizer.cache import CACHE_FILE_NAME, Cache
from summarizer.document import Folder
from summarizer.errors import (
    BusyError,
    ExitCode,
    InputError,
    ModelError,
    PromptError,
    StateError,
    SummarizerError,
    WriteError,
    writing,
)
from summarizer.ingest.folder import load_folder
from summarizer.ingest.read import FOLDER_NOTE_REASON, display_name, is_folder_note, story_files, story_subfolders
from summarizer.paths import models_dir
from summarizer.run.database import LOCK_FILE_NAME, prepare_database
from summarizer.run.executors import (
    BriefJob,
    Executor,
    JobDone,
    LocalExecutor,
    check_executor,
    check_local_device,
    error_name,
    make_executor,
)
from summarizer.run.interrupt import StopRequests
from summarizer.run.overlap import check_outputs_apart, overlap, real_path, refusal
from summarizer.run.pipeline import (
    FolderOutcome,
    ModelSession,
    RunOptions,
    check_models_installed,
    check_options,
    write_briefing,
)
from summarizer.run.state import State

log = logging.getLogger(__name__)

# Tracebacks of unexpected per-folder failures go here, under the outputs folder, so that one
# folder's bug is on record while the run goes on with the others.
ERROR_LOG_NAME = "summarize-errors.log"
# Tries at taking a busy outputs lock before refusing (see _lock_now), and the pause between them.
_LOCK_TRIES = 5
_LOCK_RETRY_S = 0.05
# How the run history lists the folders a Ctrl-C kept from being started, or (pressed twice) abandoned.
NOT_STARTED = "not started"
ABANDONED = "abandoned"
_T = TypeVar("_T")


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
    # Where folders were briefed (Executor.describe()).
    executor: dict[str, Any] = field(default_factory=lambda: {"name": "local"})
    # Folders left alone because Ctrl-C asked to stop after the ones in progress.
    not_started: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        statuses = [f.status for f in self.folders]
        if any(f.internal_error for f in self.folders):
            return ExitCode.INTERNAL
        if self.not_started:
            return ExitCode.INTERRUPTED
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


def discover_stories(
    paths: list[Path], *, follow_symlinks: bool = False, outputs_root: Path | None = None
) -> Discovery:
    """The story folders named by the command line, in a stable order, each once.

    A folder of files is one story; a folder of sub-folders is an inbox whose sub-folders are
    stories. A folder holding both loses neither: its sub-folders are stories and its loose
    article files form a story of their own; loose folder notes (README, ...) are ignored, with a
    reason. Each such decision is reported. Sub-folders that are symbolic links (one could lead
    to `/`) are not followed unless `follow_symlinks`; each one left out is reported. An inbox
    may hold the outputs folder (`-o inbox/outputs`): that sub-folder is never a story.
    """
    discovery = Discovery([])
    for path in paths:
        if not path.is_dir():
            raise InputError(f"not a folder: {display_name(str(path))}")
        files = [f for f in story_files(path) if not f.is_dir()]
        subfolders = story_subfolders(path)
        if outputs_root is not None:
            outputs = [s for s in subfolders if real_path(s) == real_path(outputs_root)]
            discovery.decisions += [f"skipped {display_name(str(s))}: it is the outputs folder" for s in outputs]
            subfolders = [s for s in subfolders if s not in outputs]
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
        if not _lock_now(handle):
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            if not wait:
                raise BusyError(
                    f"another summarize run (pid {holder}) is writing to {outputs_root}; "
                    "wait for it to finish or pass --wait"
                )
            log.warning("another summarize run (pid %s) is writing to %s; waiting for it", holder, outputs_root)
            fcntl.flock(handle, fcntl.LOCK_EX)
        # Unbuffered, so a failed write (a file size limit) is reported here and not again on close.
        with writing(lock_path):
            os.ftruncate(handle.fileno(), 0)
            os.write(handle.fileno(), str(os.getpid()).encode())
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_now(handle: IO[str]) -> bool:
    """Take the outputs lock if no run holds it. `status` holds it shared for an instant to see
    whether a run is writing (run.database.run_in_progress), so a refusal is tried again briefly."""
    for _ in range(_LOCK_TRIES):
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            time.sleep(_LOCK_RETRY_S)
        else:
            return True
    return False


def run_batch(
    paths: list[Path],
    options: RunOptions,
    outputs_root: Path,
    *,
    force: bool = False,
    wait: bool = False,
    arguments: list[str] | None = None,
    on_folder: Callable[[FolderResult], None] | None = None,
    executor: str = "local",
    ray_address: str | None = None,
    ray_actors: int | None = None,
    follow_symlinks: bool = False,
    stop: StopRequests | None = None,
) -> BatchResult:
    """Brief every story folder under `paths` that needs it; never let one folder sink the rest.

    `executor` decides where folders are briefed (`local`: this process; `ray`: `ray_actors`
    actors, by default as many as the cluster has room for, of the Ray cluster at
    `ray_address`, or of a local one); the outputs are the same either way. `stop` (installed as
    the SIGINT handler by the caller) lets a first Ctrl-C finish the folders in progress.
    """
    check_options(options)
    check_executor(executor, ray_actors)
    discovery = discover_stories(paths, follow_symlinks=follow_symlinks, outputs_root=outputs_root)
    check_outputs_apart(paths, discovery.stories, outputs_root)
    for decision in discovery.decisions:
        log.warning("%s", decision)
    with Driver(
        options,
        outputs_root,
        wait=wait,
        executor=executor,
        ray_address=ray_address,
        ray_actors=ray_actors,
        follow_symlinks=follow_symlinks,
        stop=stop,
    ) as driver:
        return driver.run(
            discovery.stories, force=force, arguments=arguments, on_folder=on_folder, ignored=discovery.ignored
        )


@dataclass
class _Prepared:
    """A story that needs briefing, with what the driver records once its briefing is written."""

    story: Path
    key: str
    out_dir: Path
    fingerprint: str
    settings: dict
    articles: list[tuple[str, str]]
    skipped: list[tuple[str, str]]


class Driver:
    """Owns one outputs folder for a while (its lock, state, cache and files) and briefs batches
    of story folders through an executor, whose models stay loaded from one batch to the next."""

    def __init__(
        self,
        options: RunOptions,
        outputs_root: Path,
        *,
        wait: bool = False,
        executor: str = "local",
        ray_address: str | None = None,
        ray_actors: int | None = None,
        follow_symlinks: bool = False,
        stop: StopRequests | None = None,
    ) -> None:
        self.options = options
        self.follow_symlinks = follow_symlinks
        self.outputs_root = outputs_root
        self.stop = stop or StopRequests()
        self._wait = wait
        self._executor_name = executor
        self._ray_address = ray_address
        self._ray_actors = ray_actors
        self._stack = ExitStack()

    def __enter__(self) -> Driver:
        check_options(self.options)
        check_executor(self._executor_name, self._ray_actors)
        with ExitStack() as stack:
            stack.enter_context(outputs_lock(self.outputs_root, wait=self._wait))
            for warning in prepare_database(self.outputs_root / CACHE_FILE_NAME):
                log.error("%s", warning)  # shown even with --quiet: caches or history were lost
            self.state = State(self.outputs_root / CACHE_FILE_NAME)
            stack.callback(self.state.close)
            self.cache = Cache(self.outputs_root / CACHE_FILE_NAME)
            stack.callback(self.cache.close)
            if self._executor_name == "local":
                check_local_device(self.options)
                self.session = ModelSession(self.options)
                self.executor: Executor = LocalExecutor(self.options, self.session)
            else:
                self.executor = make_executor(
                    self._executor_name, self.options, ray_address=self._ray_address, actors=self._ray_actors
                )
                # GPU actors run the models with device cuda, and each folder's settings must say so.
                self.options = self.executor.options
                # Revisions are read on the driver only (for fingerprints); workers hold their own models.
                self.session = ModelSession(self.options)
            stack.callback(self.executor.close)
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()

    def run(
        self,
        stories: list[Path],
        *,
        force: bool = False,
        arguments: list[str] | None = None,
        on_folder: Callable[[FolderResult], None] | None = None,
        ignored: list[tuple[str, str]] | None = None,
    ) -> BatchResult:
        """Brief `stories` as one recorded run; results come back in the order of `stories`.

        Once Ctrl-C has asked to stop (self.stop), the folders in progress are finished and no
        other is started; those are listed as not started and the run is recorded as interrupted.
        """
        state, cache, stop = self.state, self.cache, self.stop
        hits_before, misses_before = Counter(cache.hits), Counter(cache.misses)
        run_id = state.start_run([display_name(argument) for argument in arguments or []])
        done: dict[Path, FolderResult] = {}
        status = "interrupted"
        error_line = ""
        returning = False  # True once the run ends normally (not on an exception)
        bar: Any = None

        def finished(story: Path, result: FolderResult) -> None:
            state.record_run_folder(run_id, result.path, result.status, result.detail)
            done[story] = result
            stop.ended(display_name(str(story)))
            bar.update(1)
            if on_folder is not None:
                on_folder(result)

        def jobs() -> Iterator[BriefJob]:
            for story in stories:
                if stop.requested:
                    return
                # The folder bar names the folder last handed out (with Ray, several are in flight).
                bar.working_on(story.name)
                prepared = self._isolated(story, partial(self._prepare, story, read.pop(story), force))
                if isinstance(prepared, FolderResult):
                    finished(story, prepared)
                else:
                    stop.started(display_name(str(story)))
                    yield BriefJob(prepared[0], context=prepared[1])

        try:
            # Every folder is read first: only then is it known whether any needs the translator,
            # and a missing model is reported before any folder is briefed.
            read = {story: _read_story(story, self.follow_symlinks) for story in stories}
            check_models_installed(self.options, [f for f in read.values() if isinstance(f, Folder)])
            bar = progress.bar("folders", len(stories), "folders", enabled=self.options.progress)
            for job_done in self.executor.brief_all(jobs(), cache):
                work: _Prepared = job_done.job.context
                # A second Ctrl-C while the outputs are written takes effect once they are recorded.
                with stop.shielded():
                    finished(work.story, self._isolated(work.story, partial(self._finish, job_done, work)))
            results = [done[story] for story in stories if story in done]
            not_started = [display_name(str(story)) for story in stories if story not in done]
            hits = {name: n - hits_before[name] for name, n in cache.hits.items()}
            misses = {name: n - misses_before[name] for name, n in cache.misses.items()}
            batch = BatchResult(
                results,
                hits,
                misses,
                list(ignored or []),
                models_dir=str(models_dir(self.options.models_dir)),
                outputs_root=str(self.outputs_root),
                executor=self.executor.describe(),
                not_started=not_started,
            )
            status = {ExitCode.OK: "ok", ExitCode.PARTIAL: "partial", ExitCode.INTERRUPTED: "interrupted"}.get(
                batch.exit_code, "failed"
            )
            error_line = _failure_reason(batch)
            returning = True
            return batch
        except Exception as error:
            # KeyboardInterrupt is not an Exception: that run stays recorded as "interrupted".
            status = "failed"
            error_line = _error_line(error)
            raise
        finally:
            if bar is not None:
                bar.close()
            try:
                ordered = [(r.path, r.status, r.detail) for r in (done[story] for story in stories if story in done)]
                if stop.requested:
                    for story in (s for s in stories if s not in done):
                        path = display_name(str(story.resolve()))
                        if display_name(str(story)) in stop.in_progress:
                            entry = (path, ABANDONED, "a second Ctrl-C abandoned it; the next run briefs it")
                        else:
                            entry = (path, NOT_STARTED, "Ctrl-C stopped the run before it was started")
                        state.record_run_folder(run_id, *entry)
                        ordered.append(entry)
                state.finish_run(run_id, status, {"folders": ordered, "error": error_line})
            except WriteError as failure:
                # When the run is already stopping on an error (the disk is full), failing to
                # record its end too must not replace the error the user needs to see.
                if returning:
                    raise
                log.debug("could not record the end of run %s: %s", run_id, failure)

    def _isolated(self, story: Path, step: Callable[[], _T]) -> _T | FolderResult:
        """`step`, with any unexpected exception turned into this folder's failure.

        Model, prompt and write errors still stop the run (every later folder would fail the same
        way: a full disk stays full), and so do KeyboardInterrupt and SystemExit, which are not
        Exceptions.
        """
        try:
            return step()
        except (ModelError, PromptError, WriteError):
            raise
        except Exception as error:  # noqa: BLE001  (a bug in one folder must not sink the others)
            return self._internal_failure(story, error, "".join(traceback.format_exception(error)))

    def _internal_failure(self, story: Path, error: BaseException, trace: str) -> FolderResult:
        key = display_name(str(story.resolve()))
        log_path = _log_internal_error(self.outputs_root, story, trace)
        detail = f"internal error: {error_name(error)}: {error} (traceback in {log_path})"
        log.error("%s: %s", display_name(str(story)), detail)
        self.state.claim_out_dir(key, display_name(story.resolve().name), self.outputs_root)
        self.state.record_failed(key, detail)
        return FolderResult(key, "failed", detail, internal_error=True)

    def _prepare(self, story: Path, read: Folder | Exception, force: bool) -> FolderResult | tuple[Folder, _Prepared]:
        """Decide about a read story: a result already (unreadable, or unchanged) or work to send."""
        state, outputs_root = self.state, self.outputs_root
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
        how = overlap(story, out_dir)
        if how is not None:  # a link in the outputs folder leading into the story: write nothing there
            detail = refusal(story, out_dir, how, "the story's outputs folder")
            state.record_failed(key, detail)
            log.warning("%s: %s", shown, detail)
            return FolderResult(key, "failed", detail, skipped_files=skipped)
        # The formats decide which files must exist, so choosing others re-briefs the folder.
        settings = {
            **self.options.settings(),
            # Not the resolved runtimes: deciding them imports torch and CTranslate2, which a
            # folder found unchanged never needs (they are recorded in briefing.json instead).
            "revisions": self.session.revisions_for(folder),
            "formats": list(self.options.formats),
        }
        articles = sorted((a.id, a.source.sha256) for a in folder.articles)
        fingerprint = _fingerprint(articles, skipped, settings)
        known = state.folder(key)
        if not force and known and known.fingerprint == fingerprint and _outputs_present(known.outputs):
            return FolderResult(key, "unchanged", "articles, models and settings unchanged", str(out_dir), skipped)
        return folder, _Prepared(story, key, out_dir, fingerprint, settings, articles, skipped)

    def _finish(self, done: JobDone, prepared: _Prepared) -> FolderResult:
        """Write a briefed folder's outputs and record it, or record why it failed."""
        story, key, out_dir, skipped = prepared.story, prepared.key, prepared.out_dir, list(prepared.skipped)
        if done.error is not None:
            if isinstance(done.error, SummarizerError):
                self.state.record_failed(key, str(done.error))
                log.warning("%s: %s", display_name(str(story)), done.error)
                return FolderResult(key, "failed", str(done.error), str(out_dir), skipped)
            return self._internal_failure(story, done.error, done.trace)
        assert done.record is not None, "a job without an error has a record"
        outcome = write_briefing(
            done.record,
            out_dir,
            self.options.formats,
            commit=lambda written: self.state.record_briefed(
                key, prepared.fingerprint, prepared.settings, prepared.articles, written.paths
            ),
            ledger=self.state.ledger(key),
        )
        for article_id, reason in outcome.not_briefed:
            log.warning("not briefed %s/%s: %s", display_name(str(story)), article_id, reason)
        skipped += outcome.not_briefed
        return FolderResult(key, "briefed", f"{outcome.points} key points", str(out_dir), skipped, outcome)


def _error_line(error: Exception) -> str:
    """Why a run stopped, in one line: a user error's own message; a bug's type and message."""
    message = str(error).splitlines()[0] if str(error).strip() else ""
    if isinstance(error, SummarizerError) and message:
        return message
    return f"internal error: {type(error).__name__}" + (f": {message}" if message else "")


def _failure_reason(batch: BatchResult) -> str:
    """Why a run that finished counts as failed (a bug in a folder, every folder failed), or ""."""
    if batch.exit_code == ExitCode.INTERNAL:
        broken = next(f for f in batch.folders if f.internal_error)
        return f"{broken.path}: {broken.detail}"
    if batch.exit_code == ExitCode.NO_INPUT:
        return f"every folder failed; first: {batch.folders[0].path}: {batch.folders[0].detail}"
    return ""


def _log_internal_error(outputs_root: Path, story: Path, trace: str) -> Path:
    log_path = outputs_root / ERROR_LOG_NAME
    with writing(log_path), open(log_path, "a", encoding="utf-8", errors="backslashreplace") as handle:
        handle.write(f"--- {display_name(str(story))} (pid {os.getpid()})\n{trace}\n")
    return log_path


def _fingerprint(articles: list[tuple[str, str]], skipped: list[tuple[str, str]], settings: dict) -> str:
    payload = json.dumps({"articles": articles, "skipped": sorted(skipped), "settings": settings}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _outputs_present(outputs: tuple[str, ...]) -> bool:
    return bool(outputs) and all(Path(p).is_file() for p in outputs)


def _read_story(story: Path, follow_symlinks: bool) -> Folder | Exception:
    """The story folder read and cleaned, or what went wrong (reported when its turn comes)."""
    try:
        with progress.step(f"{display_name(story.name)}: reading and cleaning the articles"):
            return load_folder(story, follow_symlinks=follow_symlinks)
    except Exception as error:  # noqa: BLE001  (one unreadable folder must not sink the others)
        return error
