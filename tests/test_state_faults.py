"""The state database heals or stops in one line: corrupt files, a newer schema, a folder in its
place, a read-only database, and a stale -wal from another database, in `run` and `status`."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from summarizer.cache import CACHE_FILE_NAME
from summarizer.cli import app
from summarizer.errors import ExitCode
from summarizer.run.database import SCHEMA_VERSION

BODY = (
    "Pemerintah mengumumkan bantuan baru bagi warga yang terdampak banjir di Jakarta pekan ini. "
    "Menteri Sosial mengatakan bantuan akan disalurkan mulai Senin kepada seluruh keluarga. "
    "Warga menyambut bantuan itu dengan gembira pada hari Senin.\n"
)


def _story(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "a.txt").write_text(BODY, encoding="utf-8")
    return folder


def _run(story: Path, outputs: Path) -> Result:
    args = ["run", "--lang", "id", "--summarizer", "extractive", "-q", "-o", str(outputs), str(story)]
    return CliRunner().invoke(app, args)


def _status(outputs: Path) -> Result:
    return CliRunner().invoke(app, ["status", "-o", str(outputs)])


def _one_line_error(result: Result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("summarize: error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.fixture
def briefed(tmp_path: Path) -> tuple[Path, Path]:
    story, outputs = _story(tmp_path, "banjir"), tmp_path / "outputs"
    assert _run(story, outputs).exit_code == 0
    return story, outputs


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1500])


def _random(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def _zero_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096 : 2 * 4096] = bytes(4096)
    path.write_bytes(bytes(data))


def _zero_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _random, _zero_page, _zero_header])
def test_a_damaged_database_is_moved_aside_and_the_run_goes_on(briefed: tuple[Path, Path], damage) -> None:
    story, outputs = briefed
    database = outputs / CACHE_FILE_NAME
    briefing = (outputs / "banjir" / "briefing.json").read_bytes()
    damage(database)
    status = _status(outputs)
    line = _one_line_error(status, ExitCode.STATE)
    assert "not usable" in line and "summarize run" in line
    result = _run(story, outputs)
    assert result.exit_code == 0, result.output
    assert "moved it to summarize.sqlite3.corrupt-" in result.stderr
    assert list(outputs.glob("summarize.sqlite3.corrupt-*"))
    assert (outputs / "banjir" / "briefing.json").read_bytes() != b"" and briefing
    assert _status(outputs).exit_code == 0
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_a_newer_schema_is_refused(briefed: tuple[Path, Path]) -> None:
    story, outputs = briefed
    with sqlite3.connect(outputs / CACHE_FILE_NAME) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    assert "newer summarize" in _one_line_error(_run(story, outputs), ExitCode.STATE)
    assert "newer summarize" in _one_line_error(_status(outputs), ExitCode.STATE)


def test_an_older_database_is_migrated(briefed: tuple[Path, Path]) -> None:
    story, outputs = briefed
    with sqlite3.connect(outputs / CACHE_FILE_NAME) as connection:
        connection.execute("PRAGMA user_version = 0")
        connection.execute("DROP TABLE database_meta")
    assert _run(story, outputs).exit_code == 0
    with sqlite3.connect(outputs / CACHE_FILE_NAME) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert connection.execute("SELECT count(*) FROM folders").fetchone() == (1,)


def test_a_folder_in_place_of_the_database(tmp_path: Path) -> None:
    story, outputs = _story(tmp_path, "banjir"), tmp_path / "outputs"
    (outputs / CACHE_FILE_NAME).mkdir(parents=True)
    assert "is a folder" in _one_line_error(_run(story, outputs), ExitCode.STATE)
    assert "is a folder" in _one_line_error(_status(outputs), ExitCode.STATE)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files and folders")
def test_read_only_database_and_folder(briefed: tuple[Path, Path]) -> None:
    story, outputs = briefed
    (outputs / CACHE_FILE_NAME).chmod(0o444)
    assert "read-only" in _one_line_error(_run(story, outputs), ExitCode.STATE)
    (outputs / CACHE_FILE_NAME).chmod(0o644)
    outputs.chmod(0o555)
    try:
        assert "cannot write" in _one_line_error(_run(story, outputs), ExitCode.STATE)
    finally:
        outputs.chmod(0o755)


def test_read_only_outputs_folder_via_a_failing_write(briefed: tuple[Path, Path], monkeypatch) -> None:
    """The same check as above where permissions cannot be used (root): the probe write fails."""
    import tempfile

    story, outputs = briefed

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", read_only)
    assert "Read-only file system" in _one_line_error(_run(story, outputs), ExitCode.STATE)


def test_a_wal_from_another_database_is_never_replayed(tmp_path: Path) -> None:
    first, second = _story(tmp_path, "banjir"), _story(tmp_path, "gempa")
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    assert _run(first, out_a).exit_code == 0
    assert _run(second, out_b).exit_code == 0
    # Leave a WAL behind in b (a connection that never checkpoints), and copy it beside a.
    holder = sqlite3.connect(out_b / CACHE_FILE_NAME, isolation_level=None)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("UPDATE folders SET last_error = 'from b'")
    holder.execute("UPDATE database_meta SET value = value")
    shutil.copyfile(out_b / f"{CACHE_FILE_NAME}-wal", out_a / f"{CACHE_FILE_NAME}-wal")
    holder.close()
    assert "another database" in _one_line_error(_status(out_a), ExitCode.STATE)
    result = _run(first, out_a)
    assert result.exit_code == 0, result.output
    assert "was not replayed" in result.stderr
    status = _status(out_a)
    assert status.exit_code == 0 and "banjir" in status.output and "gempa" not in status.output
    with sqlite3.connect(out_a / CACHE_FILE_NAME) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_crash_leaves_its_own_wal_which_is_replayed(briefed: tuple[Path, Path]) -> None:
    story, outputs = briefed
    database = outputs / CACHE_FILE_NAME
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("UPDATE folders SET last_error = 'kept from the wal'")
    saved = (outputs / f"{CACHE_FILE_NAME}-wal").read_bytes()
    holder.close()  # checkpoints and deletes the WAL; put it back as a killed process leaves it
    (outputs / f"{CACHE_FILE_NAME}-wal").write_bytes(saved)
    status = CliRunner().invoke(app, ["status", "--json", "-o", str(outputs)])
    assert status.exit_code == 0, status.output
    assert "kept from the wal" in status.stdout


# The cache tables as schema 1 had them (no lookup indexes, no `ref` on entries).
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
CREATE TABLE database_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO database_meta VALUES ('id', 'schema-1-database'), ('writes', '0');
"""


