"""Where folders are briefed: in this process (`local`), or on the actors of a Ray cluster (`ray`).

An executor only computes briefing records. The driver (run.batch) alone reads and writes the
state, the cache and the output files: it hands the executor ingested folders and gets back, as
each finishes, the folder's BriefingRecord or the error that stopped it. The Ray executor ships
each folder together with the cache rows its worker may look up, and stores the rows the worker
made before handing the record on, so the files written are the same as a local run's.
"""

from __future__ import annotations

import logging
import os
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from summarizer.briefing.record import BriefingRecord
from summarizer.cache import Cache, CacheEntries, MemoryCache
from summarizer.document import Folder
from summarizer.errors import ModelError, PromptError, SummarizerError, WriteError
from summarizer.run.pipeline import SUMMARY_NAMESPACE, ModelSession, RunOptions, brief

log = logging.getLogger(__name__)

EXECUTORS = ("local", "ray")
# CPUs (and so threads) per actor. On this project's 2-vCPU machines one process using both cores
# briefs two folders faster than two single-threaded processes side by side, and each process holds
# its own copy of the models (about 4 GB with the default summarizer): one actor per such node.
CPUS_PER_ACTOR = 2
# How many times a folder is re-sent after the worker briefing it died (a killed process, a lost
# node, the OOM killer); a folder that kills every worker it meets fails alone after that.
DEFAULT_MAX_RETRIES = 2
# The object store a locally started Ray instance gets: records and cache rows are small, and the
# machine is shared with other work.
LOCAL_OBJECT_STORE_BYTES = 200 * 1024 * 1024
# Ray's switch for single-machine mode ("0": node address and listening sockets on 127.0.0.1).
LOOPBACK_ONLY_ENV = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"
RAY_INSTALL_HINT = (
    'the ray executor needs Ray: pip install "summarize-news-id[ray]" (or pip install ".[ray]" from the project)'
)


@dataclass
class BriefJob:
    """One story folder to brief; `context` is the driver's bookkeeping, carried back untouched."""

    folder: Folder
    context: Any = None


@dataclass
class JobDone:
    """A finished job: the record, or the error that stopped it (with its traceback text)."""

    job: BriefJob
    record: BriefingRecord | None = None
    error: Exception | None = None
    trace: str = ""


class RemoteError(Exception):
    """An unexpected exception raised on a worker, carried back by name, message and traceback."""

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(message)
        self.type_name = type_name


class WorkerLostError(SummarizerError):
    """Every worker that tried a folder died while briefing it."""


class Executor(Protocol):
    name: str

    def brief_all(self, jobs: Iterator[BriefJob], cache: Cache) -> Iterator[JobDone]:
        """Brief the jobs (pulled lazily), yielding each as it finishes, in any order.

        A model, prompt or write error is raised (every later folder would fail the same way);
        any other error is the job's own and is yielded with it.
        """
        ...

    def close(self) -> None: ...


def error_name(error: BaseException) -> str:
    return error.type_name if isinstance(error, RemoteError) else type(error).__name__


class LocalExecutor:
    """Brief in this process, one folder after another, with models loaded once."""

    name = "local"

    def __init__(self, options: RunOptions, session: ModelSession | None = None) -> None:
        self.options = options
        self.session = session or ModelSession(options)

    def brief_all(self, jobs: Iterator[BriefJob], cache: Cache) -> Iterator[JobDone]:
        for job in jobs:
            try:
                record = brief(job.folder, self.options, self.session, cache)
            except (ModelError, PromptError, WriteError):
                raise
            except Exception as error:  # noqa: BLE001  (one folder's failure is that folder's alone)
                yield JobDone(job, error=error, trace="".join(traceback.format_exception(error)))
            else:
                yield JobDone(job, record=record)

    def close(self) -> None:
        pass


def job_entries(cache: Cache, folder: Folder) -> CacheEntries:
    """The cache rows briefing `folder` may look up: translations of its sentences, summaries of its articles."""
    sources = [s.text for a in folder.articles for s in a.sentences()]
    return cache.entries_for(sources, SUMMARY_NAMESPACE, "article_id", [a.id for a in folder.articles])


