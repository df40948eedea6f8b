from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from summarizer.cache import Cache, CachedTranslation, TranslationKey, default_cache_path
from summarizer.document import Flag
from summarizer.errors import SummarizerError

KEY = TranslationKey(model="opus-mt-id-en", revision="abc123", settings="s1")


def test_translation_round_trip_with_flags_and_counters(tmp_path):
    with Cache(tmp_path / "c.sqlite3") as cache:
        flags = (Flag("number-missing", "1.500"),)
        cache.put_translations(KEY, [("Halo dunia.", CachedTranslation("Hello world.", flags))])
        found = cache.get_translations(KEY, ["Halo dunia.", "Belum ada.", "Halo dunia."])
        assert found == {"Halo dunia.": CachedTranslation("Hello world.", flags)}
        assert cache.hits["translation"] == 1
        assert cache.misses["translation"] == 1
        assert cache.stats() == {"translation": {"hits": 1, "misses": 1}}


def test_translations_survive_reopening(tmp_path):
    path = tmp_path / "c.sqlite3"
    with Cache(path) as cache:
        cache.put_translations(KEY, [("Satu.", CachedTranslation("One."))])
    with Cache(path) as cache:
        assert cache.get_translations(KEY, ["Satu."])["Satu."].text == "One."


@pytest.mark.parametrize(
    "other",
    [
        TranslationKey("nllb-200-distilled-600M", "abc123", "s1"),
        TranslationKey("opus-mt-id-en", "def456", "s1"),
        TranslationKey("opus-mt-id-en", "abc123", "s2"),
        TranslationKey("opus-mt-id-en", None, "s1"),
    ],
)
def test_model_revision_and_settings_separate_entries(tmp_path, other):
    with Cache(tmp_path / "c.sqlite3") as cache:
        cache.put_translations(KEY, [("Satu.", CachedTranslation("One."))])
        assert cache.get_translations(other, ["Satu."]) == {}


def test_many_sources_are_looked_up_in_chunks(tmp_path):
    sources = [f"Kalimat nomor {i}." for i in range(1200)]
    with Cache(tmp_path / "c.sqlite3") as cache:
        cache.put_translations(KEY, [(s, CachedTranslation(s.upper())) for s in sources])
        found = cache.get_translations(KEY, sources)
    assert len(found) == 1200
    assert found["Kalimat nomor 999."].text == "KALIMAT NOMOR 999."


def test_generic_entries_by_namespace(tmp_path):
    with Cache(tmp_path / "c.sqlite3") as cache:
        assert cache.get("summary", "a1") is None
        cache.put("summary", "a1", {"sentences": ["Satu.", "Dua."], "parts": 1})
        cache.put("other", "a1", [1, 2])
        assert cache.get("summary", "a1") == {"sentences": ["Satu.", "Dua."], "parts": 1}
        assert cache.get("other", "a1") == [1, 2]
        assert cache.get("summary", "missing", default="none") == "none"
        cache.put("summary", "a1", "replaced")
        assert cache.get("summary", "a1") == "replaced"
        assert cache.stats()["summary"] == {"hits": 2, "misses": 2}


def test_failed_write_leaves_no_partial_transaction(tmp_path):
    with Cache(tmp_path / "c.sqlite3") as cache:

        def rows():
            yield "Satu.", CachedTranslation("One.")
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            cache.put_translations(KEY, rows())
        cache.put("ns", "k", 1)  # the connection is usable again
        assert cache.get_translations(KEY, ["Satu."]) == {}


