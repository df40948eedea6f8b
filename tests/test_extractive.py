from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from summarizer.document import Folder
from summarizer.ingest.folder import load_folder
from summarizer.summarizers.base import SummaryInput
from summarizer.summarizers.extractive import ExtractiveSettings, ExtractiveSummarizer
from summarizer.summarizers.factory import load_summarizer
from summarizer.text.similarity import cosine_similarities, lexrank, tfidf_matrix, tokens

CORPUS = Path("/work/shared/corpus/saudia-bomb-threat-jun2025")


def story_inputs(folder: Folder) -> list[SummaryInput]:
    """One input per story (near-duplicate copies left out), numbered in folder order."""
    copies = {copy for cluster in folder.clusters for copy in cluster.copies}
    originals = [a for a in folder.articles if a.id not in copies]
    return [
        SummaryInput(
            a.id,
            n,
            a.metadata.title,
            a.metadata.outlet,
            a.metadata.date,
            [(s.id, s.text) for s in a.sentences()],
        )
        for n, a in enumerate(originals, 1)
    ]


@pytest.fixture(scope="module")
def seed_inputs(seeds_dir: Path) -> list[SummaryInput]:
    return story_inputs(load_folder(seeds_dir))


def sentence_texts(inputs: list[SummaryInput]) -> dict[str, str]:
    return {sid: text for item in inputs for sid, text in item.sentences}


def test_summaries_are_three_to_five_real_sentences_in_reading_order(seed_inputs) -> None:
    summaries = ExtractiveSummarizer().summarize(seed_inputs, "id")
    texts = sentence_texts(seed_inputs)
    assert [s.article_id for s in summaries] == [i.article_id for i in seed_inputs]
    for item, summary in zip(seed_inputs, summaries, strict=True):
        assert 3 <= len(summary.sentences) <= 5
        assert summary.model == "extractive" and summary.language == "id" and summary.parts == 1
        order = [sid for sid, _ in item.sentences]
        positions = []
        for sentence in summary.sentences:
            assert len(sentence.cites) == 1
            assert texts[sentence.cites[0]] == sentence.text  # verbatim, cited exactly
            positions.append(order.index(sentence.cites[0]))
        assert positions == sorted(positions)


def test_briefing_ranks_facts_reported_by_several_seeds_first(seed_inputs) -> None:
    summarizer = ExtractiveSummarizer()
    draft = summarizer.draft_briefing(seed_inputs, summarizer.summarize(seed_inputs, "id"), "id")
    counts = [len(s.sources) for s in draft.sentences]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] >= 3, "the top point should be reported by at least three outlets"
    # The NATO confirmation that North Korean troops are in Russia is the story's lead fact.
    lead = " ".join(s.text for s in draft.sentences[:2])
    assert "Korea Utara" in lead and ("NATO" in lead or "Rutte" in lead)
    assert draft.title and "Korea Utara" in draft.title


def test_one_source_detail_in_the_seeds_ranks_below_the_shared_confirmation(seed_inputs) -> None:
    every_group = ExtractiveSummarizer(ExtractiveSettings(max_briefing_points=1000))
    sentences = every_group.draft_briefing(seed_inputs, [], "id").sentences
    # Only one outlet reports Rutte's casualty estimate; three report the NATO confirmation.
    detail = next(i for i, s in enumerate(sentences) if "600.000" in s.text)
    confirmation = next(i for i, s in enumerate(sentences) if "Rutte" in s.text and len(s.sources) >= 3)
    assert len(sentences[detail].sources) == 1
    assert confirmation < detail
    assert all(len(s.sources) == 1 for s in sentences[detail:])


def test_briefing_sources_and_cites_agree(seed_inputs) -> None:
    draft = ExtractiveSummarizer().draft_briefing(seed_inputs, [], "id")
    texts = sentence_texts(seed_inputs)
    number_of = {i.article_id: i.number for i in seed_inputs}
    for sentence in draft.sentences:
        assert sentence.text in {texts[c] for c in sentence.cites}
        cited_numbers = sorted({number_of[c.rsplit(":", 2)[0]] for c in sentence.cites})
        assert sentence.sources == cited_numbers
        assert len(sentence.cites) == len(sentence.sources)  # one sentence per outlet
    assert len(draft.sentences) <= 8
    assert draft.model == "extractive"


