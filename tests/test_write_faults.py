"""Write failures are clean: a full disk, a file size limit, no permission or a read-only file
system while writing outputs, the state database or a converted model is one line naming the file
and the error (exit 7), the previous outputs stay byte for byte, nothing temporary is left, and the
next run finishes the job with the outputs an uninterrupted run gives.

The faults are injected at the write calls themselves (a file handle whose write fails, a failing
rename, a failing SQLite COMMIT, a failing write inside the CTranslate2 converter) and, in
subprocesses, by the kernel under RLIMIT_FSIZE.
"""

from __future__ import annotations

import builtins
import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

import summarizer.output.files as files
from summarizer.cli import app, route
from summarizer.run.state import State

runner = CliRunner()
STORIES = {
    "alpha": ["000_04288ddc473c17d6.txt", "001_4608beaca02b4922.txt", "002_99ffd495cf952c86.txt"],
    "beta": ["003_a6e29feac7495037.txt", "004_cf0cacba1d35eebe.txt"],
}
# Files of the first story, in the order they are written: its article pages (4 once an article
# was added), then json, md, html.
ALPHA_FILES = 7
NEW_ARTICLE = (
    "Menteri Pertahanan Korea Selatan bertemu dengan mitranya dari Amerika Serikat di Washington.\n"
    "Keduanya membahas pengerahan pasukan Korea Utara ke Rusia dan dampaknya bagi keamanan kawasan.\n"
    "Pertemuan itu berlangsung selama dua jam dan diikuti oleh 12 pejabat senior dari kedua negara.\n"
)
EXTRACTIVE = ("--lang", "id", "--summarizer", "extractive")


def make_inbox(root: Path, seeds: Path) -> Path:
    inbox = root / "inbox"
    for story, names in STORIES.items():
        (inbox / story).mkdir(parents=True)
        for name in names:
            shutil.copy(seeds / name, inbox / story / name)
    return inbox


def add_articles(inbox: Path) -> None:
    """A new article in every story, so the next run re-briefs them all."""
    for story in STORIES:
        (inbox / story / "000_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")


def invoke(inbox: Path, out: Path, *options: str):
    return runner.invoke(app, route([str(inbox), *options, "-o", str(out), "-q"]), catch_exceptions=False)


def visible(out: Path) -> dict[str, bytes]:
    """Every output file as a reader sees it, by the stable paths outputs/<story>/..."""
    found = {}
    for story in STORIES:
        folder = out / story
        for path in sorted(folder.rglob("*")) if folder.exists() else []:
            if path.is_file():
                found[path.relative_to(out).as_posix()] = path.read_bytes()
    return found


def normalised(snapshot: dict[str, bytes], inbox: Path) -> dict[str, object]:
    """The outputs apart from timings and where the inbox is (all that differs between two equal runs)."""
    result: dict[str, object] = {}
    for name, data in snapshot.items():
        data = data.replace(str(inbox).encode(), b"INBOX")
        if name.endswith(".json"):
            document = json.loads(data)
            document.pop("timings", None)
            result[name] = document
        else:
            result[name] = data
    return result


LEFTOVER_MARKS = (".partial", ".tmp", ".summarize-probe-", ".summarize-walcheck-", ".corrupt-", ".stale-")


def _scratch(name: str) -> bool:
    """A conversion's scratch folder (the lock file beside the copy stays by design)."""
    return name.startswith(".ctranslate2-") and not name.endswith(".lock")


def leftovers(*roots: Path) -> list[Path]:
    """Temp files and folders, moved-aside databases, and conversion scratch folders."""
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if any(mark in path.name for mark in LEFTOVER_MARKS) or _scratch(path.name):
                found.append(path)
    return found


def assert_clean_failure(result, out: Path, before: dict[str, bytes], *named: str) -> str:
    """Exit 7, one line naming the path and the error, no traceback, outputs as before, no temp files."""
    assert result.exit_code == 7, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    (line,) = lines
    assert line.startswith("summarize: error: cannot write "), line
    for part in named:
        assert part in line, (part, line)
    assert "Traceback" not in result.stderr + result.stdout
    assert visible(out) == before
    assert leftovers(out) == []
    return line


