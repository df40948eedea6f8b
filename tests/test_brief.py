"""The composed briefing: verified points, one number per story, ranking, and the weak-model fill."""

from __future__ import annotations

from pathlib import Path

import pytest
from briefing_data import (
    FAKE_QUOTE,
    INVENTED,
    MISCITED,
    NUMBER_ALTERED,
    SCRIPT,
    SUPPORTED,
    ScriptedSummarizer,
    story_folder,
)

from summarizer.briefing.compose import MIN_POINTS, Briefing, compose_briefing, summary_inputs
from summarizer.briefing.sources import number_sources
from summarizer.briefing.support import EvidencePool, check_support, claim_facts
from summarizer.document import ArticleSummary, SummarySentence
from summarizer.summarizers.base import DraftSentence


def compose(sentences, title="North Korean troops in Kursk", language="en", summaries=()) -> Briefing:
    folder, english, original = story_folder()
    texts = english if language == "en" else original
    sources = number_sources(folder)
    inputs = summary_inputs(folder, texts, sources)
    draft = ScriptedSummarizer(sentences, title).draft_briefing(inputs, list(summaries), language)
    return compose_briefing(folder, sources, texts, original, draft, list(summaries), language)


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return compose(SCRIPT)


def point(briefing: Briefing, text: str):
    [found] = [p for p in briefing.points if p.text == text]
    return found


def test_unsupported_sentences_are_dropped_with_their_reasons(briefing):
    dropped = {d.text: d for d in briefing.dropped}
    assert set(dropped) == {INVENTED.text, NUMBER_ALTERED.text, FAKE_QUOTE.text}
    assert all(d.reason for d in dropped.values())
    assert dropped[INVENTED.text].sources == [2]  # what it cited stays on record
    assert not {p.text for p in briefing.points} & set(dropped)


def test_every_point_is_supported_by_the_sentences_it_cites(briefing):
    folder, english, _ = story_folder()
    pool = EvidencePool.build(folder, english, number_sources(folder), "en")
    for p in briefing.points:
        evidence = [pool.by_id[sid] for sid in p.cites]
        assert check_support(claim_facts(p.text, "en"), evidence).supported, p.text
        assert set(p.sources) == {pool.by_id[sid].number for sid in p.cites}


def test_a_point_cites_every_story_that_supports_it(briefing):
    pentagon = point(briefing, MISCITED.text)
    assert sorted(pentagon.sources) == [2, 3]
    assert pentagon.verification.status == "recited" and pentagon.verification.wrong == [1]


def test_points_reported_by_more_outlets_come_first(briefing):
    assert briefing.points[0].text == MISCITED.text
    assert briefing.points[0].outlets == 2
    assert [p.outlets for p in briefing.points] == sorted((p.outlets for p in briefing.points), reverse=True)


def test_a_near_duplicate_copy_shares_its_originals_number_and_counts_once(briefing):
    nato = point(briefing, SUPPORTED.text)
    # detik.txt carries the same sentence, but it is a copy of bbc.txt: one story, one outlet.
    assert nato.sources == [1] and nato.outlets == 1
    assert [s.article_id for s in briefing.sources] == ["bbc.txt", "kontan.txt", "sindo.txt"]
    assert [c.article_id for c in briefing.sources[0].copies] == ["detik.txt"]
    assert briefing.sources[0].copies[0].outlet == "detik"


def test_briefing_carries_the_drafts_citation_metrics(briefing):
    assert briefing.metrics.sentences == len(SCRIPT)
    assert briefing.metrics.dropped == 3 and briefing.metrics.recited == 2
    assert 0 < briefing.metrics.precision < 1 and 0 < briefing.metrics.recall < 1


