"""Citation verification: every way a scripted summarizer's sentence can be wrong is caught."""

from __future__ import annotations

import pytest
from briefing_data import (
    EXTRACTIVE,
    FAKE_QUOTE,
    INVENTED,
    MISCITED,
    NUMBER_ALTERED,
    SCRIPT,
    SUPPORTED,
    UNCITED,
    ScriptedSummarizer,
    story_folder,
)

from summarizer.briefing.cite import CheckedSentence, citation_metrics, verify_sentence
from summarizer.briefing.compose import summary_inputs
from summarizer.briefing.sources import number_sources
from summarizer.briefing.support import EvidencePool, claim_facts
from summarizer.summarizers.base import DraftSentence
from summarizer.text.speech import find_speaker


@pytest.fixture(scope="module")
def story():
    folder, english, original = story_folder()
    sources = number_sources(folder)
    assert sources.copies == {"detik.txt"}
    pool = EvidencePool.build(folder, english, sources, "en")
    draft = ScriptedSummarizer(SCRIPT).draft_briefing(summary_inputs(folder, english, sources), [], "en")
    checked = {d.text: verify_sentence(d.text, d.sources, d.cites, pool) for d in draft.sentences}
    return pool, checked


def check(story, draft: DraftSentence) -> CheckedSentence:
    return story[1][draft.text]


def test_supported_sentence_resolves_to_the_exact_source_sentence(story):
    result = check(story, SUPPORTED)
    assert result.verification.status == "supported"
    assert result.sources == [1]
    # The original article's sentence, not its near-duplicate copy's identical one.
    assert result.cites == ["bbc.txt:1:1"]


def test_invented_sentence_is_dropped_with_the_reason(story):
    result = check(story, INVENTED)
    assert result.verification.status == "unverified"
    assert result.cites == [] and result.sources == []
    assert "wording" in result.verification.reason
    assert result.verification.wrong == [2]


def test_miscited_sentence_is_recited_and_the_wrong_citation_kept(story):
    result = check(story, MISCITED)
    assert result.verification.status == "recited"
    assert result.verification.wrong == [1]
    assert "10000" in result.verification.reason  # why [1] failed: it has no such number
    assert result.sources[0] in (2, 3)
    assert all(cite.startswith(("kontan.txt:", "sindo.txt:")) for cite in result.cites)


def test_altered_number_is_caught_even_when_the_wording_matches(story):
    result = check(story, NUMBER_ALTERED)
    assert result.verification.status == "unverified"
    assert "15000" in result.verification.reason


def test_quotation_marks_around_words_no_source_has_are_caught(story):
    result = check(story, FAKE_QUOTE)
    assert result.verification.status == "unverified"
    assert "a reckless gamble" in result.verification.reason


def test_sentence_without_citation_is_caught_and_cited(story):
    result = check(story, UNCITED)
    assert result.verification.status == "recited"
    assert result.verification.reason == "no citation"
    assert result.cites == ["sindo.txt:1:1"] and result.sources == [3]


def test_extractive_sentence_with_exact_cites_is_still_verified(story):
    pool = story[0]
    result = check(story, EXTRACTIVE)
    assert result.verification.status == "supported"
    assert result.cites == ["kontan.txt:1:1"]
    # Exact cites that do not say what the sentence says are not trusted.
    wrong = verify_sentence(EXTRACTIVE.text, [1], ["bbc.txt:3:1"], pool)
    assert wrong.verification.status == "recited"
    assert wrong.cites == ["kontan.txt:1:1"]


def test_extractive_cites_that_add_nothing_are_removed_and_count_against_precision(story):
    pool = story[0]
    # An extractive summarizer cited a second story's sentence that does not say this.
    result = verify_sentence(EXTRACTIVE.text, [2, 1], ["kontan.txt:1:1", "bbc.txt:3:1"], pool)
    assert result.verification.status == "supported"
    assert result.cites == ["kontan.txt:1:1"] and result.sources == [2]
    assert result.verification.relevant == [2] and result.verification.wrong == [1]
    assert citation_metrics([result]).precision == 0.5


def test_extractive_cites_under_the_wrong_source_number_are_recited(story):
    pool = story[0]
    result = verify_sentence(EXTRACTIVE.text, [1], ["kontan.txt:1:1"], pool)
    assert result.verification.status == "recited" and result.verification.wrong == [1]
    assert result.cites == ["kontan.txt:1:1"] and result.sources == [2]
    assert citation_metrics([result]).recall == 0.0


def test_real_quotation_is_accepted_modulo_quote_style(story):
    pool = story[0]
    result = verify_sentence('Putin said: "This is our sovereign decision."', [1], [], pool)
    assert result.verification.status == "supported"
    assert result.cites == ["bbc.txt:3:1"]


