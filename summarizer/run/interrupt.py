"""Ctrl-C while folders are being briefed: the first finishes them and starts no other, the second
abandons them.

The CLI installs a StopRequests as the SIGINT handler while `run` or `watch` works; the Driver
tells it which folders are in progress and, before it starts each folder, asks whether to go on.
Ctrl-C while no folder is in progress (reading the folders, or `watch` waiting for new ones) stops
at once, as does a second Ctrl-C: that is a KeyboardInterrupt, as without a StopRequests. An
abandoned folder keeps its previous outputs and state (outputs are written atomically and recorded
only once all are in place), so the next run briefs it again. Writing a folder's outputs and
recording them is shielded: a second Ctrl-C then takes effect right after, so no folder is left
with some files new and some old.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType


class StopRequests:
    """What Ctrl-C has asked for so far; without `installed()` it never asks for anything."""

    def __init__(self, notify: Callable[[str], None] = lambda line: None) -> None:
        self.notify = notify
        # True once the user asked to stop after the folders in progress.
        self.requested = False
        self._in_progress: list[str] = []
        self._shields = 0
        self._abandon_after_shield = False

    @contextmanager
    def installed(self) -> Iterator[StopRequests]:
        """Handle SIGINT with this object inside the block (only the main thread can)."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = signal.signal(signal.SIGINT, self._on_interrupt)
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)

    @property
    def in_progress(self) -> tuple[str, ...]:
        return tuple(self._in_progress)

    def started(self, name: str) -> None:
        self._in_progress.append(name)

    def ended(self, name: str) -> None:
        if name in self._in_progress:
            self._in_progress.remove(name)

    @contextmanager
    def shielded(self) -> Iterator[None]:
        """A block a second Ctrl-C does not cut in half: the abandon happens when it ends."""
        self._shields += 1
        try:
            yield
        finally:
            self._shields -= 1
        if not self._shields and self._abandon_after_shield:
            self._abandon_after_shield = False
            raise KeyboardInterrupt

    def _on_interrupt(self, signum: int, frame: FrameType | None) -> None:
        if self.requested or not self._in_progress:
            if self._shields:
                self._abandon_after_shield = True
                return
            raise KeyboardInterrupt
        self.requested = True
        names = ", ".join(self._in_progress)
        which = "it" if len(self._in_progress) == 1 else "them"
        self.notify(f"finishing {names}; press Ctrl-C again to abandon {which}")
