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
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
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
# What a GPU actor reserves besides its GPU: one CPU (and thread) for reading, citing and checking,
# which run on the CPU while the models run on the GPU.
CPUS_PER_GPU_ACTOR = 1
# How long the actors may take to start (a fresh worker process each) before the run gives up:
# an actor the cluster has no room for would otherwise wait for ever.
ACTOR_START_TIMEOUT_S = 300.0
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
    # The options folders are briefed with (the Ray executor's GPU actors run on device cuda).
    options: RunOptions

    def describe(self) -> dict[str, Any]:
        """Where folders are briefed, for the run report: the executor's name and, for Ray, its actors."""
        ...

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

    def describe(self) -> dict[str, Any]:
        return {"name": self.name}

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
    """The cache rows briefing `folder` may look up: translations of its sentences, summaries of its
    articles (found by their content hash; older rows by the article's id)."""
    sources = [s.text for a in folder.articles for s in a.sentences()]
    refs = [a.source.sha256 for a in folder.articles]
    return cache.entries_for(sources, SUMMARY_NAMESPACE, refs, [a.id for a in folder.articles])


@dataclass(frozen=True)
class ActorPlan:
    """How many Ray actors brief folders, what each reserves, and the device their models use."""

    count: int
    cpus: int  # CPUs reserved per actor, and so the threads it runs its models with
    gpus: int  # GPUs per actor: 0, or 1 on a cluster with GPUs
    device: str  # --device for the actors' models: the run's own, or cuda for GPU actors

    def describe(self) -> dict[str, Any]:
        return {
            "name": "ray",
            "actors": self.count,
            "cpus_per_actor": self.cpus,
            "gpus_per_actor": self.gpus,
            "threads_per_actor": self.cpus,
            "device": self.device,
        }


def check_actor_count(actors: int | None) -> None:
    if actors is not None and actors < 1:
        raise SummarizerError(f"--ray-actors: the number of Ray actors must be at least 1, not {actors}")


