"""`summarize watch`: folders are briefed once their files settle, changes are re-briefed, Ctrl-C stops cleanly."""

from __future__ import annotations

import json
import shutil
import signal
import time
from pathlib import Path

from test_batch import assert_outputs_whole, invoke, start_cli

from summarizer.run.watch import folder_signature


def wait_for(check, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_signature_changes_with_any_file_change(tmp_path: Path, seeds_dir: Path) -> None:
    story = tmp_path / "story"
    story.mkdir()
    shutil.copy(seeds_dir / "000_04288ddc473c17d6.txt", story / "a.txt")
    before = folder_signature(story)
    assert before == folder_signature(story)
    with open(story / "a.txt", "a", encoding="utf-8") as handle:
        handle.write("\nKalimat tambahan.\n")
    assert folder_signature(story) != before


def test_watch_briefs_arriving_and_changed_folders_until_interrupted(tmp_path: Path, seeds_dir: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    (inbox / "first").mkdir(parents=True)
    shutil.copy(seeds_dir / "000_04288ddc473c17d6.txt", inbox / "first" / "a.txt")
    args = ["watch", str(inbox), "--lang", "id", "--summarizer", "extractive", "-o", str(out), "-q"]
    watcher = start_cli([*args, "--settle", "1", "--interval", "0.2"])
    try:
        wait_for(lambda: (out / "first" / "briefing.md").is_file())

        # A folder being copied in: its first file arrives, the rest a moment later. It is briefed
        # only once its files have stopped changing, so with both articles.
        second = inbox / "second"
        second.mkdir()
        shutil.copy(seeds_dir / "003_a6e29feac7495037.txt", second / "a.txt")
        time.sleep(0.5)
        shutil.copy(seeds_dir / "004_cf0cacba1d35eebe.txt", second / "b.txt")
        wait_for(lambda: (out / "second" / "briefing.json").is_file())
        record = json.loads((out / "second" / "briefing.json").read_text())
        assert [a["id"] for a in record["articles"]] == ["a.txt", "b.txt"]

        # A changed folder is briefed again.
        shutil.copy(seeds_dir / "001_4608beaca02b4922.txt", inbox / "first" / "b.txt")
        wait_for(lambda: len(json.loads((out / "first" / "briefing.json").read_text())["articles"]) == 2)
    finally:
        watcher.send_signal(signal.SIGINT)
        watcher.wait(timeout=60)
    assert watcher.returncode == 130, watcher.stderr.read() if watcher.stderr else ""
    assert_outputs_whole(out)
    status = json.loads(invoke("status", "-o", str(out), "--json").stdout)
    runs = status["runs"]
    assert len(runs) >= 3 and all(r["arguments"][0] == "watch" for r in runs)
    assert {r["status"] for r in runs} <= {"ok", "interrupted"}
    assert {Path(f["path"]).name: f["last_status"] for f in status["folders"]} == {
        "first": "briefed",
        "second": "briefed",
    }