@pytest.fixture(scope="module")
def reference(seeds_dir, tmp_path_factory) -> dict[str, object]:
    """What an uninterrupted run gives after the articles were added (outputs, no timings)."""
    root = tmp_path_factory.mktemp("reference")
    inbox = make_inbox(root, seeds_dir)
    assert invoke(inbox, root / "out", *EXTRACTIVE).exit_code == 0
    add_articles(inbox)
    assert invoke(inbox, root / "out", *EXTRACTIVE).exit_code == 0
    return normalised(visible(root / "out"), inbox)


@pytest.fixture
def briefed(seeds_dir, tmp_path):
    """An outputs folder briefed once, whose inputs then changed: the next run rewrites everything."""
    inbox = make_inbox(tmp_path, seeds_dir)
    out = tmp_path / "out"
    assert invoke(inbox, out, *EXTRACTIVE).exit_code == 0
    before = visible(out)
    assert len(before) == (ALPHA_FILES - 1) + 5
    add_articles(inbox)
    return inbox, out, before


def assert_next_run_recovers(
    inbox: Path, out: Path, reference: dict[str, object], statuses: tuple[str, ...] = ("briefed", "briefed")
) -> None:
    result = invoke(inbox, out, *EXTRACTIVE, "--json")
    assert result.exit_code == 0, result.output
    assert normalised(visible(out), inbox) == reference
    assert leftovers(out) == []
    assert tuple(f["status"] for f in json.loads(result.stdout)["folders"]) == statuses


