"""An embedded SQLite cache for translations and other per-run results.

One file (default ``outputs/summarize.sqlite3``; the caller passes the path) shared by every run:
WAL mode lets readers and a writer work at once, ``busy_timeout`` makes a second writer wait
instead of failing, and every write is one ``BEGIN IMMEDIATE`` transaction, so a run killed at any
moment leaves the file readable with every finished write in it (that is also what lets a
re-run resume: what was translated before the kill is a cache hit now).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.document import Flag
from summarizer.errors import SummarizerError, sqlite_write_error
from summarizer.paths import outputs_dir

CACHE_FILE_NAME = "summarize.sqlite3"
# Namespace under which translation hits and misses are counted.
TRANSLATION = "translation"
# How long a writer waits for another run's transaction before giving up (milliseconds).
BUSY_TIMEOUT_MS = 60_000
# SQLite caps host parameters per statement (32766 since 3.32); stay well below.
_LOOKUP_CHUNK = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    model TEXT NOT NULL,
    revision TEXT NOT NULL,
    settings TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    flags TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (model, revision, settings, source)
);
CREATE TABLE IF NOT EXISTS entries (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ref TEXT,  -- what a driver finds the row by before the work is done (see LOOKUP_INDEXES)
    PRIMARY KEY (namespace, key)
);
"""
# A driver ships a worker every row the worker may look up (entries_for); these make that a key
# lookup instead of a scan of the whole cache. Translations are found by source sentence (their
# primary key starts with the model). An entry's key is a hash of inputs only the worker knows (a
# summary's depends on the translations), so entries carry a `ref` the driver knows beforehand
# (a summary's: the content hash of its article). Rows stored before refs existed are found by
# the article id in their JSON, through an index that holds only them.
LEGACY_LOOKUP_FIELD = "article_id"
LOOKUP_INDEXES = f"""
CREATE INDEX IF NOT EXISTS translations_by_source ON translations (source);
CREATE INDEX IF NOT EXISTS entries_by_ref ON entries (namespace, ref) WHERE ref IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_legacy_by_article
    ON entries (namespace, json_extract(value, '$.{LEGACY_LOOKUP_FIELD}')) WHERE ref IS NULL;
"""


def default_cache_path() -> Path:
    """Where the shared cache lives unless the caller says otherwise."""
    return outputs_dir() / CACHE_FILE_NAME


@dataclass(frozen=True)
class TranslationKey:
    """What a cached translation depends on besides its source sentence."""

    model: str
    revision: str | None
    settings: str  # a hash of every generation setting that can change the output


@dataclass(frozen=True)
class CachedTranslation:
    text: str
    flags: tuple[Flag, ...] = ()


@dataclass
class CacheEntries:
    """Cache rows in transit: what a driver ships to a worker, and the new rows a worker sends back."""

    translations: list[tuple[TranslationKey, str, CachedTranslation]] = field(default_factory=list)
    # (namespace, key, JSON value, ref or None)
    values: list[tuple[str, str, Any, str | None]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.translations) + len(self.values)


