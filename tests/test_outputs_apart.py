"""The outputs folder never overlaps the input, and only the tool's own files are deleted.

Every overlap shape goes through the CLI and must give exit 2, one line, and no change at all on
disk (the outputs folder is not even created). Cleanup of a rerun deletes what the state database
records as written by the tool, and nothing a user put beside it, even under the same names.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from summarizer.cli import app
from summarizer.errors import ExitCode, OutputsOverlapError
from summarizer.run.pipeline import RunOptions
from summarizer.run.watch import watch

BODIES = [
    "Pemerintah mengumumkan bantuan baru bagi warga yang terdampak banjir di Jakarta pekan ini. "
    "Menteri Sosial mengatakan bantuan akan disalurkan mulai Senin kepada seluruh keluarga.\n",
    "Banjir merendam ratusan rumah di Jakarta Timur sejak Sabtu malam, kata petugas. "
    "Sebanyak 1.200 warga mengungsi ke sekolah dan masjid terdekat.\n",
    "Gubernur Jakarta meninjau lokasi banjir dan berjanji memperbaiki tanggul yang jebol. "
    "Perbaikan tanggul diperkirakan selesai dalam dua pekan.\n",
]


def _story(folder: Path, count: int = 2) -> Path:
    folder.mkdir(parents=True)
    for number, body in enumerate(BODIES[:count]):
        (folder / f"berita{number}.txt").write_text(body, encoding="utf-8")
    return folder


def _run(*args: str | Path, outputs: Path | str, command: str = "run") -> Result:
    extra = ["--lang", "id", "--summarizer", "extractive", "-q"] if command == "run" else ["--lang", "id"]
    return CliRunner().invoke(app, [command, *extra, "-o", str(outputs), *map(str, args)])


def _tree(root: Path) -> dict[str, tuple]:
    """Every entry under `root` (links not followed) with its kind, content or target, and mtime."""
    found: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            info = path.lstat()
            if path.is_symlink():
                found[str(path.relative_to(root))] = ("link", os.readlink(path))
            elif path.is_dir():
                found[str(path.relative_to(root))] = ("dir",)
            else:
                found[str(path.relative_to(root))] = ("file", path.read_bytes(), info.st_mtime_ns)
    return found


def _refused(result: Result) -> str:
    """The run was refused in exactly one line, with the usage exit code."""
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("summarize: error: "), result.stderr
    return lines[0]


def _equal(root: Path) -> tuple[list[Path], Path]:
    story = _story(root / "story")
    return [story], story


def _inside(root: Path) -> tuple[list[Path], Path]:
    story = _story(root / "story")
    return [story], story / "outputs"


def _parent(root: Path) -> tuple[list[Path], Path]:
    # outputs/<story name>/ would be the story folder itself.
    story = _story(root / "news" / "story")
    return [story], root / "news"


def _ancestor(root: Path) -> tuple[list[Path], Path]:
    story = _story(root / "news" / "story")
    return [story], root


def _named_through_dots(root: Path) -> tuple[list[Path], Path]:
    story = _story(root / "story")
    (root / "elsewhere").mkdir()
    return [story], root / "elsewhere" / ".." / "story"


def _outputs_link_to_story(root: Path) -> tuple[list[Path], Path]:
    story = _story(root / "story")
    (root / "link").symlink_to(story)
    return [story], root / "link"


def _story_link_into_outputs(root: Path) -> tuple[list[Path], Path]:
    # The story is named through a link, but really lives inside the outputs folder.
    story = _story(root / "outputs" / "story")
    (root / "story").symlink_to(story)
    return [root / "story"], root / "outputs"


def _story_outputs_folder_is_a_link_to_it(root: Path) -> tuple[list[Path], Path]:
    story = _story(root / "story")
    (root / "outputs").mkdir()
    (root / "outputs" / "story").symlink_to(story)
    return [story], root / "outputs"


def _inside_a_story_of_the_inbox(root: Path) -> tuple[list[Path], Path]:
    inbox = root / "inbox"
    _story(inbox / "a")
    _story(inbox / "b")
    return [inbox], inbox / "a" / "outputs"


def _deep_inside_the_inbox(root: Path) -> tuple[list[Path], Path]:
    # inbox/x would be taken as a story on the next run, with the outputs inside it.
    inbox = root / "inbox"
    _story(inbox / "a")
    return [inbox], inbox / "x" / "outputs"


def _inbox_with_loose_articles(root: Path) -> tuple[list[Path], Path]:
    # The inbox's loose files are a story of their own, and the outputs would be inside it.
    inbox = root / "inbox"
    _story(inbox / "a")
    (inbox / "loose.txt").write_text(BODIES[2], encoding="utf-8")
    return [inbox], inbox / "outputs"


SHAPES: dict[str, Callable[[Path], tuple[list[Path], Path]]] = {
    "equal": _equal,
    "inside": _inside,
    "the story's parent": _parent,
    "an ancestor": _ancestor,
    "named through ..": _named_through_dots,
    "a link to the story": _outputs_link_to_story,
    "story named through a link into it": _story_link_into_outputs,
    "outputs/<name> a link to the story": _story_outputs_folder_is_a_link_to_it,
    "inside an inbox's story": _inside_a_story_of_the_inbox,
    "deep inside an inbox": _deep_inside_the_inbox,
    "inside an inbox with loose articles": _inbox_with_loose_articles,
}


@pytest.mark.parametrize("shape", SHAPES)
def test_an_overlapping_outputs_folder_is_refused_in_one_line_before_anything_is_written(tmp_path, shape):
    stories, outputs = SHAPES[shape](tmp_path)
    (stories[0] / "notes-of-mine.md").write_text("mine\n", encoding="utf-8")
    before = _tree(tmp_path)
    line = _refused(_run(*stories, outputs=outputs))
    assert "choose another outputs folder (-o)" in line
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("shape", ["equal", "inside", "the story's parent", "inside an inbox's story"])
def test_watch_refuses_an_overlapping_outputs_folder_too(tmp_path, shape):
    stories, outputs = SHAPES[shape](tmp_path)
    inbox = stories[0] if "inbox" in shape else stories[0].parent
    before = _tree(tmp_path)
    options = RunOptions(lang="id", summarizer="extractive", models_dir=tmp_path / "no-models", progress=False)
    with pytest.raises(OutputsOverlapError):
        watch(inbox, options, outputs, keep_going=lambda: pytest.fail("the watch started"))
    assert _tree(tmp_path) == before


def test_an_inbox_holding_the_outputs_folder_never_briefs_it_as_a_story(tmp_path):
    inbox = tmp_path / "inbox"
    _story(inbox / "a")
    _story(inbox / "b")
    outputs = inbox / "outputs"
    first = _run(inbox, outputs=outputs)
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(
        app, ["run", "--lang", "id", "--summarizer", "extractive", "-o", str(outputs), str(inbox), "--force"]
    )
    assert again.exit_code == 0, again.output
    assert f"skipped {outputs}: it is the outputs folder" in again.stderr
    assert sorted(p.name for p in outputs.iterdir() if p.is_dir() and p.name != ".generations") == ["a", "b"]


def test_a_story_whose_claimed_outputs_folder_leads_into_it_fails_alone(tmp_path):
    """Two stories of the same name: the second one's outputs go to outputs/<name>-2/, which a link
    makes the story itself; that story fails with the reason, nothing is written into it, and
    the other one is briefed."""
    first, second = _story(tmp_path / "one" / "banjir"), _story(tmp_path / "two" / "banjir")
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    (outputs / "banjir-2").symlink_to(second)
    before = _tree(second)
    result = _run(first, second, outputs=outputs)
    assert result.exit_code == ExitCode.PARTIAL, result.output
    assert (outputs / "banjir" / "briefing.md").is_file()
    assert _tree(second) == before
    status = CliRunner().invoke(app, ["status", "-o", str(outputs)])
    assert "the story's outputs folder" in status.stdout and "is the story folder" in status.stdout


def _page_names(out_dir: Path) -> set[str]:
    return {p.name for p in (out_dir / "articles").iterdir()}


def test_a_rerun_removes_the_tools_stale_pages_and_keeps_the_users_files(tmp_path):
    story, outputs = _story(tmp_path / "banjir", count=3), tmp_path / "outputs"
    assert _run(story, outputs=outputs).exit_code == 0
    out_dir = outputs / "banjir"
    assert _page_names(out_dir) == {"berita0.md", "berita1.md", "berita2.md"}
    # The user's own files, some under the very names and patterns the tool uses for its own.
    mine = {
        out_dir / "articles" / "mine.md": "my notes\n",
        out_dir / ".x.tmp": "my temp\n",
        out_dir / "articles" / ".y.tmp": "my temp\n",
        out_dir / ".briefing.md.0123456789ab.tmp": "looks like the tool's temp file\n",
        out_dir / "notes.md": "my notes\n",
        outputs / "README.md": "what this folder is\n",
    }
    for path, text in mine.items():
        path.write_text(text, encoding="utf-8")
    (story / "berita1.txt").unlink()

    rerun = _run(story, outputs=outputs)
    assert rerun.exit_code == 0, rerun.output
    assert _page_names(out_dir) == {"berita0.md", "berita2.md", "mine.md", ".y.tmp"}  # berita1.md was the tool's
    assert {path: path.read_text(encoding="utf-8") for path in mine} == mine


# Dies (SIGKILL) inside the third output write, half of the file written into the generation being
# built: what a `kill -9` or a power cut leaves.
KILL_INSIDE_A_WRITE = """
import os, signal, sys
import summarizer.output.files as files
real = files.write_file
count = {"n": 0}
def dies_on_the_third(path, text):
    count["n"] += 1
    if count["n"] == 3:
        path.write_text("half of a file")
        os.kill(os.getpid(), signal.SIGKILL)
    return real(path, text)
