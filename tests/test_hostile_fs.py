"""Files outside the story folder are never read; special files are never waited on; names that
are not valid UTF-8 or hold newlines are shown escaped and cannot break a run."""

from __future__ import annotations

import json
import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.ingest.read import read_folder
from summarizer.run.batch import discover_stories

BODY = (
    "Pemerintah mengumumkan bantuan baru bagi warga yang terdampak banjir di Jakarta pekan ini. "
    "Menteri Sosial mengatakan bantuan akan disalurkan mulai Senin kepada seluruh keluarga.\n"
)
SECRET = "RAHASIA-PRIBADI root:x:0:0 kata sandi yang tidak boleh muncul di mana pun.\n"


@pytest.fixture
def story(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "a.txt").write_text(BODY, encoding="utf-8")
    return folder


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "private.txt"
    path.write_text(SECRET * 3, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def hang_guard() -> Iterator[None]:
    """A FIFO that is opened for reading blocks forever: fail instead of hanging."""

    def hang(signum: int, frame: object) -> None:
        raise AssertionError("blocked: a special file was waited on")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _reasons(folder: Path, **options: bool) -> dict[str, str]:
    documents, skipped = read_folder(folder, **options)
    assert all(SECRET.split()[0] not in d.text for d in documents)
    return {s.path: s.reason for s in skipped}


def test_link_to_a_file_outside_is_skipped(story: Path, secret: Path) -> None:
    (story / "b.txt").symlink_to(secret)
    (story / "passwd.txt").symlink_to("/etc/passwd")
    reasons = _reasons(story)
    assert "outside the story folder" in reasons["b.txt"] and "--follow-symlinks" in reasons["b.txt"]
    assert "outside the story folder" in reasons["passwd.txt"]


def test_follow_symlinks_reads_it_when_asked(story: Path, secret: Path) -> None:
    (story / "b.txt").symlink_to(secret)
    documents, skipped = read_folder(story, follow_symlinks=True)
    assert [d.id for d in documents] == ["a.txt", "b.txt"] and not skipped


def test_link_inside_the_folder_is_read(story: Path) -> None:
    (story / "copy.txt").symlink_to(story / "a.txt")
    documents, skipped = read_folder(story)
    assert [d.id for d in documents] == ["a.txt", "copy.txt"] and not skipped


def test_link_loops_and_linked_folders_are_skipped(story: Path) -> None:
    (story / "loop1.txt").symlink_to(story / "loop2.txt")
    (story / "loop2.txt").symlink_to(story / "loop1.txt")
    (story / "up.txt").symlink_to(story.parent)
    (story / "self").symlink_to(".")
    reasons = _reasons(story)
    assert "loop" in reasons["loop1.txt"] and "loop" in reasons["loop2.txt"]
    assert "symbolic link to a folder" in reasons["up.txt"]
    assert "self" in reasons


def test_special_files_are_skipped_never_waited_on(story: Path) -> None:
    os.mkfifo(story / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(story / "sock.txt"))
    try:
        (story / "null.txt").symlink_to("/dev/null")
        reasons = _reasons(story)
        documents, _ = read_folder(story, follow_symlinks=True)
        followed = _reasons(story, follow_symlinks=True)
    finally:
        server.close()
    assert reasons["pipe.txt"] == "not a regular file (a FIFO); not read"
    assert "socket" in reasons["sock.txt"]
    assert "outside the story folder" in reasons["null.txt"]
    assert followed["null.txt"] == "not a regular file (a character device); not read"
    assert [d.id for d in documents] == ["a.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_skipped(story: Path) -> None:
    locked = story / "locked.txt"
    locked.write_text(BODY, encoding="utf-8")
    locked.chmod(0)
    assert _reasons(story)["locked.txt"] == "cannot read: Permission denied"


def test_inbox_link_to_root_is_not_a_story(tmp_path: Path, story: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "real").mkdir()
    (inbox / "real" / "a.txt").write_text(BODY, encoding="utf-8")
    (inbox / "root").symlink_to("/")
    assert discover_stories([inbox]).stories == [inbox / "real"]
    assert set(discover_stories([inbox], follow_symlinks=True).stories) == {inbox / "real", inbox / "root"}


def test_odd_names_through_a_whole_run(tmp_path: Path) -> None:
    """A story folder and a file whose names are not UTF-8 and hold a newline: the run briefs
    them, every message is one escaped line, the outputs are valid JSON and `status` works."""
    root = os.fsencode(tmp_path)
    story = os.path.join(root, b"berita\xff\nbaru")
    os.mkdir(story)
    for name in (b"a.txt", b"-n\xfe.txt", b"b\nc.txt"):
        with open(os.path.join(story, name), "wb") as handle:
            handle.write((BODY + "Warga menyambut bantuan itu dengan gembira pada hari Senin.\n").encode())
    outputs = tmp_path / "outputs"
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["run", "--lang", "id", "--summarizer", "extractive", "-q", "-o", str(outputs), "--", os.fsdecode(story)],
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    (out_dir,) = [p for p in outputs.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert out_dir.name == "berita\\xff\\nbaru"
    briefing = json.loads((out_dir / "briefing.json").read_text(encoding="utf-8"))
    assert {a["id"] for a in briefing["articles"]} >= {"a.txt", "-n\\xfe.txt", "b\\nc.txt"}
    status = runner.invoke(app, ["status", "-o", str(outputs)])
    assert status.exit_code == 0 and "berita\\xff\\nbaru" in status.output