def test_one_source_detail_ranks_below_shared_facts() -> None:
    shared = [
        "The central bank raised its policy rate to 6.25 percent on Wednesday.",
        "Bank Indonesia lifted the benchmark rate to 6.25 percent on Wednesday, it said.",
        "On Wednesday the central bank raised the policy rate to 6.25 percent.",
    ]
    detail = "A small bakery in Bandung said its flour supplier had changed delivery days."
    filler = [
        "Analysts expect the rupiah to stabilise against the dollar in coming weeks.",
        "The governor will brief parliament about inflation targets next month.",
        "Exporters welcomed the decision, saying it would calm currency markets.",
    ]
    inputs = [
        SummaryInput(
            "a",
            1,
            None,
            None,
            None,
            [("a:1:1", detail), ("a:1:2", shared[0]), ("a:2:1", filler[0])],
        ),
        SummaryInput("b", 2, None, None, None, [("b:1:1", shared[1]), ("b:2:1", filler[1])]),
        SummaryInput("c", 3, None, None, None, [("c:1:1", filler[2]), ("c:1:2", shared[2])]),
    ]
    draft = ExtractiveSummarizer().draft_briefing(inputs, [], "en")
    assert draft.sentences[0].sources == [1, 2, 3]
    assert sorted(draft.sentences[0].cites) == ["a:1:2", "b:1:1", "c:1:2"]
    detail_rank = [s.text for s in draft.sentences].index(detail)
    assert detail_rank > 0 and draft.sentences[detail_rank].sources == [1]


def test_headings_and_short_sentences_are_never_picked() -> None:
    sentences = [
        ("x:1:1", "Dunia"),
        ("x:2:1", "Pasukan Korea Utara Tiba di Kursk"),
        ("x:3:1", "Kata dia singkat."),
        ("x:4:1", "Pasukan Korea Utara telah dikerahkan ke Rusia dan beroperasi di wilayah Kursk."),
        ("x:4:2", "Sekretaris Jenderal NATO Mark Rutte mengonfirmasi pengerahan pasukan tersebut."),
        ("x:5:1", "Korea Selatan mengatakan akan memasok senjata ke Ukraina jika perang meluas."),
        ("x:5:2", "Pentagon memperkirakan sekitar 10.000 tentara Korea Utara dikirim ke Rusia."),
    ]
    item = SummaryInput("x", 1, "Pasukan Korea Utara Tiba di Kursk", None, None, sentences)
    [summary] = ExtractiveSummarizer().summarize([item], "id")
    cited = {c for s in summary.sentences for c in s.cites}
    assert cited and not cited & {"x:1:1", "x:2:1", "x:3:1"}


def test_short_article_gets_what_it_has_and_says_so() -> None:
    item = SummaryInput(
        "s",
        1,
        None,
        None,
        None,
        [("s:1:1", "Harga beras naik sepuluh persen di pasar Jakarta pekan ini.")],
    )
    empty = SummaryInput("e", 2, None, None, None, [])
    short, nothing = ExtractiveSummarizer().summarize([item, empty], "id")
    assert [s.text for s in short.sentences] == [item.sentences[0][1]]
    assert short.notes and "summary has 1" in short.notes[0]
    assert nothing.sentences == [] and nothing.notes


def test_load_summarizer_gives_the_extractive_one() -> None:
    summarizer = load_summarizer("extractive")
    assert summarizer.name == "extractive" and summarizer.revision is None


def test_numbers_match_across_indonesian_and_english_conventions() -> None:
    assert "1500" in tokens("sedikitnya 1.500 tentara", "id")
    assert "1500" in tokens("at least 1,500 troops", "en")
    assert tokens("The troops and the ships", "en") == ["troop", "ship"]
    assert "yang" not in tokens("pasukan yang dikirim", "id")


def test_tfidf_and_lexrank_basics() -> None:
    matrix = tfidf_matrix([["nato", "korea"], ["nato", "korea", "rusia"], ["beras"], []])
    similarity = cosine_similarities(matrix)
    assert similarity[0, 1] > 0.5 and similarity[0, 2] == 0 and not matrix[3].any()
    assert np.allclose(np.diag(similarity)[:3], 1.0)
    scores = lexrank(similarity)
    assert scores.max() == 1.0 and scores[2] < scores[0]


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_real_corpus_briefing_is_grounded_and_ranked() -> None:
    inputs = story_inputs(load_folder(CORPUS))
    summarizer = ExtractiveSummarizer()
    summaries = summarizer.summarize(inputs, "id")
    draft = summarizer.draft_briefing(inputs, summaries, "id")
    assert all(1 <= len(s.sentences) <= 5 for s in summaries)
    assert len(draft.sentences[0].sources) >= 3
    assert "Saudia" in draft.title
    texts = sentence_texts(inputs)
    assert all(s.text in {texts[c] for c in s.cites} for s in draft.sentences)