class Cache:
    """Translations keyed by (model, revision, settings hash, source sentence), plus a generic
    JSON key/value table by namespace. Counts hits and misses per namespace."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()
        self._connection = _connect(self.path)

    # --- translations ---------------------------------------------------------------------

    def get_translations(self, key: TranslationKey, sources: Iterable[str]) -> dict[str, CachedTranslation]:
        """The cached translations of those `sources` that have one (each source counted once)."""
        wanted = list(dict.fromkeys(sources))
        found: dict[str, CachedTranslation] = {}
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[start : start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._connection.execute(
                "SELECT source, text, flags FROM translations WHERE model = ? AND revision = ?"
                f" AND settings = ? AND source IN ({marks})",
                (key.model, key.revision or "", key.settings, *chunk),
            )
            for source, text, flags in rows:
                found[source] = CachedTranslation(text, _flags_from_json(flags))
        self.hits[TRANSLATION] += len(found)
        self.misses[TRANSLATION] += len(wanted) - len(found)
        return found

    def put_translations(self, key: TranslationKey, items: Iterable[tuple[str, CachedTranslation]]) -> None:
        """Store (source, translation) pairs in one transaction."""
        rows = [
            (key.model, key.revision or "", key.settings, source, t.text, _flags_to_json(t.flags))
            for source, t in items
        ]
        with self._write() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO translations (model, revision, settings, source, text, flags)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    # --- generic entries ------------------------------------------------------------------

    def get(self, namespace: str, key: str, default: Any = None) -> Any:
        """The JSON value stored under (namespace, key), or `default`."""
        row = self._connection.execute(
            "SELECT value FROM entries WHERE namespace = ? AND key = ?", (namespace, key)
        ).fetchone()
        if row is None:
            self.misses[namespace] += 1
            return default
        self.hits[namespace] += 1
        return json.loads(row[0])

    def put(self, namespace: str, key: str, value: Any, ref: str | None = None) -> None:
        """Store a JSON-serialisable value under (namespace, key), replacing any older one; `ref`
        is what entries_for finds it by (a summary's: its article's content hash)."""
        encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
        with self._write() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO entries (namespace, key, value, ref) VALUES (?, ?, ?, ?)",
                (namespace, key, encoded, ref),
            )

    # --- shipping rows to and from workers ------------------------------------------------

    def entries_for(
        self, sources: Iterable[str], namespace: str, refs: Iterable[str], legacy_ids: Iterable[str] = ()
    ) -> CacheEntries:
        """Every stored translation of one of `sources` (whatever model made it), and every
        `namespace` entry whose ref is one of `refs`, or, stored before refs existed, whose JSON
        value's LEGACY_LOOKUP_FIELD is one of `legacy_ids`. Each is an index lookup.

        A worker cannot ask the driver mid-folder, so it gets everything it might look up: the
        translation key and the summary key depend on the loaded model and on the translations,
        which only the worker knows. Extra rows are harmless; keys are content hashes.
        """
        shipped = CacheEntries()
        for chunk in _chunks(sources):
            rows = self._connection.execute(
                "SELECT model, revision, settings, source, text, flags FROM translations"
                f" WHERE source IN ({_marks(chunk)})",
                chunk,
            )
            for model, revision, settings, source, text, flags in rows:
                key = TranslationKey(model, revision or None, settings)
                shipped.translations.append((key, source, CachedTranslation(text, _flags_from_json(flags))))
        for chunk in _chunks(refs):
            rows = self._connection.execute(
                f"SELECT key, value, ref FROM entries WHERE namespace = ? AND ref IN ({_marks(chunk)})",
                (namespace, *chunk),
            )
            shipped.values.extend((namespace, key, json.loads(value), ref) for key, value, ref in rows)
        for chunk in _chunks(legacy_ids):
            rows = self._connection.execute(
                f"SELECT key, value FROM entries WHERE namespace = ? AND ref IS NULL"
                f" AND json_extract(value, '$.{LEGACY_LOOKUP_FIELD}') IN ({_marks(chunk)})",
                (namespace, *chunk),
            )
            shipped.values.extend((namespace, key, json.loads(value), None) for key, value in rows)
        return shipped

    def add(self, entries: CacheEntries) -> None:
        """Store rows made elsewhere, all in one transaction (hit and miss counts are not touched)."""
        by_key: dict[TranslationKey, list[tuple[str, CachedTranslation]]] = {}
        for key, source, translation in entries.translations:
            by_key.setdefault(key, []).append((source, translation))
        with self._write() as connection:
            for key, items in by_key.items():
                connection.executemany(
                    "INSERT OR REPLACE INTO translations (model, revision, settings, source, text, flags)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (key.model, key.revision or "", key.settings, s, t.text, _flags_to_json(t.flags))
                        for s, t in items
                    ],
                )
            connection.executemany(
                "INSERT OR REPLACE INTO entries (namespace, key, value, ref) VALUES (?, ?, ?, ?)",
                [
                    (ns, key, json.dumps(value, ensure_ascii=False, sort_keys=True), ref)
                    for ns, key, value, ref in entries.values
                ],
            )

    # --- housekeeping ---------------------------------------------------------------------

    def stats(self) -> dict[str, dict[str, int]]:
        """Hits and misses per namespace, for the run report."""
        names = sorted(set(self.hits) | set(self.misses))
        return {n: {"hits": self.hits[n], "misses": self.misses[n]} for n in names}

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so two runs queue on busy_timeout instead of
        # deadlocking on a read lock that each wants to upgrade.
        try:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
                self._connection.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    self._connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            # A full disk or a file size limit: one line naming the database, not a traceback.
            failure = sqlite_write_error(self.path, error)
            if failure is None:
                raise
            raise failure from None


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # isolation_level=None: transactions are exactly the BEGIN/COMMIT pairs in _write.
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _retry_while_locked(lambda: _prepare(connection))
    except sqlite3.DatabaseError as error:
        if _is_locked(error):
            raise SummarizerError(f"the cache {path} stayed locked by another run: {error}") from error
        raise SummarizerError(
            f"the cache {path} is not a usable SQLite database ({error}); delete it to start afresh"
        ) from error
    return connection


def _prepare(connection: sqlite3.Connection) -> None:
    (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
    if mode.lower() != "wal":
        connection.execute("PRAGMA journal_mode = WAL")
    # NORMAL is crash-safe in WAL mode (a killed process loses nothing committed); only a
    # power cut may drop the last transactions, which for a cache just means a re-translation.
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.executescript(_SCHEMA)
    add_lookup_indexes(connection)


def add_lookup_indexes(connection: sqlite3.Connection) -> None:
    """Bring the cache tables of an older database up to LOOKUP_INDEXES (a no-op when they are);
    the state database's migration to schema 2 is this."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(entries)")}
    if "ref" not in columns:
        connection.execute("ALTER TABLE entries ADD COLUMN ref TEXT")
    connection.executescript(LOOKUP_INDEXES)