@pytest.mark.parametrize(
    "garbage",
    [
        [],
        [
            DraftSentence("the the of of Korea Korea Korea", [1]),
            DraftSentence("pasukan pasukan pasukan 99999", [2]),
            DraftSentence("Zzyzx quorble frandle.", []),
            DraftSentence(SUPPORTED.text, [1]),
        ],
    ],
)
def test_a_weak_model_is_topped_up_with_extractive_points_and_says_so(garbage):
    briefing = compose(garbage)
    assert len(briefing.points) >= MIN_POINTS
    extractive = [p for p in briefing.points if p.origin == "extractive"]
    assert extractive and all(p.verification.status == "supported" for p in extractive)
    failed = sum(1 for d in garbage if d.text != SUPPORTED.text)
    said = f"{failed} of {len(garbage)} model sentence(s) failed verification" if garbage else "no key point"
    assert any(said in n for n in briefing.notes)
    # An extractive point is a source sentence, not a repeat of a point already made.
    texts = [p.text for p in briefing.points]
    assert len(texts) == len(set(texts))
    if SUPPORTED in garbage:  # the model already made the NATO point: no extractive repeat of it
        assert not any("deployed to Russia and are operating" in t for t in texts if t != SUPPORTED.text)


def test_extractive_points_prefer_what_several_stories_report():
    folder, english, original = story_folder()
    # Make Sindonews report what Kontan reports, in nearly the same words.
    english["sindo.txt:2:1"] = (
        "The Pentagon confirmed that 10,000 North Korean troops were sent to Russia for training."
    )
    sources = number_sources(folder)
    draft = ScriptedSummarizer([]).draft_briefing(summary_inputs(folder, english, sources), [], "en")
    briefing = compose_briefing(folder, sources, english, original, draft, [], "en")
    first = briefing.points[0]
    assert "10,000" in first.text and sorted(first.sources) == [2, 3] and first.outlets == 2
    assert all(p.outlets == 1 for p in briefing.points[1:])


def test_a_title_naming_a_number_no_source_has_is_replaced():
    briefing = compose(SCRIPT, title="25,000 North Korean troops reach Kursk")
    assert briefing.title == "Briefing: korea"
    assert any("25000" in n for n in briefing.notes)
    assert compose(SCRIPT).title == "North Korean troops in Kursk"


def test_summary_inputs_are_one_per_story_numbered_as_cited():
    folder, english, _ = story_folder()
    inputs = summary_inputs(folder, english, number_sources(folder))
    assert [(i.article_id, i.number) for i in inputs] == [("bbc.txt", 1), ("kontan.txt", 2), ("sindo.txt", 3)]
    assert inputs[0].sentences[0] == ("bbc.txt:1:1", english["bbc.txt:1:1"])
    assert inputs[0].outlet == "BBC" and inputs[0].date == "2024-10-28"
    with_copies = summary_inputs(folder, english, number_sources(folder), include_copies=True)
    assert ("detik.txt", 1) in [(i.article_id, i.number) for i in with_copies]


def test_an_indonesian_briefing_is_verified_against_the_originals():
    sentences = [
        DraftSentence("Pentagon mengonfirmasi sekitar 10.000 tentara Korea Utara dikirim ke Rusia.", [2]),
        DraftSentence("Pentagon mengonfirmasi sekitar 20.000 tentara Korea Utara dikirim ke Rusia.", [2]),
    ]
    briefing = compose(sentences, title="Pasukan Korea Utara di Rusia", language="id")
    assert [d.text for d in briefing.dropped] == [sentences[1].text]
    assert point(briefing, sentences[0].text).cites[0] == "kontan.txt:1:1"


def test_sentences_the_article_summaries_drew_on_are_preferred_for_the_fill():
    rutte = "bbc.txt:4:1"
    assert rutte not in [p.cites[0] for p in compose([]).points]
    summaries = [ArticleSummary("bbc.txt", "en", [SummarySentence("Rutte: escalation.", [rutte])], "x")]
    assert compose([], summaries=summaries).points[0].cites == [rutte]


