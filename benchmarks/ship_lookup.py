"""The driver's shipping lookup with 100,000 cached summaries, before and after schema 2's indexes.

Per folder sent to a Ray actor, the driver looks up the cache rows the actor may need
(`job_entries`: translations of the folder's sentences, summaries of its articles). This times
that lookup for a seeds-sized folder (5 articles, 142 sentences) in three databases holding the
same `--folders` earlier folders (30 translated sentences and 5 summaries each; the default
20,000 makes 100,000 summary rows and 600,000 translation rows), plus the folder's own rows:

- schema 1: the tables and the two queries as they were before schema 2 (translations selected
  by source sentence, summaries by the article id inside their JSON): both scan their table;
- schema 1 migrated to 2 by `prepare_database` (timed): the rows have no ref, so summaries are
  found by article id through the partial expression index;
- schema 2 as written now: summaries stored with their article's content hash (`ref`).

    python benchmarks/ship_lookup.py [--folders 20000] > result.json
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.cache import Cache  # noqa: E402
from summarizer.document import Folder  # noqa: E402
from summarizer.ingest.folder import load_folder  # noqa: E402
from summarizer.run.database import prepare_database  # noqa: E402
from summarizer.run.executors import job_entries  # noqa: E402
from summarizer.run.pipeline import SUMMARY_NAMESPACE  # noqa: E402
from summarizer.run.state import _SCHEMA as STATE_SCHEMA  # noqa: E402

REPEATS = 7
# Schema 1's cache tables and its two shipping queries, as they were.
SCHEMA_1_CACHE = """
CREATE TABLE translations (
    model TEXT NOT NULL, revision TEXT NOT NULL, settings TEXT NOT NULL, source TEXT NOT NULL,
    text TEXT NOT NULL, flags TEXT NOT NULL, created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (model, revision, settings, source)
);
CREATE TABLE entries (
    namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (namespace, key)
);
"""
SCHEMA_1_TRANSLATIONS = "SELECT model, revision, settings, source, text, flags FROM translations WHERE source IN ({})"
SCHEMA_1_SUMMARIES = "SELECT key, value FROM entries WHERE namespace = ? AND json_extract(value, ?) IN ({})"


def rows(folders: int, folder: Folder, with_refs: bool) -> tuple[list[tuple], list[tuple]]:
    """(translation rows, entry rows) of `folders` earlier folders and of `folder` itself."""
    translations = [
        ("opus-mt-id-en", "rev", "settings", f"kalimat {n}-{i} yang cukup panjang", f"sentence {n}-{i}", "[]")
        for n in range(folders)
        for i in range(30)
    ]
    translations += [
        ("opus-mt-id-en", "rev", "settings", s.text, s.text, "[]") for a in folder.articles for s in a.sentences()
    ]
    entries = [
        (SUMMARY_NAMESPACE, f"{n}-{i}", json.dumps({"article_id": f"{n:06d}_{i}.txt"}), f"sha-{n}-{i}")
        for n in range(folders)
        for i in range(5)
    ]
    entries += [
        (SUMMARY_NAMESPACE, f"seeds-{a.id}", json.dumps({"article_id": a.id}), a.source.sha256) for a in folder.articles
    ]
    if not with_refs:
        entries = [row[:3] for row in entries]
    return translations, entries


def schema_1_database(path: Path, folders: int, folder: Folder) -> None:
    translations, entries = rows(folders, folder, with_refs=False)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(STATE_SCHEMA + SCHEMA_1_CACHE)
        connection.executemany("INSERT INTO translations VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)", translations)
        connection.executemany("INSERT INTO entries VALUES (?, ?, ?, CURRENT_TIMESTAMP)", entries)
        connection.execute("PRAGMA user_version = 1")


def schema_2_database(path: Path, folders: int, folder: Folder) -> None:
    prepare_database(path)
    translations, entries = rows(folders, folder, with_refs=True)
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO translations (model, revision, settings, source, text, flags) VALUES (?, ?, ?, ?, ?, ?)",
            translations,
        )
        connection.executemany("INSERT INTO entries (namespace, key, value, ref) VALUES (?, ?, ?, ?)", entries)


def schema_1_lookup(connection: sqlite3.Connection, folder: Folder) -> int:
    sources = list(dict.fromkeys(s.text for a in folder.articles for s in a.sentences()))
    found = connection.execute(SCHEMA_1_TRANSLATIONS.format(",".join("?" * len(sources))), sources).fetchall()
    ids = [a.id for a in folder.articles]
    found += connection.execute(
        SCHEMA_1_SUMMARIES.format(",".join("?" * len(ids))), (SUMMARY_NAMESPACE, "$.article_id", *ids)
    ).fetchall()
    return len(found)


def timed(lookup: Callable[[], int]) -> dict[str, float]:
    times, found = [], 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        found = lookup()
        times.append(time.perf_counter() - started)
    return {"ms (median)": round(statistics.median(times) * 1000, 2), "rows shipped": found}


def plans(connection: sqlite3.Connection, statements: list[str]) -> list[str]:
    return [
        " | ".join(row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {s}").fetchall())
        for s in statements
        if s.lstrip().upper().startswith("SELECT")
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", type=int, default=20_000, help="earlier folders in the cache (5 summaries each)")
    args = parser.parse_args()
    folder = load_folder(ROOT / "seeds")
    result: dict[str, object] = {"earlier folders": args.folders, "summary rows": args.folders * 5 + 5}
    with tempfile.TemporaryDirectory(prefix="ship-lookup-") as workdir:
        old, fresh = Path(workdir) / "schema1.sqlite3", Path(workdir) / "schema2.sqlite3"
        schema_1_database(old, args.folders, folder)
        with sqlite3.connect(old) as connection:
            result["schema 1"] = timed(lambda: schema_1_lookup(connection, folder))
            statements: list[str] = []
            connection.set_trace_callback(statements.append)
            schema_1_lookup(connection, folder)
            result["schema 1 plans"] = plans(connection, statements)
        result["database MiB"] = round(old.stat().st_size / 2**20, 1)
        started = time.perf_counter()
        prepare_database(old)
        result["migration s"] = round(time.perf_counter() - started, 2)
        schema_2_database(fresh, args.folders, folder)
        for name, path in (("schema 1 migrated to 2", old), ("schema 2", fresh)):
            with Cache(path) as cache:
                result[name] = timed(lambda cache=cache: len(job_entries(cache, folder)))
                statements = []
                cache._connection.set_trace_callback(statements.append)
                job_entries(cache, folder)
                result[f"{name} plans"] = plans(cache._connection, statements)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
