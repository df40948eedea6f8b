"""Figures and claims by source: differing counts, each with who said it, when, and where."""

from __future__ import annotations

import pytest
from briefing_data import story_folder

from summarizer.briefing.figures import attribution, find_figures, format_value
from summarizer.briefing.sources import number_sources
from summarizer.document import Article, Folder, Metadata, Paragraph, Sentence, SourceFile, sentence_id
from summarizer.ingest.folder import load_folder


@pytest.fixture(scope="module")
def seed_figures(seeds_dir):
    folder = load_folder(seeds_dir)
    originals = {s.id: s.text for a in folder.articles for s in a.sentences()}
    # A stand-in "translation" that is visibly not the original, to see which text is shown.
    shown = {sid: f"EN: {text}" for sid, text in originals.items()}
    return folder, originals, find_figures(folder, originals, shown, number_sources(folder), "en")


def troops_group(figures):
    groups = [g for g in figures if g.counted == "troops" and {"1500", "10000"} <= {c.value for c in g.claims}]
    assert len(groups) == 1, [g.label for g in figures]
    return groups[0]


def test_the_four_north_korean_troop_figures_are_one_group(seed_figures):
    group = troops_group(seed_figures[2])
    assert {c.value for c in group.claims} == {"1500", "3000", "5000", "10000"}
    assert group.qualifier == "Korea Utara"
    assert group.label == "troops (Korea Utara)"


def test_each_figure_says_who_reported_it_and_when(seed_figures):
    claims = {c.value: c for c in troops_group(seed_figures[2]).claims}
    assert "Korea Selatan" in claims["1500"].who and claims["1500"].when == "awal bulan ini"
    assert claims["3000"].who == "Pentagon" and claims["3000"].when == "Rabu lalu"
    assert "pejabat" in claims["5000"].who and claims["5000"].when == "pada hari Senin"
    assert "Pentagon" in claims["10000"].who


def test_each_figure_points_to_the_sentence_reporting_it(seed_figures):
    folder, originals, figures = seed_figures
    numbers = number_sources(folder).numbers
    for claim in troops_group(figures).claims:
        assert claim.as_written in originals[claim.sentence_id]
        assert claim.original == originals[claim.sentence_id]
        assert claim.text == f"EN: {claim.original}"  # shown in the briefing language
        assert claim.source == numbers[claim.article_id]
        assert claim.display == format_value(claim.value, "en")


def test_a_figure_repeated_by_a_copy_is_shown_once_from_the_original(seed_figures):
    folder, _, figures = seed_figures
    copies = {c for cluster in folder.clusters for c in cluster.copies}
    claims = troops_group(figures).claims
    keys = [(c.value, c.source, c.when) for c in claims]
    assert len(keys) == len(set(keys))
    repeated = [c for c in claims if c.value == "1500"]
    assert len(repeated) == 1 and repeated[0].article_id not in copies


def test_the_same_value_from_three_stories_is_listed_per_story(seed_figures):
    claims = troops_group(seed_figures[2]).claims
    assert len({c.source for c in claims if c.value == "10000"}) == 3


def test_groups_whose_figures_agree_are_not_shown():
    folder, english, original = story_folder()
    sources = number_sources(folder)
    # Kontan and Sindonews both report 10,000; with the 1,500 and 3,000 reports gone they agree.
    original["bbc.txt:2:1"] = "Badan mata-mata Korea Selatan mengatakan pasukan telah tiba di Rusia."
    original["sindo.txt:2:1"] = "Pentagon memperkirakan 10.000 pasukan Korea Utara telah dikerahkan ke Rusia."
    assert find_figures(folder, original, english, sources, "en") == []
    original["sindo.txt:2:1"] = "Pentagon memperkirakan 12.000 pasukan Korea Utara telah dikerahkan ke Rusia."
    [group] = find_figures(folder, original, english, sources, "en")
    assert [(c.value, c.source) for c in group.claims] == [("10000", 2), ("12000", 3)]


def test_values_are_written_the_briefing_language_way():
    assert format_value("1500", "en") == "1,500" and format_value("1500", "id") == "1.500"
    assert format_value("25.22", "en") == "25.22" and format_value("25.22", "id") == "25,22"


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("“Ini adalah keputusan berdaulat kami,” kata Putin, menghindari pertanyaan tersebut.", "Putin"),
        (
            "Menurut juru bicara Pentagon, Sabrina Singh, sebagian pasukan sudah dekat.",
            "juru bicara Pentagon, Sabrina Singh",
        ),
        ("Pada Senin pagi, Pentagon AS mencatat bahwa 10.000 tentara tiba.", "Pentagon AS"),
        (
            "Presiden Volodymyr Zelensky juga mengatakan pada hari Jumat bahwa pasukan tiba.",
            "Presiden Volodymyr Zelensky",
        ),
        ("Namun, menurut analisis BBC Rusia lebih dari 70.000 tentara Rusia tewas.", "analisis BBC Rusia"),
        ("About 10,000 troops are in Russia, according to the Pentagon.", "the Pentagon"),
        ('"We will fight," said Zelensky on Monday.', "Zelensky"),
        ("The Pentagon said 10,000 troops were there.", "The Pentagon"),
        ("Sekitar 10.000 tentara tiba di Rusia.", None),
    ],
)
def test_attribution(sentence, who):
    assert attribution(sentence, 0) == who


def test_english_source_articles_are_read_the_english_way():
    def article(article_id: str, text: str) -> Article:
        sentence = Sentence(sentence_id(article_id, 1, 1), text)
        source = SourceFile(article_id, "txt", "utf-8", "0" * 64)
        return Article(article_id, source, Metadata(outlet=article_id), "en", "en", [Paragraph(1, "text", [sentence])])

    pentagon = "The Pentagon said on Monday that about 10,000 North Korean troops were sent to Russia."
    seoul = "South Korea's spy agency said earlier this month that 1,500 elite North Korean soldiers arrived."
    folder = Folder("/x", "x", [article("a.txt", pentagon), article("b.txt", seoul)])
    texts = {s.id: s.text for a in folder.articles for s in a.sentences()}
    [group] = find_figures(folder, texts, texts, number_sources(folder), "en")
    assert group.label == "troops (North Korean)"
    claims = [(c.value, c.who, c.when, c.source) for c in group.claims]
    assert claims == [
        ("1500", "South Korea's spy agency", "earlier this month", 2),
        ("10000", "The Pentagon", "on Monday", 1),
    ]
