from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.document import Article, Metadata, Paragraph, Sentence, SourceFile, sentence_id
from summarizer.ingest.dedup import choose_original, find_duplicates, pairwise_scores
from summarizer.ingest.segment import split_sentences

DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path("/work/shared/corpus/saudia-bomb-threat-jun2025")


def _article(article_id: str, paragraphs: list[list[str]], **metadata: str) -> Article:
    built = []
    for index, texts in enumerate(paragraphs, start=1):
        # A lone sentence without a final stop is a section heading in the cleaned seeds.
        heading = len(texts) == 1 and texts[0][-1] not in '.!?"”'
        sentences = [Sentence(id=sentence_id(article_id, index, n), text=t) for n, t in enumerate(texts, start=1)]
        kind = "heading" if heading else "text"
        built.append(Paragraph(index=index, kind=kind, sentences=sentences))
    source = SourceFile(path=article_id, format="txt", encoding="utf-8", sha256="0" * 64)
    return Article(
        id=article_id,
        source=source,
        metadata=Metadata(**metadata),
        language="id",
        language_detected="id",
        paragraphs=built,
    )


def _seed_articles() -> list[Article]:
    seeds = json.loads((DATA / "seed_split.json").read_text(encoding="utf-8"))
    return [_article(name, paragraphs) for name, paragraphs in sorted(seeds.items())]


def _corpus_articles() -> list[Article]:
    # Raw scraped files, one paragraph per line, boilerplate and all: a harsher test than the
    # cleaned text, since detik's two files share their banner and date lines.
    articles = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        articles.append(_article(path.name, [split_sentences(line) for line in lines]))
    return articles


SEED_000 = "000_04288ddc473c17d6.txt"
SEED_001 = "001_4608beaca02b4922.txt"


def test_the_two_translations_of_one_wire_story_cluster_and_nothing_else_does() -> None:
    clusters = find_duplicates(_seed_articles())
    assert len(clusters) == 1
    cluster = clusters[0]
    assert {cluster.original, *cluster.copies} == {SEED_000, SEED_001}
    (score,) = cluster.similarity.values()
    assert 0.7 <= score <= 1.0
    # Neither seed has a date or syndication line; 001 carries more of the story.
    assert cluster.original == SEED_001
    assert cluster.reason.startswith("most complete text")


def test_seed_pairs_other_than_the_twins_share_no_sentence_sequence() -> None:
    for (first, second), score in pairwise_scores(_seed_articles()).items():
        if {first, second} != {SEED_000, SEED_001}:
            assert not score.is_duplicate
            assert score.coverage < 0.2, (first, second, score)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")
def test_same_event_from_five_outlets_is_not_a_duplicate() -> None:
    articles = _corpus_articles()
    assert len(articles) == 6
    assert find_duplicates(articles) == []
    assert max(s.coverage for s in pairwise_scores(articles).values()) < 0.25


def test_exact_copy_scores_one_and_syndication_line_names_the_original() -> None:
    seeds = {a.id: a for a in _seed_articles()}
    story = seeds["004_cf0cacba1d35eebe.txt"]
    paragraphs = [[s.text for s in p.sentences] for p in story.paragraphs]
    original = _article("kontan.txt", paragraphs, outlet="Kontan")
    copy = _article("tribun.txt", paragraphs, outlet="Tribunnews", syndicated_from="KONTAN.CO.ID")
    (cluster,) = find_duplicates([copy, original, seeds[SEED_000]])
    assert cluster.original == "kontan.txt"
    assert cluster.copies == ["tribun.txt"]
    assert cluster.similarity == {"tribun.txt": 1.0}
    assert "tribun.txt says it first ran in KONTAN.CO.ID" in cluster.reason


def test_a_truncated_copy_clusters_with_the_full_story() -> None:
    seeds = {a.id: a for a in _seed_articles()}
    full = seeds["003_a6e29feac7495037.txt"]
    first_half = [[s.text for s in p.sentences] for p in full.paragraphs[:7]]
    (cluster,) = find_duplicates([_article("excerpt.txt", first_half), full])
    assert cluster.original == full.id
    assert cluster.similarity["excerpt.txt"] == 1.0


def test_three_copies_form_one_cluster() -> None:
    seeds = {a.id: a for a in _seed_articles()}
    again = [[s.text for s in p.sentences] for p in seeds[SEED_000].paragraphs]
    articles = [seeds[SEED_000], seeds[SEED_001], _article("zz_repost.txt", again)]
    (cluster,) = find_duplicates(articles)
    assert {cluster.original, *cluster.copies} == {SEED_000, SEED_001, "zz_repost.txt"}
    assert len(cluster.copies) == 2


def test_earliest_date_wins_when_no_syndication_line() -> None:
    text = [["Harga BBM naik mulai Senin.", "Pertalite kini Rp 12.000 per liter.", "Solar naik."]]
    later = _article("a.txt", text, date="2024-10-29T08:00:00+07:00")
    earlier = _article("b.txt", text, date="2024-10-29T07:30:00+07:00")
    original, reason = choose_original([later, earlier])
    assert original.id == "b.txt"
    assert reason == "earliest date (2024-10-29T07:30:00+07:00)"


def test_identical_undated_files_fall_back_to_the_first_file_name() -> None:
    text = [["Harga BBM naik mulai Senin.", "Pertalite kini Rp 12.000 per liter.", "Solar naik."]]
    original, reason = choose_original([_article("b.txt", text), _article("a.txt", text)])
    assert original.id == "a.txt"
    assert "first file name" in reason


def test_short_unrelated_articles_and_empty_folders_do_not_cluster() -> None:
    assert find_duplicates([]) == []
    one = _article("a.txt", [["Harga BBM naik mulai Senin."]])
    other = _article("b.txt", [["Gempa mengguncang Cianjur pada pukul 14.30 WIB."]])
    empty = _article("c.txt", [])
    assert find_duplicates([one, other, empty]) == []