def shown_citations_verified(briefing: Briefing, pool: EvidencePool) -> None:
    """Every shown citation supports its point alone or is needed for the joint support."""
    for p in briefing.points:
        facts = claim_facts(p.text, pool.language)
        evidence = [pool.by_id[sid] for sid in p.cites]
        assert p.sources and check_support(facts, evidence).supported, p.text
        assert set(p.sources) == {s.number for s in evidence}
        for number in p.sources:
            alone = check_support(facts, [s for s in evidence if s.number == number]).supported
            needed = not check_support(facts, [s for s in evidence if s.number != number]).supported
            assert alone or needed, (p.text, number)


def test_a_citation_that_does_not_support_its_point_is_not_shown_and_not_counted():
    # The model cites Kontan [2] too, which says nothing about Kursk.
    briefing = compose([DraftSentence(SUPPORTED.text, [1, 2]), MISCITED, DraftSentence(INVENTED.text, [2])])
    nato = point(briefing, SUPPORTED.text)
    assert nato.sources == [1] and nato.outlets == 1
    assert all(sid.startswith("bbc.txt:") for sid in nato.cites)
    [removed] = [c for c in nato.changes if c.action == "removed"]
    assert removed.source == 2 and "does not support it" in removed.reason
    pentagon = point(briefing, MISCITED.text)
    assert {(c.source, c.action) for c in pentagon.changes} == {(1, "removed"), (2, "added"), (3, "added")}
    assert briefing.metrics.precision < 0.5  # the draft's citations ...
    assert briefing.shown_metrics.precision == 1.0 and briefing.shown_metrics.recall == 1.0  # ... and the shown ones


def test_shown_metrics_count_what_is_shown(briefing):
    shown = briefing.shown_metrics
    # The scripted model path: whatever the draft cited, what is shown is verified.
    assert shown.precision >= 0.95 and shown.recall >= 0.95
    assert shown.sentences == len(briefing.points)
    assert shown.citations == sum(len(p.sources) for p in briefing.points)


def _extractive_briefing(path) -> tuple[Briefing, EvidencePool]:
    from dataclasses import replace

    from summarizer.ingest.folder import load_folder
    from summarizer.run.pipeline import RunOptions, brief

    record = brief(load_folder(path), RunOptions(lang="id", summarizer="extractive"))
    # The evidence is what was briefed: articles left out (off-topic, other languages) have no number.
    briefed = replace(record.folder, articles=[a for a in record.folder.articles if a.id in record.sources.numbers])
    texts = {s.id: s.text for a in briefed.articles for s in a.sentences()}
    return record.briefing, EvidencePool.build(briefed, texts, record.sources, "id")


def test_seed_briefing_shows_only_verified_citations():
    briefing, pool = _extractive_briefing(Path(__file__).parent.parent / "seeds")
    shown_citations_verified(briefing, pool)
    assert briefing.shown_metrics.precision >= 0.95 and briefing.shown_metrics.recall >= 0.95
    # Source 2 has Rutte warn of the threat and Yoon phone him: not Yoon's claim.
    yoon = [p for p in briefing.points if p.text.startswith("Presiden Korea Selatan, Yoon")]
    assert yoon and all(2 not in p.sources for p in yoon)


CORPUS_ROOT = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS_ROOT.is_dir(), reason="../shared/corpus is not present")
def test_corpus_briefings_show_only_verified_citations(tmp_path):
    import shutil

    folders = sorted(p for p in CORPUS_ROOT.iterdir() if p.is_dir() and p.name.endswith("-jun2025"))
    assert folders
    for path in folders:
        # Only the articles: a corpus folder's README.md and expected.json describe the story.
        story = tmp_path / path.name
        story.mkdir()
        for file in path.glob("*.txt"):
            shutil.copy(file, story / file.name)
        briefing, pool = _extractive_briefing(story)
        shown_citations_verified(briefing, pool)
        shown = briefing.shown_metrics
        assert shown.precision >= 0.95 and shown.recall >= 0.95, path.name