def plan_actors(resources: Mapping[str, float], device: str, actors: int | None = None) -> ActorPlan:
    """The actors for a cluster with `resources` (ray.cluster_resources()).

    With GPUs in the cluster (and --device auto or cuda) every actor takes one GPU and runs its
    models with device cuda (CTranslate2 then computes in int8_float16): one actor per GPU unless
    `actors` says fewer. Otherwise actors take CPUS_PER_ACTOR CPUs each, one actor per that many
    CPUs; `actors` asks for another count, the CPUs shared out among them (at least one each).
    """
    check_actor_count(actors)
    cpus, gpus = int(resources.get("CPU", 0)), int(resources.get("GPU", 0))
    if gpus and device != "cpu":
        count = gpus if actors is None else actors
        if count > gpus:
            raise SummarizerError(
                f"--ray-actors {count}: the Ray cluster has {gpus} GPU(s) and each GPU actor takes one; "
                f"ask for at most {gpus}, or pass --device cpu for CPU actors"
            )
        return ActorPlan(count, CPUS_PER_GPU_ACTOR, 1, "cuda")
    if device == "cuda":
        raise SummarizerError("--device cuda: the Ray cluster has no GPU; add GPU nodes or pass --device cpu")
    cpus = max(1, cpus)
    if actors is None:
        per_actor = min(CPUS_PER_ACTOR, cpus)
        return ActorPlan(max(1, cpus // per_actor), per_actor, 0, device)
    if actors > cpus:
        raise SummarizerError(
            f"--ray-actors {actors}: the Ray cluster has {cpus} CPU(s) and each actor needs one; ask for at most {cpus}"
        )
    return ActorPlan(actors, max(1, min(CPUS_PER_ACTOR, cpus // actors)), 0, device)


def cuda_problem() -> str | None:
    """Why models cannot run on CUDA in this process, or None when they can."""
    import torch

    from summarizer.models.engines import ctranslate2_importable

    if not torch.cuda.is_available():
        return "torch sees no usable CUDA GPU (torch.cuda.is_available() is false)"
    if ctranslate2_importable():
        import ctranslate2

        if ctranslate2.get_cuda_device_count() == 0:
            return "CTranslate2 sees no CUDA GPU (it was built without CUDA, or its CUDA libraries are missing)"
    return None


def check_local_device(options: RunOptions) -> None:
    """--device cuda in this process: stop with one line before any folder when CUDA is not usable."""
    if options.device == "cuda":
        problem = cuda_problem()
        if problem:
            raise SummarizerError(f"--device cuda: {problem}; pass --device cpu or auto")


class FolderWorker:
    """The body of a Ray actor: loads the models once (on its first folder) and briefs folder after folder
    with `threads` threads (the CPUs it reserved), whatever the worker process inherited."""

    def __init__(self, options: RunOptions, threads: int) -> None:
        self.options = options
        self.threads = threads
        # Read by torch when it is imported (on the first folder); set now if it already is.
        os.environ["OMP_NUM_THREADS"] = str(threads)
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(threads)
        # The CPUs are reserved for this actor: other actors' work on the node is not a reason
        # to take fewer threads.
        self.session = ModelSession(options, threads=threads)

    def pid(self) -> int:
        return os.getpid()

    def describe(self) -> dict[str, Any]:
        """This actor as Ray placed it: process, node, what it reserved, and whether its device works."""
        import ray

        context = ray.get_runtime_context()
        return {
            "pid": os.getpid(),
            "node": ray.util.get_node_ip_address(),
            "resources": context.get_assigned_resources(),
            "gpu_ids": [str(i) for i in ray.get_gpu_ids()],
            "threads": self.threads,
            "device": self.options.device,
            "device_problem": cuda_problem() if self.options.device == "cuda" else None,
        }

    def torch_threads(self) -> int | None:
        """torch's thread count in this process (None before torch is imported by a model)."""
        torch = sys.modules.get("torch")
        return None if torch is None else int(torch.get_num_threads())

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
    placed: list[dict[str, Any]] = field(default_factory=list)  # describe() of the first actors

    def start(self, timeout: float = ACTOR_START_TIMEOUT_S) -> None:
        import ray

        self.actors = [self.make() for _ in range(self.size)]
        # Asked together, so the actors start in parallel.
        refs = [a.describe.remote() for a in self.actors]
        ready, _ = ray.wait(refs, num_returns=len(refs), timeout=timeout)
        if len(ready) < len(refs):
            raise SummarizerError(
                f"only {len(ready)} of {len(refs)} Ray actors started within {timeout:.0f} s: the cluster has "
                "no room for the others (ask for fewer with --ray-actors, or add nodes)"
            )
        self.placed = ray.get(refs)
        self.pids = {actor: placed["pid"] for actor, placed in zip(self.actors, self.placed, strict=True)}

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
        check_actor_count(actors)
        if not address:
            # Read when Ray is imported: a Ray instance started here then listens on the loopback
            # interface only, instead of on every interface of the machine.
            os.environ.setdefault(LOOPBACK_ONLY_ENV, "0")
        try:
            import ray
        except ImportError:
            raise SummarizerError(RAY_INSTALL_HINT) from None
        self.max_retries = max_retries
        self._started_ray = connect_ray(address)
        self._pool = _Pool(lambda: None, 0)  # no actors yet: close() below has nothing to kill
        try:
            self.plan = plan_actors(ray.cluster_resources(), options.device, actors)
            self.options = replace(options, device=self.plan.device)
            remote = ray.remote(**actor_options(self.plan))(FolderWorker)
            self._pool = _Pool(lambda: remote.remote(self.options, self.plan.cpus), self.plan.count)
            self._pool.start()
            _check_devices(self._pool.placed)
        except BaseException:
            self.close()
            raise
        log.info("Ray actors: %s", self._pool.placed)

    def describe(self) -> dict[str, Any]:
        return self.plan.describe()

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


def actor_options(plan: ActorPlan) -> dict[str, Any]:
    """What each actor asks Ray for: its CPUs, its GPU if any, and no restart (a dead actor is
    replaced by the executor, which re-sends its folder)."""
    return {"num_cpus": plan.cpus, "num_gpus": plan.gpus, "max_restarts": 0}


def _check_devices(placed: list[dict[str, Any]]) -> None:
    """Stop before any folder is sent when an actor cannot use the device it was given."""
    for actor in placed:
        if actor["device_problem"]:
            raise SummarizerError(
                f"--executor ray: the Ray actor (pid {actor['pid']} on {actor['node']}) was given a GPU but "
                f"{actor['device_problem']}; fix CUDA on that node or pass --device cpu"
            )


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


def check_executor(name: str, actors: int | None = None) -> None:
    if name not in EXECUTORS:
        raise SummarizerError(f"--executor: unknown executor {name!r}; choose from {', '.join(EXECUTORS)}")
    if actors is not None and name != "ray":
        raise SummarizerError("--ray-actors: applies to --executor ray only")
    check_actor_count(actors)


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
