"""Run state in the SQLite database next to the outputs: folders, their articles and content
hashes, the models and settings of their last briefing, the files written, and run history.

Each update is one transaction, written only after a folder's outputs are on disk, so a run killed
at any moment leaves either the old record (and the folder is re-briefed) or the new one.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import sqlite_write_error
from summarizer.output.files import Ledger

_SCHEMA = """
CREATE TABLE IF NOT EXISTS folders (
    path TEXT PRIMARY KEY,          -- absolute story folder path
    name TEXT NOT NULL,
    out_dir TEXT NOT NULL UNIQUE,   -- where its outputs go
    fingerprint TEXT,               -- of articles + models + settings at the last briefing
    settings TEXT,                  -- JSON of the settings and model revisions used
    briefed_at REAL,
    last_status TEXT,
    last_error TEXT
);
CREATE TABLE IF NOT EXISTS folder_articles (
    folder TEXT NOT NULL,
    article_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (folder, article_id)
);
CREATE TABLE IF NOT EXISTS outputs (
    folder TEXT NOT NULL,
    path TEXT NOT NULL,
    written_at REAL NOT NULL,
    PRIMARY KEY (folder, path)
);
-- Files a write of a plain output folder was about to create (written by the version before
-- output generations; read so that the first switch to a generation knows them as the tool's).
CREATE TABLE IF NOT EXISTS pending_outputs (
    folder TEXT NOT NULL,
    path TEXT NOT NULL,
    temp INTEGER NOT NULL,          -- 1: a temp file, renamed over its final name when written
    PRIMARY KEY (folder, path)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at REAL NOT NULL,
    finished_at REAL,
    pid INTEGER NOT NULL,
    arguments TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'running',   -- running | ok | partial | failed | interrupted
    summary TEXT,                             -- JSON run summary
    -- Which process this is, beyond its pid (which the system reuses): the machine, its boot, and
    -- the process's start time since boot. A run still 'running' whose process is gone was killed.
    host TEXT,
    boot_id TEXT,
    process_start TEXT
);
CREATE TABLE IF NOT EXISTS run_folders (
    run_id INTEGER NOT NULL,
    folder TEXT NOT NULL,
    status TEXT NOT NULL,          -- briefed | unchanged | failed
    detail TEXT,
    PRIMARY KEY (run_id, folder)
);
"""


# The columns that identify a run's process (added in schema 2).
RUN_IDENTITY_COLUMNS = ("host", "boot_id", "process_start")
# Names in the outputs folder that are not story folders (the generations of every story's outputs,
# the database, the lock, the error log): a story never gets one as its output folder.
RESERVED_NAMES = frozenset({".generations", "summarize.sqlite3", ".summarize.lock", "summarize-errors.log"})


@dataclass(frozen=True)
class FolderState:
    path: str
    name: str
    out_dir: str
    fingerprint: str | None
    briefed_at: float | None
    last_status: str | None
    last_error: str | None
    outputs: tuple[str, ...]


class State:
    """The run-state tables (they share the database file with the cache)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.executescript(_SCHEMA)
        self._run_columns = {row[1] for row in self._db.execute("PRAGMA table_info(runs)")}

    def close(self) -> None:
        self._db.close()

    def folder(self, path: str) -> FolderState | None:
        row = self._db.execute(
            "SELECT path, name, out_dir, fingerprint, briefed_at, last_status, last_error FROM folders WHERE path = ?",
            (path,),
        ).fetchone()
        if row is None:
            return None
        outputs = tuple(
            p for (p,) in self._db.execute("SELECT path FROM outputs WHERE folder = ? ORDER BY path", (path,))
        )
        path_, name, out_dir, fingerprint, briefed_at, last_status, last_error = row
        return FolderState(path_, name, out_dir, fingerprint, briefed_at, last_status, last_error, outputs)

    def folders(self) -> list[FolderState]:
        paths = [p for (p,) in self._db.execute("SELECT path FROM folders ORDER BY name, path")]
        return [state for p in paths if (state := self.folder(p)) is not None]

    def claim_out_dir(self, path: str, name: str, outputs_root: Path) -> Path:
        """The output folder of a story: outputs/<name>/, made unique if another story has it.

        It is always directly under `outputs_root`, even when the outputs folder was moved or
        first named by a relative path from another directory: a story's files go nowhere else.
        """
        known = self.folder(path)
        taken = {Path(d).name for (d,) in self._db.execute("SELECT out_dir FROM folders WHERE path != ?", (path,))}
        if known is not None:
            kept = outputs_root / Path(known.out_dir).name
            if str(kept) == known.out_dir:
                return kept
            name = kept.name
        candidate = outputs_root / name
        suffix = 2
        while candidate.name in taken or candidate.name in RESERVED_NAMES:
            candidate = outputs_root / f"{name}-{suffix}"
            suffix += 1
        with self._writing():
            if known is None:
                self._db.execute(
                    "INSERT INTO folders (path, name, out_dir) VALUES (?, ?, ?)", (path, name, str(candidate))
                )
            else:
                self._db.execute("UPDATE folders SET out_dir = ? WHERE path = ?", (str(candidate), path))
        return candidate

    def record_briefed(
        self,
        path: str,
        fingerprint: str,
        settings: dict,
        articles: list[tuple[str, str]],
        outputs: list[Path],
    ) -> None:
        now = time.time()
        with self._writing(), self._transaction():
            self._db.execute(
                "UPDATE folders SET fingerprint = ?, settings = ?, briefed_at = ?, last_status = 'briefed',"
                " last_error = NULL WHERE path = ?",
                (fingerprint, json.dumps(settings, sort_keys=True), now, path),
            )
            self._db.execute("DELETE FROM folder_articles WHERE folder = ?", (path,))
            self._db.executemany(
                "INSERT INTO folder_articles (folder, article_id, sha256) VALUES (?, ?, ?)",
                [(path, article_id, digest) for article_id, digest in articles],
            )
            self._db.execute("DELETE FROM outputs WHERE folder = ?", (path,))
            self._db.executemany(
                "INSERT INTO outputs (folder, path, written_at) VALUES (?, ?, ?)",
                [(path, str(p), now) for p in outputs],
            )
            self._db.execute("DELETE FROM pending_outputs WHERE folder = ?", (path,))

    def ledger(self, path: str) -> Ledger:
        """What the database records of a folder's files, for cleaning up only the tool's own."""
        rows = self._db.execute(
            "SELECT path, 0 FROM outputs WHERE folder = ? UNION ALL "
            "SELECT path, temp FROM pending_outputs WHERE folder = ?",
            (path, path),
        ).fetchall()
        return Ledger(
            written=frozenset(Path(p) for p, temp in rows if not temp),
            temps=frozenset(Path(p) for p, temp in rows if temp),
        )

    def record_failed(self, path: str, error: str) -> None:
        with self._writing():
            self._db.execute("UPDATE folders SET last_status = 'failed', last_error = ? WHERE path = ?", (error, path))

    def start_run(self, arguments: list[str]) -> int:
        pid = os.getpid()
        values = {"started_at": time.time(), "pid": pid, "arguments": json.dumps(arguments)}
        if "process_start" in self._run_columns:  # a database not yet migrated lacks them
            values |= {"host": socket.gethostname(), "boot_id": boot_id(), "process_start": process_start(pid)}
        with self._writing():
            cursor = self._db.execute(
                f"INSERT INTO runs ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                tuple(values.values()),
            )
        assert cursor.lastrowid is not None, "an INSERT always sets lastrowid"
        return cursor.lastrowid

    def record_run_folder(self, run_id: int, folder: str, status: str, detail: str) -> None:
        with self._writing():
            self._db.execute(
                "INSERT OR REPLACE INTO run_folders (run_id, folder, status, detail) VALUES (?, ?, ?, ?)",
                (run_id, folder, status, detail),
            )

    def finish_run(self, run_id: int, status: str, summary: dict) -> None:
        with self._writing():
            self._db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                (time.time(), status, json.dumps(summary, ensure_ascii=False), run_id),
            )

    def runs(self, limit: int = 20) -> list[dict]:
        identity = ", ".join(c if c in self._run_columns else "NULL" for c in RUN_IDENTITY_COLUMNS)
        rows = self._db.execute(
            f"SELECT id, started_at, finished_at, pid, arguments, status, summary, {identity}"
            " FROM runs ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        history = []
        for run_id, started, finished, pid, arguments, status, summary, host, boot, start in rows:
            folders = self._db.execute(
                "SELECT folder, status, detail FROM run_folders WHERE run_id = ? ORDER BY folder", (run_id,)
            ).fetchall()
            history.append(
                {
                    "id": run_id,
                    "started_at": started,
                    "finished_at": finished,
                    "pid": pid,
                    "arguments": json.loads(arguments),
                    "host": host,
                    # A run with no finish time whose process is gone was killed.
                    "status": status if finished or run_alive(pid, host, boot, start) else "killed",
                    "folders": [{"folder": f, "status": s, "detail": d} for f, s, d in folders],
                    # Why the whole run stopped, when it did (a missing model, a bug).
                    "error": (json.loads(summary) if summary else {}).get("error", ""),
                }
            )
        return history

    def _transaction(self):
        return _Transaction(self._db)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A failed write to the database file (disk full, read-only) as one line, not a traceback."""
        try:
            yield
        except sqlite3.Error as error:
            failure = sqlite_write_error(self.path, error)
            if failure is None:
                raise
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise failure from None


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self._db.execute("COMMIT")
        elif self._db.in_transaction:  # a failed COMMIT (disk full) may have ended it already
            self._db.execute("ROLLBACK")


def run_alive(pid: int, host: str | None, boot: str | None, start: str | None) -> bool:
    """Whether the process of a run that has not finished is still running it.

    A pid alone is not enough: after a kill the system can give the same pid to another process
    (or, after a reboot, to anything). The process must be on this machine, in this boot, and have
    the start time recorded for the run. A run on another host cannot be checked and counts as alive.
    """
    if host and host != socket.gethostname():
        return True
    if boot and boot != boot_id():
        return False
    if not _alive(pid):
        return False
    return not start or start == process_start(pid)


def boot_id() -> str | None:
    """This boot of this machine (Linux); None where the system does not say."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip() or None
    except OSError:
        return None


def process_start(pid: int) -> str | None:
    """When process `pid` started, in clock ticks since boot (Linux); None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