def test_citation_to_a_source_that_does_not_exist_is_recorded(story):
    pool = story[0]
    result = verify_sentence(SUPPORTED.text, [9], [], pool)
    assert result.verification.status == "recited"
    assert result.verification.wrong == [9]
    assert "unknown source [9]" in result.verification.reason
    assert result.sources == [1]


def test_citation_precision_and_recall_are_measured_alce_style(story):
    metrics = citation_metrics(list(story[1].values()))
    # 7 sentences; the model cited 6 times ([] for the uncited one). Supported by their own
    # citations: SUPPORTED [1] and EXTRACTIVE [2]; every other citation is wrong.
    assert (metrics.sentences, metrics.citations) == (7, 6)
    assert metrics.relevant_citations == 2 and metrics.supported_sentences == 2
    assert metrics.precision == pytest.approx(2 / 6, abs=1e-3)
    assert metrics.recall == pytest.approx(2 / 7, abs=1e-3)
    assert (metrics.recited, metrics.dropped) == (2, 3)


def test_a_citation_that_adds_nothing_lowers_precision_but_not_recall(story):
    pool = story[0]
    result = verify_sentence(SUPPORTED.text, [1, 3], [], pool)
    assert result.verification.status == "supported"
    assert result.verification.relevant == [1] and result.verification.wrong == [3]
    assert result.sources == [1]
    metrics = citation_metrics([result])
    assert (metrics.precision, metrics.recall) == (0.5, 1.0)


def test_sentence_combining_two_stories_is_supported_by_both(story):
    pool = story[0]
    text = (
        "NATO said North Korean troops are in the Kursk border region, "
        "and Choe Son Hui arrived in Russia's far east on Tuesday."
    )
    result = verify_sentence(text, [1, 3], [], pool)
    assert result.verification.status == "supported"
    assert sorted(result.sources) == [1, 3]
    assert result.verification.relevant == [1, 3]


def test_indonesian_briefing_compares_numbers_by_value():
    folder, _, original = story_folder()
    pool = EvidencePool.build(folder, original, number_sources(folder), "id")
    kept = verify_sentence("Setidaknya 1.500 tentara Korea Utara telah tiba di Rusia.", [1], [], pool)
    altered = verify_sentence("Setidaknya 15.000 tentara Korea Utara telah tiba di Rusia.", [1], [], pool)
    assert kept.verification.status == "supported" and kept.cites == ["bbc.txt:2:1"]
    assert altered.verification.status == "unverified"


def test_names_exclude_a_capitalised_first_word_but_keep_acronyms_and_multiword_names():
    facts = claim_facts("Officials in Seoul said NATO and Mark Rutte confirmed it.", "en")
    assert ("seoul",) in facts.names and ("nato",) in facts.names and ("mark", "rutte") in facts.names
    assert ("official",) not in facts.names


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Presiden Korea Selatan, Yoon Suk-yeol, menyatakan bahwa kerja sama itu ancaman.", {"yoon", "suk-yeol"}),
        ("“Ini keputusan kami,” kata Putin kepada wartawan.", {"putin"}),
        ("Menurut juru bicara Pentagon, Sabrina Singh, pasukan sudah dekat.", {"pentagon", "singh"}),
        ("North Korean troops are in Kursk, NATO said.", {"nato"}),
        ("According to Pentagon spokeswoman Sabrina Singh, troops are close.", {"pentagon", "singh"}),
    ],
)
def test_the_speaker_of_reported_speech_is_found(text, speaker):
    found = find_speaker(text, "id" if "kata" in text or "Menurut" in text or "menyatakan" in text else "en")
    assert found is not None and not found.pronoun
    assert speaker <= found.words


def test_a_pronoun_speaker_points_back_to_the_last_speaker_named():
    assert find_speaker("Pasukan sudah dekat, katanya.", "id").pronoun
    assert find_speaker("Ia menambahkan bahwa pasukan sudah dekat.", "id").pronoun
    assert find_speaker("Pasukan itu tiba pada hari Selasa.", "id") is None


def test_a_quote_moved_to_another_speaker_is_caught(story):
    pool = story[0]
    # bbc.txt: Putin says "This is our sovereign decision"; Rutte calls it a "significant escalation".
    right = verify_sentence("Putin said: “This is our sovereign decision.”", [1], [], pool)
    swapped = verify_sentence("Rutte said: “This is our sovereign decision.”", [1], [], pool)
    also_swapped = verify_sentence("Putin said the deployment was a “significant escalation”.", [1], [], pool)
    assert right.verification.status == "supported"
    for result in (swapped, also_swapped):
        assert result.verification.status == "unverified", result
        assert "say it" in result.verification.reason