def _schema_1_database(path: Path, story: Path) -> None:
    """A database as summarize wrote it before schema 2, holding one translation of a sentence
    of `story` and summaries (without refs) of its article and of another folder's."""
    from summarizer.ingest.folder import load_folder
    from summarizer.run.state import _SCHEMA as STATE_SCHEMA

    sentence = next(load_folder(story).articles[0].sentences()).text
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.executescript(STATE_SCHEMA + SCHEMA_1_CACHE)
        connection.execute(
            "INSERT INTO translations (model, revision, settings, source, text, flags) VALUES (?, ?, ?, ?, ?, ?)",
            ("opus-mt-id-en", "r1", "s1", sentence, "The government announced aid.", "[]"),
        )
        connection.executemany(
            "INSERT INTO entries (namespace, key, value) VALUES ('summary', ?, ?)",
            [("old-a", '{"article_id": "a.txt", "sentences": []}'), ("old-z", '{"article_id": "z.txt"}')],
        )
        connection.execute("PRAGMA user_version = 1")


def _plans(connection: sqlite3.Connection, statements: list[str]) -> list[str]:
    plans = []
    for statement in statements:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall()
        plans.append(" | ".join(row[3] for row in rows))
    return plans


def test_a_schema_1_database_is_migrated_and_the_driver_lookups_use_indexes(tmp_path: Path) -> None:
    from summarizer.cache import Cache
    from summarizer.ingest.folder import load_folder
    from summarizer.run.database import prepare_database
    from summarizer.run.executors import job_entries

    story, outputs = _story(tmp_path, "banjir"), tmp_path / "outputs"
    database = outputs / CACHE_FILE_NAME
    _schema_1_database(database, story)

    assert prepare_database(database) == []
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert "ref" in {row[1] for row in connection.execute("PRAGMA table_info(entries)")}
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    folder = load_folder(story)
    with Cache(database) as cache:
        statements: list[str] = []
        cache._connection.set_trace_callback(statements.append)
        shipped = job_entries(cache, folder)
        cache._connection.set_trace_callback(None)
        plans = _plans(cache._connection, [s for s in statements if s.lstrip().upper().startswith("SELECT")])
    # The rows written before the migration are still shipped: the translation by its sentence,
    # the summary (which has no ref) by its article id; the other folder's summary is not.
    assert [(source[:14], t.text) for _, source, t in shipped.translations] == [
        ("Pemerintah men", "The government announced aid.")
    ]
    assert shipped.values == [("summary", "old-a", {"article_id": "a.txt", "sentences": []}, None)]
    assert len(plans) == 3, plans  # translations, summaries by ref, older summaries by article id
    assert "USING INDEX translations_by_source (source=?)" in plans[0]
    assert "USING INDEX entries_by_ref (namespace=? AND ref=?)" in plans[1]
    assert "USING INDEX entries_legacy_by_article (namespace=? AND <expr>=?)" in plans[2]
    assert not any("SCAN" in plan for plan in plans), plans

    # A run on the migrated database stores its summaries with their article's content hash.
    assert _run(story, outputs).exit_code == 0
    with sqlite3.connect(database) as connection:
        refs = connection.execute("SELECT ref FROM entries WHERE namespace = 'summary' AND key NOT LIKE 'old-%'")
        assert [ref for (ref,) in refs] == [folder.articles[0].source.sha256]