class FolderWorker:
    """The body of a Ray actor: loads the models once (on its first folder) and briefs folder after folder."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.session = ModelSession(options)

    def pid(self) -> int:
        return os.getpid()

    def brief(self, folder: Folder, prefill: CacheEntries) -> dict[str, Any]:
        cache = MemoryCache(prefill)
        try:
            record = brief(folder, self.options, self.session, cache)
        except SummarizerError as error:  # data and model errors pickle as they are
            return {"error": error}
        except Exception as error:  # noqa: BLE001  (sent back as this folder's failure)
            trace = "".join(traceback.format_exception(error))
            return {"error": RemoteError(type(error).__name__, str(error)), "trace": trace}
        finally:
            cache.close()
        return {"record": record, "written": cache.written, "hits": cache.hits, "misses": cache.misses}


@dataclass
class _Attempt:
    job: BriefJob
    tries: int = 0


@dataclass
class _Pool:
    """The live actors and their process ids; a dead one is replaced by a fresh one (which loads
    the models again on its first folder)."""

    make: Any
    size: int
    actors: list[Any] = field(default_factory=list)
    pids: dict[Any, int] = field(default_factory=dict)

    def start(self) -> None:
        import ray

        self.actors = [self.make() for _ in range(self.size)]
        # Asked together, so the actors start in parallel.
        self.pids = dict(zip(self.actors, ray.get([a.pid.remote() for a in self.actors]), strict=True))

    def replace(self, dead: Any) -> Any:
        import ray

        ray.kill(dead, no_restart=True)
        fresh = self.make()
        self.actors[self.actors.index(dead)] = fresh
        del self.pids[dead]
        self.pids[fresh] = ray.get(fresh.pid.remote())
        return fresh


class RayExecutor:
    """Brief on Ray actors, each holding its own loaded models, `actors` folders at a time."""

    name = "ray"

    def __init__(
        self,
        options: RunOptions,
        *,
        address: str | None = None,
        actors: int | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
    ) -> None:
        if not address:
            # Read when Ray is imported: a Ray instance started here then listens on the loopback
            # interface only, instead of on every interface of the machine.
            os.environ.setdefault(LOOPBACK_ONLY_ENV, "0")
        try:
            import ray
        except ImportError:
            raise SummarizerError(RAY_INSTALL_HINT) from None
        self.options = options
        self.max_retries = max_retries
        self._started_ray = connect_ray(address)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        per_actor = max(1, min(CPUS_PER_ACTOR, cpus))
        if actors is None:
            actors = max(1, cpus // per_actor)
        # Ray gives each actor's process as many threads as CPUs it reserves (OMP_NUM_THREADS).
        remote = ray.remote(num_cpus=per_actor, max_restarts=0)(FolderWorker)
        self._pool = _Pool(lambda: remote.remote(options), actors)
        self._pool.start()

    def brief_all(self, jobs: Iterator[BriefJob], cache: Cache) -> Iterator[JobDone]:
        import ray

        waiting: list[_Attempt] = []
        running: dict[Any, tuple[_Attempt, Any]] = {}
        idle = list(self._pool.actors)
        more = True
        while True:
            while idle and (waiting or more):
                if not waiting:
                    job = next(jobs, None)
                    if job is None:
                        more = False
                        break
                    waiting.append(_Attempt(job))
                attempt, actor = waiting.pop(0), idle.pop(0)
                attempt.tries += 1
                ref = actor.brief.remote(attempt.job.folder, job_entries(cache, attempt.job.folder))
                running[ref] = (attempt, actor)
                log.info(
                    "%s: sent to Ray worker pid %d (try %d)",
                    attempt.job.folder.path,
                    self._pool.pids[actor],
                    attempt.tries,
                )
            if not running:
                return
            (ref,), _ = ray.wait(list(running), num_returns=1)
            attempt, actor = running.pop(ref)
            try:
                reply = ray.get(ref)
            except ray.exceptions.RayActorError as error:
                idle.append(self._pool.replace(actor))
                folder = attempt.job.folder.path
                if attempt.tries > self.max_retries:
                    lost = WorkerLostError(f"the worker briefing it died {attempt.tries} times; last: {error}")
                    yield JobDone(attempt.job, error=lost)
                else:
                    log.warning(
                        "%s: its Ray worker died; retrying on a new one (%d/%d)",
                        folder,
                        attempt.tries,
                        self.max_retries,
                    )
                    waiting.insert(0, attempt)
                continue
            idle.append(actor)
            if "record" not in reply:
                if isinstance(reply["error"], ModelError | PromptError | WriteError):
                    raise reply["error"]
                yield JobDone(attempt.job, error=reply["error"], trace=reply.get("trace", ""))
                continue
            # Stored first: a driver killed after this keeps the work even if no output is written.
            if reply["written"]:
                cache.add(reply["written"])
            _count(cache, reply["hits"], reply["misses"])
            yield JobDone(attempt.job, record=reply["record"])

    def close(self) -> None:
        import ray

        for actor in self._pool.actors:
            ray.kill(actor, no_restart=True)
        self._pool.actors = []
        if self._started_ray:
            ray.shutdown()


def _count(cache: Cache, hits: Counter[str], misses: Counter[str]) -> None:
    cache.hits.update(hits)
    cache.misses.update(misses)


def connect_ray(address: str | None) -> bool:
    """Join the Ray cluster at `address` (`auto`: the one `ray start` runs on this machine), or with
    no address start a private one on the loopback interface. True when this call started Ray."""
    import ray

    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
        return False
    ray.init(
        num_cpus=os.cpu_count() or 1,
        include_dashboard=False,
        object_store_memory=LOCAL_OBJECT_STORE_BYTES,
        _temp_dir=tempfile.mkdtemp(prefix="summarize-ray-"),
        logging_level=logging.WARNING,
        log_to_driver=False,
    )
    return True


def check_executor(name: str) -> None:
    if name not in EXECUTORS:
        raise SummarizerError(f"--executor: unknown executor {name!r}; choose from {', '.join(EXECUTORS)}")


def make_executor(
    name: str,
    options: RunOptions,
    *,
    ray_address: str | None = None,
    actors: int | None = None,
) -> Executor:
    """The executor called `name` (one of EXECUTORS)."""
    if name == "local":
        return LocalExecutor(options)
    if name == "ray":
        return RayExecutor(options, address=ray_address, actors=actors)
    check_executor(name)
    raise AssertionError(f"executor {name} is listed but not made")