def test_a_claim_attributed_to_a_role_is_supported_by_the_person_in_that_role(story):
    pool = story[0]
    result = verify_sentence(
        "The Pentagon spokeswoman said some troops are close to the Ukrainian border.", [2], [], pool
    )
    assert result.verification.status == "supported" and result.sources == [2]


def test_an_attributed_claim_is_not_supported_by_another_speakers_words_in_indonesian():
    folder, _, original = story_folder()
    pool = EvidencePool.build(folder, original, number_sources(folder), "id")
    right = verify_sentence("Rutte mengatakan penempatan tersebut merupakan “eskalasi signifikan”.", [1], [], pool)
    swapped = verify_sentence("Putin mengatakan penempatan tersebut merupakan “eskalasi signifikan”.", [1], [], pool)
    assert right.verification.status == "supported"
    assert swapped.verification.status == "unverified"


def test_a_negation_added_or_dropped_is_caught(story):
    pool = story[0]
    added = verify_sentence(
        "The Pentagon confirmed that about 10,000 North Korean troops were not sent to Russia.", [2], [], pool
    )
    assert added.verification.status == "unverified"
    folder, _, original = story_folder()
    id_pool = EvidencePool.build(folder, original, number_sources(folder), "id")
    negated = verify_sentence(
        "Pentagon tidak mengonfirmasi bahwa sekitar 10.000 tentara Korea Utara dikirim ke Rusia.", [2], [], id_pool
    )
    assert negated.verification.status == "unverified"
    assert "negat" in negated.verification.reason or "states" in negated.verification.reason


def test_facts_of_two_sentences_cannot_be_fused_inside_one_clause(story):
    pool = story[0]
    # Kontan's Pentagon figure with Sindonews's Foreign Minister: each word is in some sentence
    # of the cited stories, but no sentence says Choe Son Hui sent 10,000 troops.
    fused = verify_sentence(
        "Choe Son Hui confirmed that about 10,000 North Korean troops were sent to Russia.", [2, 3], [], pool
    )
    assert fused.verification.status == "unverified"
    # Joined at a clause boundary, two sources' facts are an honest merge.
    honest = verify_sentence(
        "The Pentagon confirmed about 10,000 North Korean troops were sent to Russia for training, "
        "and Choe Son Hui arrived in Russia's far east on Tuesday.",
        [2, 3],
        [],
        pool,
    )
    assert honest.verification.status == "supported" and sorted(honest.sources) == [2, 3]


def test_words_spliced_in_from_a_sentence_outside_the_evidence_are_found(story):
    pool = story[0]
    kontan = [pool.by_id["kontan.txt:1:1"]]
    # The tail is Sindonews's sentence word for word; the cited Kontan sentence has none of it.
    spliced = pool.spliced_words("The Pentagon confirmed troops arrived in Russia's far east on Tuesday.", kontan)
    assert {"arrived", "far", "east"} <= set(spliced)
    # Its own sentence, or words in no source at all, are not a splice.
    assert pool.spliced_words(EXTRACTIVE.text, kontan) == []
    assert pool.spliced_words("The Pentagon confirmed troops were dispatched to Russia.", kontan) == []


def test_a_spliced_point_is_not_shown():
    from summarizer.briefing.compose import shown_point

    folder, english, _ = story_folder()
    pool = EvidencePool.build(folder, english, number_sources(folder), "en")
    assert shown_point(EXTRACTIVE.text, [2], pool) is not None
    assert (
        shown_point(
            "North Korean troops were sent to Russia for training, up from an estimate of 3,000 last Wednesday in Kursk.",
            [2],
            pool,
        )
        is None
    )


def test_a_shifted_weekday_is_caught_even_when_that_day_is_named_elsewhere():
    from summarizer.briefing.support import check_support, claim_facts, day_dates

    assert day_dates("ujar Sugiono, Rabu (18/6) waktu setempat, Kamis (19/6/2025).", "id") == (
        ("rabu", "--06-18"),
        ("kamis", "2025-06-19"),
    )
    folder, _, original = story_folder()
    pool = EvidencePool.build(folder, original, number_sources(folder), "id")
    source = pool.by_id["sindo.txt:1:1"]  # "... tiba di timur jauh Rusia pada hari Selasa."
    right = claim_facts("Choe Son Hui tiba di timur jauh Rusia pada hari Selasa.", "id")
    shifted = claim_facts("Choe Son Hui tiba di timur jauh Rusia pada hari Rabu.", "id")
    opening = claim_facts("Rabu, Menteri Luar Negeri Korea Utara Choe Son Hui tiba di timur jauh Rusia.", "id")
    assert check_support(right, [source]).supported
    assert not check_support(shifted, [source]).supported
    assert not check_support(opening, [source]).supported  # a day opening the sentence counts too