def test_default_path_follows_outputs_override(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZE_OUTPUT_DIR", str(tmp_path / "out"))
    assert default_cache_path() == tmp_path / "out" / "summarize.sqlite3"


def test_a_file_that_is_not_a_database_is_a_one_line_user_error(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not sqlite, just some text that happens to be here" * 20)
    with pytest.raises(SummarizerError, match="not a usable SQLite database"):
        Cache(path)


_WRITER = textwrap.dedent(
    """
    import sys
    from summarizer.cache import Cache, CachedTranslation, TranslationKey
    path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    key = TranslationKey("m", "r", "s")
    cache = Cache(path)
    for i in range(count):
        cache.put_translations(key, [(f"{tag}-{i}", CachedTranslation(f"T {tag} {i}")),
                                     (f"shared-{i}", CachedTranslation(f"shared {i}"))])
        cache.put("summary", f"{tag}-{i}", {"i": i})
    print("done", flush=True)
    """
)


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_write_at_once_without_errors_or_losses(tmp_path):
    path = tmp_path / "shared.sqlite3"
    writers = [_spawn(str(path), tag, "150") for tag in ("a", "b")]
    results = [w.communicate(timeout=300) for w in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "done"
    with Cache(path) as cache:
        key = TranslationKey("m", "r", "s")
        names = [f"{t}-{i}" for t in ("a", "b") for i in range(150)]
        assert len(cache.get_translations(key, names)) == 300
        assert len(cache.get_translations(key, [f"shared-{i}" for i in range(150)])) == 150
        assert cache.get("summary", "b-149") == {"i": 149}


_ENDLESS_WRITER = textwrap.dedent(
    """
    import sys
    from summarizer.cache import Cache, CachedTranslation, TranslationKey
    cache = Cache(sys.argv[1])
    key = TranslationKey("m", "r", "s")
    i = 0
    while True:
        batch = [(f"s-{i}-{j}", CachedTranslation("x" * 200)) for j in range(50)]
        cache.put_translations(key, batch)
        i += 1
        if i == 5:
            print("writing", flush=True)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_run_killed_mid_write_leaves_a_readable_cache(tmp_path):
    path = tmp_path / "killed.sqlite3"
    writer = subprocess.Popen(
        [sys.executable, "-c", _ENDLESS_WRITER, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "writing", writer.stderr.read()
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (rows,) = check.execute("SELECT COUNT(*) FROM translations").fetchone()
    check.close()
    assert rows >= 5 * 50 and rows % 50 == 0  # whole transactions only
    with Cache(path) as cache:
        key = TranslationKey("m", "r", "s")
        assert cache.get_translations(key, ["s-0-0"])["s-0-0"].text == "x" * 200
        cache.put("after", "kill", True)
        assert cache.get("after", "kill") is True


def test_rows_shipped_to_a_worker_and_back(tmp_path) -> None:
    """The driver ships the rows a folder may need; the worker's in-memory cache serves them like
    the file does and records only the rows it adds, which the driver then stores."""
    from summarizer.cache import MemoryCache

    key = TranslationKey("opus-mt-id-en", "abc", "s1")
    other = TranslationKey("opus-mt-id-en", None, "s2")
    with Cache(tmp_path / "c.sqlite3") as driver:
        driver.put_translations(
            key, [("Satu.", CachedTranslation("One.", (Flag("x", "y"),))), ("Dua.", CachedTranslation("Two."))]
        )
        driver.put_translations(other, [("Satu.", CachedTranslation("One!"))])
        driver.put("summary", "k1", {"article_id": "a.txt", "sentences": []}, "sha-a")
        driver.put("summary", "k2", {"article_id": "b.txt", "sentences": []}, "sha-b")
        # The same file name in another folder, with other content: not shipped.
        driver.put("summary", "k4", {"article_id": "a.txt", "sentences": ["x"]}, "sha-other")
        shipped = driver.entries_for(["Satu.", "Tiga."], "summary", ["sha-a"], ["a.txt"])
        assert sorted((k.settings, s, t.text) for k, s, t in shipped.translations) == [
            ("s1", "Satu.", "One."),
            ("s2", "Satu.", "One!"),
        ]
        assert shipped.values == [("summary", "k1", {"article_id": "a.txt", "sentences": []}, "sha-a")]

        worker = MemoryCache(shipped)
        found = worker.get_translations(key, ["Satu.", "Tiga."])
        assert found == {"Satu.": CachedTranslation("One.", (Flag("x", "y"),))}
        assert worker.get_translations(other, ["Satu."])["Satu."].text == "One!"
        assert worker.get("summary", "k1") == {"article_id": "a.txt", "sentences": []}
        assert (worker.hits["translation"], worker.misses["translation"]) == (2, 1)
        worker.put_translations(key, [("Tiga.", CachedTranslation("Three."))])
        worker.put("summary", "k3", {"article_id": "c.txt"}, "sha-c")
        assert len(worker.written) == 2  # the prefilled rows are not sent back

        driver.add(worker.written)
        assert driver.get_translations(key, ["Tiga."])["Tiga."].text == "Three."
        assert driver.get("summary", "k3") == {"article_id": "c.txt"}
        # Stored with its ref, so the next folder holding that article gets it shipped.
        assert driver.entries_for([], "summary", ["sha-c"]).values == [
            ("summary", "k3", {"article_id": "c.txt"}, "sha-c")
        ]
        worker.close()
    assert not (tmp_path / ":memory:").exists()
