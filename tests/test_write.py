"""Output files: citations in briefing.json resolve both ways, and writes are atomic."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from briefing_data import make_record, story_folder

from summarizer.output import files
from summarizer.output.articles import safe_article_names
from summarizer.output.files import Ledger
from summarizer.output.writers import write_outputs
from summarizer.run.state import State


@pytest.fixture
def written(tmp_path):
    run = make_record()
    paths = write_outputs(tmp_path, run)
    return tmp_path, run, paths


def test_every_briefing_citation_resolves_to_translation_and_original(written):
    out, run, _ = written
    document = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    sentences = {s["id"]: s for a in document["articles"] for s in a["sentences"]}
    _, english, original = story_folder()
    assert document["briefing"]["points"]
    for point in document["briefing"]["points"]:
        assert point["cites"] and point["sources"]
        for cite in point["cites"]:
            assert cite["id"] in sentences
            assert cite["translation"] == english[cite["id"]] == sentences[cite["id"]]["translation"]
            assert cite["original"] == original[cite["id"]] == sentences[cite["id"]]["original"]
            assert cite["source"] in point["sources"]


def test_json_records_models_settings_timings_flags_and_verification(written):
    out, run, _ = written
    document = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    assert {"role": "translator", "name": "opus-mt-id-en", "revision": "rev123"} in document["models"]
    assert document["settings"]["output"] == "/tmp/out"
    assert document["timings"] == {"translate": 1.5, "summarize": 2.0}
    assert {"where": "bbc.txt:2:1", "code": "number-missing", "detail": "1.500"} in document["flags"]
    assert {"where": "kontan.txt", "code": "paywall", "detail": "page 1 of 2"} in document["flags"]
    metrics = document["briefing"]["metrics"]
    assert metrics["precision"] == run.briefing.metrics.precision and metrics["dropped"] == 3
    assert {d["text"] for d in document["briefing"]["dropped"]} == {d.text for d in run.briefing.dropped}
    assert [a["number"] for a in document["articles"]] == [1, 2, 3, 1]  # the copy shares its number


def test_markdown_briefing_has_cited_points_figures_sources_and_verification(written):
    out, run, _ = written
    text = (out / "briefing.md").read_text(encoding="utf-8")
    points = text.split("## Key points")[1].split("## Figures")[0].strip().splitlines()
    assert len(points) == len(run.briefing.points)
    assert all(re.search(r"(\[\d+\])+$", line) for line in points)
    assert "**troops (Korea Utara)**" in text and "**1,500** — Badan mata-mata Korea Selatan" in text
    assert "1. **BBC: Korea Utara kirim pasukan** — BBC — 28 October 2024 — `bbc.txt`" in text
    assert "   - copy: **detik: Korea Utara kirim pasukan** — detik" in text
    assert "precision 0.33, recall 0.29" in text
    assert "a reckless gamble" in text.split("## Verification")[1]  # dropped sentences are shown


def test_article_page_shows_summary_then_translation_beside_original_with_flags(written):
    out, _, paths = written
    assert sorted(p.name for p in paths if p.parent.name == "articles") == [
        "bbc.md", "detik.md", "kontan.md", "sindo.md",
    ]  # fmt: skip
    page = (out / "articles" / "bbc.md").read_text(encoding="utf-8")
    assert page.index("## Summary") < page.index("NATO confirms the troops.") < page.index("## Text")
    english = "South Korea's spy agency said earlier this month"
    original = "Badan mata-mata Korea Selatan mengatakan"
    assert page.index(english) < page.index(original) < page.index("⚑ number-missing: 1.500")


def test_a_failure_while_writing_leaves_the_previous_outputs_intact(written, monkeypatch):
    out, _, paths = written
    before = {p: p.read_bytes() for p in paths}
    # A failed render (here: a setting that cannot be serialized) changes no file at all.
    with pytest.raises(TypeError):
        write_outputs(out, make_record(settings={"lang": "id", "broken": object()}))
    assert {p: p.read_bytes() for p in paths} == before
    # A failure after some of the new files were written (disk full, killed) leaves the old ones.
    real_write = files.write_file

    def fail_on_json(path, text):
        if path.name == "briefing.json":
            raise KeyboardInterrupt  # stands in for anything that stops the write
        real_write(path, text)

    monkeypatch.setattr(files, "write_file", fail_on_json)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(out, make_record(timings={"translate": 9.0}))
    assert {p: p.read_bytes() for p in paths} == before
    assert not list(files.generations_home(out).glob("*.partial"))


def test_outputs_are_a_link_to_one_complete_generation(written):
    out, _, paths = written
    assert out.is_symlink() and not Path(os.readlink(out)).is_absolute()
    first = out.resolve()
    write_outputs(out, make_record(timings={"translate": 9.0}))
    second = out.resolve()
    assert second != first and second.parent == first.parent == files.generations_home(out)
    assert json.loads((out / "briefing.json").read_text())["timings"]["translate"] == 9.0
    # The replaced generation stays whole for a reader that resolved the link before the switch.
    assert json.loads((first / "briefing.json").read_text())["timings"]["translate"] == 1.5
    write_outputs(out, make_record(timings={"translate": 3.0}))
    assert not first.exists(), "only the current and the previous generation are kept"
    generations = [p.name for p in files.generations_home(out).iterdir() if p.is_dir()]
    assert sorted(generations) == sorted([second.name, out.resolve().name])


def test_article_file_names_are_safe_and_unique():
    names = safe_article_names(["a/b.txt", "a_b.txt", "x.jsonl@2", "../up.txt", "A_B.txt"])
    assert names["x.jsonl@2"] == "x_2"
    assert names["../up.txt"] == "up"
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", n) and not n.startswith(".") for n in names.values())
    assert len({n.casefold() for n in names.values()}) == 5


def test_article_page_names_drop_the_extension_and_clashes_keep_it():
    names = safe_article_names(["000_berita.txt", "berita.txt", "berita.html", "notes.md", "feed.json@3"])
    assert names["000_berita.txt"] == "000_berita"
    assert names["notes.md"] == "notes"  # not notes.md.md
    assert names["feed.json@3"] == "feed_3"
    # Two files of the same name in different formats stay told apart, readably.
    assert (names["berita.txt"], names["berita.html"]) == ("berita-txt", "berita-html")


def test_output_files_get_the_permissions_the_umask_gives(tmp_path):
    previous = os.umask(0o022)
    try:
        paths = write_outputs(tmp_path / "a", make_record())
        os.umask(0o027)
        restricted = write_outputs(tmp_path / "b", make_record())
    finally:
        os.umask(previous)
    assert {oct(p.stat().st_mode & 0o777) for p in paths} == {oct(0o644)}
    assert {oct(p.stat().st_mode & 0o777) for p in restricted} == {oct(0o640)}


def _visible(out: Path) -> set[Path]:
    """The files a reader sees under the output folder (through its link)."""
    return {p.relative_to(out.resolve()) for p in out.resolve().rglob("*") if p.is_file() or p.is_symlink()}


def test_a_plain_folder_of_an_older_version_becomes_a_generation_keeping_only_the_users_files(tmp_path):
    """Cleanup deletes only what the state database records as the tool's: a page of an article
    that left the folder and a killed write's temp file go; the user's files, even under the
    tool's names and patterns, are carried into every generation and never deleted."""
    state = State(tmp_path / "state.sqlite3")
    out = state.claim_out_dir("/news/story", "story", tmp_path / "outputs")
    (out / "articles").mkdir(parents=True)
    gone, killed = out / "articles" / "gone.md", out / ".briefing.md.0123456789ab.tmp"
    for path in (out / "briefing.md", gone, killed):
        path.write_text("written by an older summarize")
    state.record_briefed("/news/story", "f", {}, [], [out / "briefing.md", gone])
    state._db.execute("INSERT INTO pending_outputs (folder, path, temp) VALUES (?, ?, 1)", ("/news/story", str(killed)))
    mine = [out / ".briefing.json.abc.tmp", out / "articles" / ".a.txt.md.x.tmp", out / "articles" / "mine.md"]
    for path in [*mine, out / "notes.txt"]:
        path.write_text("not ours")

    paths = write_outputs(out, make_record(), ledger=state.ledger("/news/story"))
    assert out.is_symlink()
    expected = {p.relative_to(out) for p in [*paths, *mine, out / "notes.txt"]}
    assert _visible(out) == expected
    # Two switches later the plain folder's generation is pruned: the tool's files are deleted,
    # the user's stay (carried on as hard links).
    for _ in range(2):
        write_outputs(out, make_record(), ledger=state.ledger("/news/story"))
    assert _visible(out) == expected
    assert all((out / p.relative_to(out)).read_text() == "not ours" for p in mine)
    assert sorted(p.name for p in files.generations_home(out).iterdir()) == ["3", "3.written", "4", "4.written"]
    state.close()


