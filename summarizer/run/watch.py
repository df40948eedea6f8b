"""`summarize watch INBOX/`: brief story folders as they arrive or change, until interrupted.

A folder is briefed once its files have stopped changing for `settle` seconds (a copy in progress
is not briefed half-way). One Driver holds the outputs for the whole watch, so models (or Ray
actors) load once; each batch of settled folders is one recorded run, with the usual skipping of
unchanged folders. With a StopRequests installed (the CLI does), a first Ctrl-C finishes the
folder being briefed and then stops the watch; a second abandons it (its files are written
atomically, so nothing partial is left, and the next run or watch briefs it). That run is recorded
as interrupted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from summarizer.ingest.read import story_files
from summarizer.run.batch import BatchResult, Driver, discover_stories
from summarizer.run.interrupt import StopRequests
from summarizer.run.overlap import check_outputs_apart
from summarizer.run.pipeline import RunOptions

Signature = tuple[tuple[str, int, int], ...]


def folder_signature(story: Path) -> Signature:
    """Names, sizes and modification times of a story's files: any change to them changes this."""
    signature = []
    for path in story_files(story):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed while listed: the next look sees the folder as it is
            continue
        signature.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(signature))


def stories_of(inbox: Path, outputs_root: Path) -> list[Path]:
    """The inbox's story folders now (none while it is gone), the outputs folder never among them."""
    return discover_stories([inbox], outputs_root=outputs_root).stories if inbox.is_dir() else []


def watch(
    inbox: Path,
    options: RunOptions,
    outputs_root: Path,
    *,
    executor: str = "local",
    ray_address: str | None = None,
    ray_actors: int | None = None,
    interval: float = 2.0,
    settle: float = 5.0,
    on_batch: Callable[[BatchResult], None] | None = None,
    keep_going: Callable[[], bool] = lambda: True,
    arguments: list[str] | None = None,
    stop: StopRequests | None = None,
) -> None:
    """Brief new or changed story folders under `inbox` until interrupted (or `keep_going()` is false).

    Returns once a first Ctrl-C (through `stop`) has let the folder in progress finish.
    """
    briefed: dict[Path, Signature] = {}
    changing: dict[Path, tuple[Signature, float]] = {}
    stop = stop or StopRequests()
    check_outputs_apart([inbox], stories_of(inbox, outputs_root), outputs_root)
    with Driver(
        options, outputs_root, executor=executor, ray_address=ray_address, ray_actors=ray_actors, stop=stop
    ) as driver:
        while keep_going():
            now = time.monotonic()
            ready = []
            for story in stories_of(inbox, outputs_root):
                signature = folder_signature(story)
                if not signature or briefed.get(story) == signature:
                    continue
                seen = changing.get(story)
                if seen is None or seen[0] != signature:
                    changing[story] = (signature, now)
                elif now - seen[1] >= settle:
                    ready.append(story)
            if ready:
                batch = driver.run(ready, arguments=arguments)
                for story in ready:
                    briefed[story] = changing.pop(story)[0]
                if on_batch is not None:
                    on_batch(batch)
                if stop.requested:
                    return
            time.sleep(interval)
