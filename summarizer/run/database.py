"""The state database before anything uses it: versioned, healed or refused in one line.

- A database that is not a usable SQLite file (truncated, random bytes, a zeroed page, failing
  `PRAGMA quick_check`) is moved aside as `summarize.sqlite3.corrupt-<time>` and a new one is
  started: the outputs on disk stay, only the caches and the run history are lost, and the run
  says so.
- A `-wal` file that does not belong to the database (copied in from another one) is never
  replayed: the database carries a random id in its main file, and a WAL that changes that id or
  makes the database fail its check is moved aside as `-wal.stale-<time>`.
- A newer schema (`PRAGMA user_version`) is refused; older ones are migrated.
- A read-only database, folder or file system, or a folder in the database's place, is one line
  with its own exit code.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from contextlib import nullcontext
from pathlib import Path

import summarizer.progress as progress
from summarizer.errors import StateError, sqlite_write_error

log = logging.getLogger(__name__)

# 1: folders, folder_articles, outputs, runs, run_folders, the caches, and database_meta; later
#    pending_outputs, created when missing (an older summarize ignores it, so no new version).
# 2: the lookups a Ray driver ships rows by are indexed: translations by source sentence, entries
#    by a new `ref` column (a summary's article content hash), older entries by their article id.
# 3: runs record the host, boot and start time of their process (a killed run is told apart from
#    a live one even when its pid has been reused).
SCHEMA_VERSION = 3
# Beside the database: the lock a run holds on its outputs folder for as long as it runs.
LOCK_FILE_NAME = ".summarize.lock"
_META = "CREATE TABLE IF NOT EXISTS database_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def prepare_database(path: Path) -> list[str]:
    """Make `path` a usable database of this schema for a run; the warnings to show the user.

    Raises StateError (one line) when it cannot be made usable without losing what a human
    should decide about.
    """
    warnings: list[str] = []
    if path.is_dir():
        raise StateError(f"{path} is a folder, not the state database; move it away and run again")
    _check_writable(path)
    if path.exists():
        stale = _foreign_wal(path)
        if stale:
            warnings.append(stale)
        problem = _problem(path)
        if problem:
            moved = _move_aside(path, "corrupt")
            warnings.append(
                f"the state database {path} was not usable ({problem}); moved it to {moved.name} and "
                "started a new one: outputs on disk are kept, cached translations and summaries and "
                "the run history are lost"
            )
    _initialise(path)
    return warnings


def check_readable(path: Path) -> None:
    """For `status`: the database must be usable as it is (status never repairs or moves it).

    While a run is writing, its -wal is its own (the run checked it when it opened the database)
    and a copy taken mid-write could look foreign, so it is not checked then.
    """
    if path.is_dir():
        raise StateError(f"{path} is a folder, not the state database; move it away")
    if not run_in_progress(path.parent) and _foreign_wal(path, dry_run=True):
        raise StateError(
            f"{path} has a -wal file that belongs to another database; run `summarize run` on this "
            "outputs folder to move it aside, or delete it"
        )
    problem = _problem(path)
    if problem:
        raise StateError(
            f"the state database {path} is not usable ({problem}); the next `summarize run` moves it "
            "aside and starts a new one"
        )


def run_in_progress(outputs_root: Path) -> bool:
    """Whether a run holds the lock on `outputs_root` now (the lock file is only read here)."""
    try:
        descriptor = os.open(outputs_root / LOCK_FILE_NAME, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)  # closing drops the shared lock, if it was taken
    return False


def _check_writable(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".summarize-probe-", delete=True)
        probe.close()
    except OSError as error:
        raise StateError(f"cannot write in {folder}: {error.strerror or error}") from None
    if path.exists() and not os.access(path, os.W_OK):
        raise StateError(f"the state database {path} is read-only; make it writable (chmod u+w) and run again")
    if path.exists():
        try:
            with open(path, "r+b"):
                pass
        except OSError as error:
            raise StateError(f"cannot write the state database {path}: {error.strerror or error}") from None


def _problem(path: Path) -> str | None:
    """Why the database (with its WAL, if any) is unusable, or None."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            (result,) = connection.execute("PRAGMA quick_check").fetchone()
            (version,) = connection.execute("PRAGMA user_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        if "locked" in str(error):
            return None  # another process is using it: let the normal busy handling decide
        # Opening can need to write (the -shm index of a WAL): a full disk or a size limit then
        # fails the open, and that says nothing about the database, which must not be moved aside.
        cannot_write = sqlite_write_error(path, error)
        if cannot_write is not None:
            raise cannot_write from None
        return str(error)
    if result != "ok":
        return f"integrity check: {result.splitlines()[0]}"
    if version > SCHEMA_VERSION:
        raise StateError(
            f"{path} was written by a newer summarize (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}); upgrade summarize or use another outputs folder (-o)"
        )
    return None


def _foreign_wal(path: Path, *, dry_run: bool = False) -> str | None:
    """Detect a -wal that does not belong to this database, and (unless dry_run) move it aside.

    The main file alone (opened immutable, so the WAL is ignored) names its database id; a copy of
    main file + WAL must name the same id and pass the check. A crash's own WAL does.
    """
    wal = Path(f"{path}-wal")
    if not wal.is_file() or wal.stat().st_size == 0:
        return None
    own_id = _database_id(Path(path), immutable=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".summarize-walcheck-") as scratch:
        copy = Path(scratch) / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, Path(f"{copy}-wal"))
        try:
            replayed_id = _database_id(copy, immutable=False)
            connection = sqlite3.connect(copy)
            try:
                (check,) = connection.execute("PRAGMA quick_check").fetchone()
            finally:
                connection.close()
        except sqlite3.DatabaseError:
            replayed_id, check = None, "error"
    if own_id is not None and replayed_id == own_id and check == "ok":
        return None
    if own_id is None and check == "ok":
        return None  # a database from before ids existed: nothing to compare
    if dry_run:
        return "foreign"
    moved = _move_aside(wal, "stale")
    shm = Path(f"{path}-shm")
    if shm.exists():
        _move_aside(shm, "stale")
    return f"{wal.name} did not belong to {path.name} and was not replayed; moved it to {moved.name}"