class _FailingHandle:
    """A file whose write fails part-way, as write(2) does on a full disk: some bytes got out."""

    def __init__(self, handle, code: int) -> None:
        self._handle, self._code = handle, code

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._handle.close()

    def write(self, text: str) -> int:
        self._handle.write(text[: len(text) // 2])
        self._handle.flush()
        raise OSError(self._code, os.strerror(self._code))

    def __getattr__(self, name):
        return getattr(self._handle, name)


def fail_nth_file(monkeypatch, n: int, code: int) -> list[Path]:
    """Make the `n`th output file written fail with `code`; returns the files opened."""
    opened: list[Path] = []

    def opening(path, *args, **kwargs):
        handle = builtins.open(path, *args, **kwargs)
        opened.append(Path(path))
        return _FailingHandle(handle, code) if len(opened) == n else handle

    monkeypatch.setattr(files, "open", opening, raising=False)
    return opened


@pytest.mark.parametrize(
    ("moment", "n", "code", "words"),
    [
        ("first file", 1, errno.ENOSPC, "No space left on device (ENOSPC)"),
        ("middle file", ALPHA_FILES // 2 + 1, errno.EFBIG, "File too large (EFBIG)"),
        ("last file", ALPHA_FILES, errno.EACCES, "Permission denied (EACCES)"),
        ("read-only", 2, errno.EROFS, "Read-only file system (EROFS)"),
    ],
)
def test_a_failed_output_write_changes_nothing_and_the_next_run_recovers(
    briefed, reference, monkeypatch, moment, n, code, words
):
    inbox, out, before = briefed
    opened = fail_nth_file(monkeypatch, n, code)
    result = invoke(inbox, out, *EXTRACTIVE)
    failed = opened[n - 1]
    assert_clean_failure(result, out, before, str(failed), words)
    monkeypatch.undo()
    assert_next_run_recovers(inbox, out, reference)


def test_a_failure_in_the_second_folder_keeps_the_first_folders_new_briefing(briefed, reference, monkeypatch):
    """Folders switch one by one: the first is wholly new, the second wholly old, never a mix."""
    inbox, out, before = briefed
    # The first story's files, then the list of what was written into its generation.
    opened = fail_nth_file(monkeypatch, ALPHA_FILES + 2, errno.ENOSPC)
    result = invoke(inbox, out, *EXTRACTIVE)
    assert result.exit_code == 7 and "No space left on device" in result.stderr
    assert "/beta/" in str(opened[-1]) or "beta" in opened[-1].parts
    now = visible(out)
    assert {k: v for k, v in now.items() if k.startswith("beta/")} == {
        k: v for k, v in before.items() if k.startswith("beta/")
    }
    alpha = {k: v for k, v in normalised(now, inbox).items() if k.startswith("alpha/")}
    assert alpha == {k: v for k, v in reference.items() if k.startswith("alpha/")}
    assert leftovers(out) == []
    monkeypatch.undo()
    assert_next_run_recovers(inbox, out, reference, ("unchanged", "briefed"))


@pytest.mark.parametrize(
    ("call", "code"),
    [("rename", errno.EROFS), ("replace", errno.EACCES)],
    ids=["the new generation's rename", "the switch of the link"],
)
def test_a_failed_switch_changes_nothing(briefed, reference, monkeypatch, call, code):
    inbox, out, before = briefed
    real = getattr(os, call)

    def failing(source, target, *args, **kwargs):
        target = Path(target)
        switching = target.parent.parent.name == files.GENERATIONS if call == "rename" else target.parent == out
        if switching:
            raise OSError(code, os.strerror(code), str(source))
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(os, call, failing)
    result = invoke(inbox, out, *EXTRACTIVE)
    assert_clean_failure(result, out, before, str(out), os.strerror(code))
    monkeypatch.undo()
    assert_next_run_recovers(inbox, out, reference)


class _FullDatabase:
    """An SQLite connection whose COMMITs fail as SQLite's own do on a full disk."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def execute(self, sql: str, *args):
        if sql.strip().upper() == "COMMIT":
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorname = "SQLITE_FULL"
            raise error
        return self._connection.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._connection, name)


def test_a_failed_commit_of_the_state_database_switches_the_folder_back(briefed, reference, monkeypatch):
    """The outputs were switched in, then recording them failed: the folder is switched back, so
    the outputs and the state database never disagree."""
    inbox, out, before = briefed
    real_init = State.__init__

    def full_database(self, path):
        real_init(self, path)
        self._db = _FullDatabase(self._db)

    monkeypatch.setattr(State, "__init__", full_database)
    result = invoke(inbox, out, *EXTRACTIVE)
    assert_clean_failure(result, out, before, str(out / "summarize.sqlite3"), "database or disk is full (SQLITE_FULL)")
    generations = [p for p in (out / ".generations" / "alpha").iterdir() if p.is_dir()]
    assert len(generations) == 1, "the new generation was removed"
    monkeypatch.undo()
    assert_next_run_recovers(inbox, out, reference)


def test_a_failed_cache_write_stops_the_run_in_one_line(briefed, reference, monkeypatch):
    from summarizer.cache import Cache

    inbox, out, before = briefed
    real_init = Cache.__init__

    def full_cache(self, path):
        real_init(self, path)
        self._connection = _FullDatabase(self._connection)

    monkeypatch.setattr(Cache, "__init__", full_cache)
    result = invoke(inbox, out, *EXTRACTIVE)
    assert_clean_failure(result, out, before, str(out / "summarize.sqlite3"), "SQLITE_FULL")
    monkeypatch.undo()
    assert_next_run_recovers(inbox, out, reference)
    status = runner.invoke(app, ["status", "-o", str(out), "--json"])
    runs = json.loads(status.stdout)["runs"]
    assert [r["status"] for r in runs] == ["ok", "failed", "ok"]
    assert "SQLITE_FULL" in runs[1]["error"]


# --- the converted model -------------------------------------------------------------------------


@pytest.fixture
def translator_store(tiny_models_for, tmp_path) -> Path:
    """A private copy of the tiny translator, not yet converted for CTranslate2."""
    shared = tiny_models_for("opus-mt-id-en")
    store = tmp_path / "models"
    shutil.copytree(shared / "opus-mt-id-en", store / "opus-mt-id-en", ignore=shutil.ignore_patterns("ctranslate2-*"))
    return store


def test_a_failed_conversion_write_leaves_no_scratch_and_the_old_copy(
    translator_store, seeds_dir, tmp_path, monkeypatch
):
    from ctranslate2.specs import model_spec

    inbox = make_inbox(tmp_path, seeds_dir)
    out = tmp_path / "out"
    options = ("--lang", "en", "--summarizer", "extractive", "--models-dir", str(translator_store))
    assert invoke(inbox, out, *options).exit_code == 0
    model = translator_store / "opus-mt-id-en"
    converted = model / "ctranslate2-int8"
    copy_before = {p.name: p.read_bytes() for p in converted.iterdir()}
    before = visible(out)
    # The source files changed (a newer download): the copy is stale and is converted again.
    stamp = os.stat(model / "config.json")
    os.utime(model / "config.json", ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    add_articles(inbox)

    def full_disk_open(path, mode="r", *args, **kwargs):
        handle = builtins.open(path, mode, *args, **kwargs)
        return _FailingHandle(handle, errno.ENOSPC) if str(path).endswith("model.bin") else handle

    monkeypatch.setattr(model_spec, "open", full_disk_open, raising=False)
    result = invoke(inbox, out, *options)
    assert_clean_failure(result, out, before, str(converted), "No space left on device (ENOSPC)")
    assert {p.name: p.read_bytes() for p in converted.iterdir()} == copy_before
    assert leftovers(translator_store) == []
    monkeypatch.undo()
    again = invoke(inbox, out, *options)
    assert again.exit_code == 0, again.output
    assert leftovers(translator_store, out) == []


def test_a_models_folder_that_cannot_be_written_stops_conversion_in_one_line(
    translator_store, seeds_dir, tmp_path, monkeypatch
):
    """Converting needs a scratch folder beside the model: refused (EACCES) it is one line, exit 7."""
    inbox = make_inbox(tmp_path, seeds_dir)
    out = tmp_path / "out"
    real_mkdtemp = __import__("tempfile").mkdtemp

    def refused(*args, dir=None, **kwargs):
        if dir is not None and Path(dir).parent == translator_store:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dir))
        return real_mkdtemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr("tempfile.mkdtemp", refused)
    result = invoke(inbox, out, "--lang", "en", "--summarizer", "extractive", "--models-dir", str(translator_store))
    assert_clean_failure(result, out, {}, str(translator_store / "opus-mt-id-en"), "Permission denied (EACCES)")


# --- RLIMIT_FSIZE: the kernel refuses the write ---------------------------------------------------

# Runs the real entry point with a file size limit, set for the whole process or only once a named
# function is entered (the limit is then the size the file has reached, so any growth fails).
LIMITED = """
import resource, signal, sys
from pathlib import Path
# Python ignores SIGXFSZ already; said here too because the test depends on it: the write returns
# EFBIG instead of the process being killed.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit, where, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
_, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
if where == "process":
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
else:
    import importlib
    module_name, _, function_name = where.rpartition(".")
    owner_name, _, attribute = module_name.rpartition(":")
    module = importlib.import_module(owner_name or module_name)
    owner = getattr(module, attribute) if owner_name else module
    real = getattr(owner, function_name)
    def limited(*args, **kwargs):
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
        return real(*args, **kwargs)
    setattr(owner, function_name, limited)
sys.argv = ["summarize", *argv]
from summarizer.cli import main
main()
"""


def run_limited(limit: int, where: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(LIMITED), str(limit), where, *argv],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize(
    ("limit", "where", "named"),
    [
        (0, "process", ".summarize.lock"),
        (16384, "process", "summarize.sqlite3"),
        (1000, "summarizer.output.files.publish", "/.generations/alpha/"),
        (0, "summarizer.run.state:State.record_briefed", "summarize.sqlite3"),
    ],
    ids=["lock file", "state database", "outputs", "state database commit"],
)
def test_a_file_size_limit_is_one_line_and_the_next_run_recovers(briefed, reference, limit, where, named):
    inbox, out, before = briefed
    argv = [str(inbox), *EXTRACTIVE, "-o", str(out), "-q"]
    if where.endswith("record_briefed"):
        # Any growth of the database's WAL fails once the first folder is being recorded.
        limit = (out / "summarize.sqlite3-wal").stat().st_size if (out / "summarize.sqlite3-wal").exists() else 0
    completed = run_limited(limit, where, *argv)
    assert completed.returncode == 7, completed.stderr
    lines = completed.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("summarize: error: cannot write "), completed.stderr
    assert named in lines[0]
    assert "File too large" in lines[0] or "SQLITE_FULL" in lines[0] or "SQLITE_IOERR" in lines[0], lines[0]
    assert visible(out) == before
    assert leftovers(out) == []
    assert_next_run_recovers(inbox, out, reference)


def test_a_file_size_limit_during_conversion(translator_store):
    """The converter's own write of model.bin hits the limit: one line, no scratch folder."""
    code = f"""
from summarizer.errors import WriteError
from summarizer.models.ct2_convert import converted_dir
from summarizer.models.store import resolve_model
import resource, signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
try:
    converted_dir(resolve_model("opus-mt-id-en", {str(translator_store)!r}), "int8")
except WriteError as error:
    print(error)
"""
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stderr
    assert "cannot write " in completed.stdout and "File too large (EFBIG)" in completed.stdout, completed.stdout
    assert str(translator_store / "opus-mt-id-en") in completed.stdout
    assert leftovers(translator_store) == []
    assert not (translator_store / "opus-mt-id-en" / "ctranslate2-int8").exists()