def test_without_a_ledger_nothing_but_the_written_files_is_touched(tmp_path):
    out = tmp_path / "out"
    (out / "articles").mkdir(parents=True)
    leftovers = [out / ".briefing.json.abc.tmp", out / "articles" / "gone.md"]
    for path in leftovers:
        path.write_text("unknown origin")
    paths = write_outputs(out, make_record())
    assert _visible(out) == {p.relative_to(out) for p in [*paths, *leftovers]}
    assert all((out / p.relative_to(out)).read_text() == "unknown origin" for p in leftovers)


def test_a_recorded_path_outside_the_output_folder_is_never_deleted(tmp_path):
    """A database copied from elsewhere (or a moved outputs folder) may name files outside, or
    reached through a link out of the folder."""
    outside = tmp_path / "elsewhere" / "articles" / "page.md"
    outside.parent.mkdir(parents=True)
    outside.write_text("someone else's")
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles").symlink_to(outside.parent)  # a recorded page reached through a link out
    ledger = Ledger(written=frozenset({outside, out / "articles" / "page.md"}), temps=frozenset({outside}))
    for _ in range(3):  # the plain folder becomes a generation, which is then pruned
        write_outputs(out, make_record(), ledger=ledger)
    assert outside.read_text() == "someone else's"


def test_a_story_named_like_the_tools_own_files_gets_another_output_folder(tmp_path):
    """A story folder called `.generations` (or `summarize.sqlite3`) must not write over the
    generations of every story (or the database)."""
    import summarizer.run.batch as batch
    from summarizer.cache import CACHE_FILE_NAME
    from summarizer.run.state import RESERVED_NAMES, State

    assert {files.GENERATIONS, CACHE_FILE_NAME, batch.LOCK_FILE_NAME, batch.ERROR_LOG_NAME} <= RESERVED_NAMES
    state = State(tmp_path / CACHE_FILE_NAME)
    try:
        for name in (files.GENERATIONS, CACHE_FILE_NAME):
            assert state.claim_out_dir(f"/inbox/{name}", name, tmp_path) == tmp_path / f"{name}-2"
    finally:
        state.close()


def test_a_failed_switch_puts_a_plain_folder_back_as_it_was(tmp_path, monkeypatch):
    """The first write after an older version moves its plain folder into the generations; if the
    switch then fails, the plain folder is back where it was and nothing is left behind."""
    import errno

    from summarizer.errors import WriteError

    out = tmp_path / "story"
    (out / "articles").mkdir(parents=True)
    (out / "briefing.md").write_text("old briefing")
    (out / "articles" / "a.md").write_text("old page")
    real_replace = os.replace

    def read_only(source, target):
        if Path(target) == out:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(source))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", read_only)
    with pytest.raises(WriteError, match="Read-only file system"):
        write_outputs(out, make_record())
    assert out.is_dir() and not out.is_symlink()
    assert {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file()} == {
        "briefing.md": "old briefing",
        "articles/a.md": "old page",
    }
    assert list(files.generations_home(out).iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [".generations", "story"]