def _database_id(path: Path, *, immutable: bool) -> str | None:
    uri = f"file:{path}?immutable=1" if immutable else f"file:{path}"
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            row = connection.execute("SELECT value FROM database_meta WHERE key = 'id'").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _initialise(path: Path) -> None:
    """Create the id, migrate an older schema and record the version; all checkpointed into the
    main file so a later WAL check can compare against it."""
    try:
        connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_META)
            connection.execute("INSERT OR IGNORE INTO database_meta (key, value) VALUES ('id', ?)", (uuid.uuid4().hex,))
            connection.execute("INSERT OR IGNORE INTO database_meta (key, value) VALUES ('writes', '0')")
            _install_write_triggers(connection)
            (version,) = connection.execute("PRAGMA user_version").fetchone()
            if version < SCHEMA_VERSION:
                # Version 0 (no user_version) had version 1's tables: they are created if missing.
                _migrate(connection, version)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        if "readonly" in str(error) or "read-only" in str(error):
            raise StateError(f"the state database {path} is read-only; make it writable and run again") from None
        if "locked" in str(error):
            return  # another run holds it; the outputs lock reports that
        full = sqlite_write_error(path, error)  # a full disk or a file size limit
        if full is not None:
            raise full from None
        raise StateError(f"cannot open the state database {path}: {error}") from None
    except sqlite3.DatabaseError as error:
        raise StateError(f"cannot open the state database {path}: {error}") from None


def _migrate(connection: sqlite3.Connection, version: int) -> None:
    """Bring a database of schema `version` up to SCHEMA_VERSION, one step after another."""
    from summarizer.cache import add_lookup_indexes

    steps = {2: add_lookup_indexes, 3: _add_run_identity}
    has_rows = connection.execute(
        "SELECT EXISTS (SELECT 1 FROM translations) OR EXISTS (SELECT 1 FROM entries)"
    ).fetchone()[0]
    for target in sorted(steps):
        if version < target:
            # Indexing a large cache takes a while (seconds per million rows), once.
            message = f"upgrading the state database to schema {target}" if has_rows else ""
            with progress.step(message) if message else nullcontext():
                steps[target](connection)


def _add_run_identity(connection: sqlite3.Connection) -> None:
    """Schema 2 -> 3: the runs table gains the columns that identify a run's process."""
    from summarizer.run.state import RUN_IDENTITY_COLUMNS

    present = {row[1] for row in connection.execute("PRAGMA table_info(runs)")}
    for column in RUN_IDENTITY_COLUMNS:
        if column not in present:
            connection.execute(f"ALTER TABLE runs ADD COLUMN {column} TEXT")


def _install_write_triggers(connection: sqlite3.Connection) -> None:
    """Make every write transaction also write the page holding the database id.

    Then any non-empty WAL of a database carries that database's id, and a WAL copied in from
    another database is recognised by its id instead of being replayed into this one.
    """
    from summarizer.cache import _SCHEMA as cache_schema
    from summarizer.run.state import _SCHEMA as state_schema

    connection.executescript(state_schema)
    connection.executescript(cache_schema)
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' AND name != 'database_meta'"
        )
    ]
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            connection.execute(
                f'CREATE TRIGGER IF NOT EXISTS "touch_meta_{table}_{event.lower()}" AFTER {event} ON "{table}" '
                "BEGIN UPDATE database_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'writes'; END"
            )


def _move_aside(path: Path, label: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{label}-{stamp}")
    suffix = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{label}-{stamp}-{suffix}")
        suffix += 1
    try:
        os.replace(path, target)
    except OSError as error:
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise StateError(f"cannot move {path} aside: {error.strerror}") from None
        raise
    if label == "corrupt":
        for extra in ("-wal", "-shm"):
            sidecar = Path(f"{path}{extra}")
            if sidecar.exists():
                os.replace(sidecar, sidecar.with_name(f"{target.name}{extra}"))
    log.debug("moved %s to %s", path, target)
    return target
