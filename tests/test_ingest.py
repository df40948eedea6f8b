"""Whole ingestion (read → clean → language → segment → dedup) on the seeds and the real corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarizer.errors import NoArticlesError
from summarizer.ingest.folder import load_folder

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "saudia-bomb-threat-jun2025"

# Boilerplate the seeds contain: none of it may remain in any sentence of any article.
SEED_BOILERPLATE = [
    r"Baca Juga",
    r"Sekuritas Ini Revisi",
    r"Dongkrak Pamor Prabowo",
    r"Potret Pemuda Masa Kini",
    r"Industri Asuransi Berpotensi",
    r"Penambahan Menko",
    r"Benahi Aturan Tumpang Tindih",
    r"10 Kapal Induk Terbesar",
    r"Utusan Korsel akan Berkunjung",
    r"Editor: Handoyo",
    r"KONTAN\.CO\.ID",
    r"^MOSKOW -",
    r"^JAKARTA-",
]

CORPUS_BOILERPLATE = [
    r"SCROLL TO CONTINUE",
    r"^Advertisement$",
    r"Baca [Jj]uga",
    r"Artikel ini telah",
    r"^-+$",
    r"Liputan6\.com, Jakarta",
    r"KOMPAS\.com-",
    r"TEMPO\.CO",
    r"Jurnalis-Rabu",
    r"\(Arief Setyadi",
    r"detikTravel",
]


def _all_sentences(folder):
    return [s.text for article in folder.articles for s in article.sentences()]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_seed_split_matches_hand_checked_expected_split(seeds_dir):
    expected = json.loads((DATA / "seed_split.json").read_text(encoding="utf-8"))
    folder = load_folder(seeds_dir)
    actual = {article.id: [[s.text for s in p.sentences] for p in article.paragraphs] for article in folder.articles}
    assert actual == expected


def test_seed_boilerplate_is_gone_and_recorded(seeds_dir):
    folder = load_folder(seeds_dir)
    for sentence in _all_sentences(folder):
        for pattern in SEED_BOILERPLATE:
            assert not re.search(pattern, sentence), (pattern, sentence)
    rules = {(a.id[:3], r.rule) for a in folder.articles for r in a.removals}
    assert ("001", "related-headlines") in rules
    assert ("003", "baca-juga") in rules
    kontan = folder.articles[3].metadata
    assert (kontan.outlet, kontan.place, kontan.editor) == ("Kontan", "Jakarta", "Handoyo")
    assert folder.articles[4].metadata.place == "Moskow"
    assert folder.articles[1].metadata.place == "Jakarta"


def test_no_seed_story_word_is_lost(seeds_dir):
    """Every word of every seed file is either in a sentence, a removal, or a metadata field."""
    folder = load_folder(seeds_dir)
    for article in folder.articles:
        raw = (seeds_dir / article.id).read_text(encoding="utf-8")
        kept = " ".join(s.text for s in article.sentences())
        removed = " ".join(r.text for r in article.removals)
        assert sorted(_words(raw)) == sorted(_words(kept + " " + removed)), article.id


def test_seed_headings_are_separate_paragraphs(seeds_dir):
    folder = load_folder(seeds_dir)
    headings = {p.text for a in folder.articles for p in a.paragraphs if p.kind == "heading"}
    assert {"Meningkatkan Konflik", "PELATIHAN PASUKAN", "Tentara Korea Utara Menuju Ukraina"} <= headings
    for sentence in _all_sentences(folder):
        assert not sentence.startswith("Meningkatkan Konflik ")


def test_seed_wire_copies_form_one_cluster(seeds_dir):
    folder = load_folder(seeds_dir)
    assert len(folder.clusters) == 1
    cluster = folder.clusters[0]
    members = {cluster.original, *cluster.copies}
    assert members == {"000_04288ddc473c17d6.txt", "001_4608beaca02b4922.txt"}
    assert all(0.5 <= score <= 1 for score in cluster.similarity.values())
    assert cluster.reason


def test_sentence_ids_are_stable_and_unique(seeds_dir):
    first = load_folder(seeds_dir)
    second = load_folder(seeds_dir)
    ids = [s.id for a in first.articles for s in a.sentences()]
    assert len(ids) == len(set(ids))
    assert ids == [s.id for a in second.articles for s in a.sentences()]
    assert ids[0] == "000_04288ddc473c17d6.txt:1:1"


def test_folder_with_only_bad_files_is_a_clear_error(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(NoArticlesError, match="all 2 file"):
        load_folder(tmp_path)


def test_empty_folder_is_a_clear_error(tmp_path):
    with pytest.raises(NoArticlesError, match="no article files"):
        load_folder(tmp_path)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_is_clean_and_complete():
    folder = load_folder(CORPUS)
    assert len(folder.articles) == 6 and not folder.skipped
    for sentence in _all_sentences(folder):
        for pattern in CORPUS_BOILERPLATE:
            assert not re.search(pattern, sentence), (pattern, sentence)
    for article in folder.articles:
        assert article.language == "id"
        assert article.metadata.title and article.metadata.date and article.metadata.author
        raw = (CORPUS / article.id).read_text(encoding="utf-8")
        kept = " ".join(s.text for s in article.sentences())
        removed = " ".join(r.text for r in article.removals)
        repaired = " ".join(r.text_before for r in article.repairs)
        # Repaired glued words are counted in their original (glued) form.
        kept_words = _words(kept)
        for repair in article.repairs:
            for part in _words(repair.text_after):
                kept_words.remove(part)
        assert sorted(_words(raw)) == sorted(kept_words + _words(removed + " " + repaired)), article.id
    assert folder.clusters == []
