"""Progress reporting: the library says what it is doing, the front end decides how that shows.

Library code wraps anything that can take more than a second in `step(message)` and counted work
in `bar(label, total, unit)`. Both go to the reporter installed with `reporting(reporter)` (the
CLI installs one for a terminal, one for a log, or none with --quiet); with none installed they do
nothing, so a library caller sees no output it did not ask for. Nothing flows back from a
reporter into the data, so what is reported can never change what is produced.

Every step is also logged at INFO level, so `-v` shows each stage even when bars are off.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any, Protocol, TextIO

log = logging.getLogger("summarizer")


class Bar(Protocol):
    def update(self, count: int = 1) -> None: ...

    def working_on(self, item: str) -> None:
        """Name the item being worked on now (the folder bar names the folder)."""
        ...

    def close(self) -> None: ...


class Reporter(Protocol):
    def step(self, message: str) -> AbstractContextManager[None]:
        """A piece of work without a count, shown while it runs."""
        ...

    def bar(self, label: str, total: int, unit: str) -> Bar: ...


class _NullBar:
    def update(self, count: int = 1) -> None:
        pass

    def working_on(self, item: str) -> None:
        pass

    def close(self) -> None:
        pass


class NullReporter:
    """Shows nothing (the library's default, and --quiet)."""

    def step(self, message: str) -> AbstractContextManager[None]:
        return nullcontext()

    def bar(self, label: str, total: int, unit: str) -> Bar:
        return _NullBar()


_current: ContextVar[Reporter | None] = ContextVar("summarizer_reporter", default=None)
_NOTHING = NullReporter()


def current() -> Reporter:
    """The reporter installed by the innermost `reporting` block, else one that shows nothing."""
    return _current.get() or _NOTHING


@contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Send the progress of everything run inside this block to `reporter`."""
    token = _current.set(reporter)
    try:
        yield reporter
    finally:
        _current.reset(token)


@contextmanager
def step(message: str) -> Iterator[None]:
    """Report `message` while the block runs (and log it for -v)."""
    log.info("%s", message)
    with current().step(message):
        yield


def bar(label: str, total: int, unit: str, *, enabled: bool = True) -> Bar:
    """A counted bar on the current reporter (none when `enabled` is false)."""
    return current().bar(label, total, unit) if enabled else _NullBar()


# --- a terminal: live bars and status lines that leave nothing behind ---------------------------


class TerminalReporter:
    """tqdm bars and live status lines on a terminal; each is cleared when its work ends, so only
    the run's own report stays on screen."""

    # How often a status line redraws its elapsed time.
    TICK_S = 0.5

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr

    @contextmanager
    def step(self, message: str) -> Iterator[None]:
        from tqdm import tqdm

        line = tqdm(
            total=None,
            desc=message,
            bar_format="{desc} … {elapsed}",
            file=self.stream,
            leave=False,
            dynamic_ncols=True,
        )
        stop = threading.Event()

        def tick() -> None:
            while not stop.wait(self.TICK_S):
                line.refresh()

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            yield
        finally:
            stop.set()
            ticker.join()
            line.close()

    def bar(self, label: str, total: int, unit: str) -> Bar:
        from tqdm import tqdm

        return _TqdmBar(tqdm(total=total, desc=label, unit=unit, file=self.stream, leave=False, dynamic_ncols=True))


class _TqdmBar:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def update(self, count: int = 1) -> None:
        self.inner.update(count)

    def working_on(self, item: str) -> None:
        self.inner.set_postfix_str(item)

    def close(self) -> None:
        self.inner.close()


# --- a log: plain timestamped lines, never a carriage return -----------------------------------


class LineReporter:
    """Progress as plain timestamped lines, for stderr redirected to a file or a pipe: a line when
    work starts, at most one every `interval_s` while a bar moves, and one when it ends."""

    def __init__(
        self, stream: TextIO | None = None, *, interval_s: float = 10.0, clock: Callable[[], float] = time.time
    ) -> None:
        self.stream = stream or sys.stderr
        self.interval_s = interval_s
        self.clock = clock

    def write(self, text: str) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.clock()))
        self.stream.write(f"{stamp} {text}\n")
        self.stream.flush()

    @contextmanager
    def step(self, message: str) -> Iterator[None]:
        started = self.clock()
        self.write(f"{message} …")
        yield
        self.write(f"{message}: done in {_duration(self.clock() - started)}")

    def bar(self, label: str, total: int, unit: str) -> Bar:
        return _LineBar(self, label, total, unit)


class _LineBar:
    def __init__(self, reporter: LineReporter, label: str, total: int, unit: str) -> None:
        self.reporter, self.label, self.total, self.unit = reporter, label, total, unit
        self.count = 0
        self.started = self.last = reporter.clock()
        self.closed = False
        reporter.write(f"{label}: 0/{total} {unit}")

    def update(self, count: int = 1) -> None:
        self.count += count
        now = self.reporter.clock()
        if now - self.last >= self.reporter.interval_s and self.count < self.total:
            self.last = now
            self.reporter.write(f"{self.label}: {self.count}/{self.total} {self.unit}")

    def working_on(self, item: str) -> None:
        self.reporter.write(f"{self.label}: {self.count + 1}/{self.total}: {item}")

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        elapsed = _duration(self.reporter.clock() - self.started)
        self.reporter.write(f"{self.label}: {self.count}/{self.total} {self.unit} in {elapsed}")


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest:02d} s"


def reporter_for(stream: TextIO, *, quiet: bool) -> Reporter:
    """Live bars on a terminal, timestamped lines anywhere else, nothing with --quiet."""
    if quiet:
        return NullReporter()
    isatty = getattr(stream, "isatty", None)
    return TerminalReporter(stream) if isatty is not None and isatty() else LineReporter(stream)