def _chunks(items: Iterable[str]) -> Iterator[list[str]]:
    """`items` without repeats, in chunks small enough for one statement's parameters."""
    unique = list(dict.fromkeys(items))
    for start in range(0, len(unique), _LOOKUP_CHUNK):
        yield unique[start : start + _LOOKUP_CHUNK]


def _marks(chunk: list[str]) -> str:
    return ",".join("?" * len(chunk))


def _retry_while_locked(action: Callable[[], None]) -> None:
    """Run `action`, retrying while another connection holds the lock.

    Switching to WAL and the first schema creation can report "database is locked" at once,
    without consulting the busy handler, when two runs open a new cache file together.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.01
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as error:
            if not _is_locked(error) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def _is_locked(error: sqlite3.DatabaseError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _flags_to_json(flags: Iterable[Flag]) -> str:
    return json.dumps([[f.code, f.detail] for f in flags], ensure_ascii=False)


def _flags_from_json(text: str) -> tuple[Flag, ...]:
    return tuple(Flag(code, detail) for code, detail in json.loads(text))


class MemoryCache(Cache):
    """A private in-memory cache prefilled with shipped rows, which records the rows added to it.

    A worker briefs through it exactly as through the shared file (same lookups, same hit and miss
    counts) without touching that file; `written` is what it sends back for the driver to store.
    """

    def __init__(self, prefill: CacheEntries | None = None) -> None:
        super().__init__(":memory:")
        if prefill:
            self.add(prefill)
        self.written = CacheEntries()

    def put_translations(self, key: TranslationKey, items: Iterable[tuple[str, CachedTranslation]]) -> None:
        items = list(items)
        super().put_translations(key, items)
        self.written.translations.extend((key, source, translation) for source, translation in items)

    def put(self, namespace: str, key: str, value: Any, ref: str | None = None) -> None:
        super().put(namespace, key, value, ref)
        # Stored as its JSON round trip, exactly what a file-backed cache would give back.
        self.written.values.append((namespace, key, json.loads(json.dumps(value, ensure_ascii=False)), ref))