files.write_file = dies_on_the_third
from summarizer.cli import main
sys.argv = ["summarize", *sys.argv[1:]]
main()
"""


def test_a_killed_writes_half_built_generation_is_removed_by_the_rerun_and_a_users_file_is_not(tmp_path):
    story, outputs = _story(tmp_path / "banjir"), tmp_path / "outputs"
    assert _run(story, outputs=outputs).exit_code == 0
    out_dir = outputs / "banjir"
    users = out_dir / ".briefing.json.fedcba987654.tmp"
    users.write_text("the user's own, named like a temp file\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out_dir.iterdir() if p.is_file()}
    (story / "berita1.txt").write_text(BODIES[2], encoding="utf-8")  # the next run rewrites the folder
    args = ["run", "--lang", "id", "--summarizer", "extractive", "-q", "-o", str(outputs), str(story)]
    killed = subprocess.run([sys.executable, "-c", KILL_INSIDE_A_WRITE, *args], capture_output=True, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert {p.name: p.read_bytes() for p in out_dir.iterdir() if p.is_file()} == before  # still the old outputs
    (partial,) = (outputs / ".generations" / "banjir").glob("*.partial")  # what the kill left
    assert "half of a file" in [p.read_text() for p in partial.rglob("*") if p.is_file()]

    assert _run(story, outputs=outputs).exit_code == 0
    assert not partial.exists()
    assert list(out_dir.rglob("*.tmp")) == [users]
    assert "Gubernur Jakarta" in (out_dir / "articles" / "berita1.md").read_text(encoding="utf-8")


def test_a_moved_outputs_folder_is_written_where_it_is_now(tmp_path):
    """The database records each story's outputs folder; after the outputs folder is moved (or
    named by a relative path from elsewhere), a story's files still go under the current one."""
    story = _story(tmp_path / "banjir")
    assert _run(story, outputs=tmp_path / "before").exit_code == 0
    (tmp_path / "before").rename(tmp_path / "after")
    (story / "berita1.txt").write_text(BODIES[2], encoding="utf-8")
    assert _run(story, outputs=tmp_path / "after").exit_code == 0
    assert not (tmp_path / "before").exists()
    assert "Gubernur Jakarta" in (tmp_path / "after" / "banjir" / "articles" / "berita1.md").read_text()


@pytest.mark.parametrize("option", ["-o", "--models-dir"])
def test_a_folder_name_that_is_not_utf8_is_refused_in_one_line(tmp_path, option):
    """It would be recorded in the state database and briefing.json, which hold UTF-8 only."""
    story = _story(tmp_path / "banjir")
    odd = tmp_path / os.fsdecode(b"folder\xff")
    outputs = odd if option == "-o" else tmp_path / "outputs"
    extra = [] if option == "-o" else ["--models-dir", str(odd)]
    before = _tree(tmp_path)
    line = _refused(_run(story, *extra, outputs=outputs))
    assert "folder\\xff is not valid UTF-8" in line
    assert _tree(tmp_path) == before
