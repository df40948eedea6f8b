"""The shared lexicon, sentence ids and the briefing language."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer.document import SentenceRef, article_of, parse_sentence_id, sentence_id
from summarizer.errors import ExitCode, SummarizerError
from summarizer.ingest.clean_dates import find_body_date, parse_date
from summarizer.ingest.dedup import _terms
from summarizer.ingest.segment import split_sentences
from summarizer.lang import SUPPORTED_LANGUAGES, needs_translation, parse_briefing_language
from summarizer.text import lexicon
from summarizer.text.numbers import find_numbers
from summarizer.text.similarity import tokens

# --- word lists -------------------------------------------------------------------------------


def test_every_stage_list_builds_on_the_function_words():
    for language, base in (("id", lexicon.ID_FUNCTION_WORDS), ("en", lexicon.EN_FUNCTION_WORDS)):
        assert base - lexicon.SIMILARITY_KEPT_WORDS[language] <= lexicon.SIMILARITY_STOP_WORDS[language]
        assert base - lexicon.SUPPORT_KEPT_WORDS[language] <= lexicon.SUPPORT_STOP_WORDS[language]
    assert lexicon.ID_FUNCTION_WORDS <= lexicon.DEDUP_STOP_WORDS


def test_extras_are_real_differences():
    # An extra that the base already holds, or an exclusion it does not, is dead weight that
    # hides what the stage actually changes.
    for language, base in (("id", lexicon.ID_STOP_WORDS), ("en", lexicon.EN_STOP_WORDS)):
        assert not lexicon.SIMILARITY_EXTRA_STOP_WORDS[language] & base
        assert not lexicon.SUPPORT_EXTRA_STOP_WORDS[language] & base
        assert lexicon.SIMILARITY_KEPT_WORDS[language] <= base
        assert lexicon.SUPPORT_KEPT_WORDS[language] <= base
    assert not lexicon.DEDUP_EXTRA_STOP_WORDS & lexicon.ID_FUNCTION_WORDS
    assert lexicon.REPAIR_UNSAFE_WORDS <= lexicon.ID_FUNCTION_WORDS
    assert not lexicon.REPAIR_EXTRA_FUNCTION_WORDS & lexicon.ID_FUNCTION_WORDS


def test_support_keeps_negation_and_modality():
    assert {"bukan", "sebelum"}.isdisjoint(lexicon.SUPPORT_STOP_WORDS["id"])
    assert {"may", "must", "without"}.isdisjoint(lexicon.SUPPORT_STOP_WORDS["en"])
    assert {"yang", "mengatakan", "nya"} <= lexicon.SUPPORT_STOP_WORDS["id"]


def test_similarity_tokens_drop_stop_words_and_stem():
    assert tokens("Pasukannya yang dikirim ke Kursk, kata dia, berjumlah 1.500 orang.", "id") == [
        "pasukan",
        "dikirim",
        "kursk",
        "berjumlah",
        "1500",
        "orang",
    ]
    assert tokens("The troops said they were sent to Kursk last year.", "en") == ["troop", "sent", "kursk"]


def test_dedup_terms_use_six_letter_stems_without_stop_words():
    terms = _terms("Pasukannya dan pasukan Korea-Utara yang tiba, ujarnya.")
    assert terms == {"pasuka": 2, "korea-": 1, "tiba": 1}


def test_repair_words_leave_out_word_pieces():
    assert "para" not in lexicon.REPAIR_FUNCTION_WORDS
    assert {"tersebut", "mengenai", "yang"} <= lexicon.REPAIR_FUNCTION_WORDS


# --- calendar ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("18 Juni 2025 |20:45 WIB", "2025-06-18T20:45:00+07:00"),
        ("17 Jun 2025 15:18 WIB", "2025-06-17T15:18:00+07:00"),
        ("3 Agt 2024", "2024-08-03"),
        ("5 Peb 2024", "2024-02-05"),
        ("5 Nop 2024", "2024-11-05"),
        ("28 October 2024", "2024-10-28"),
        ("Ahad, 3 Maret 2024", "2024-03-03"),
    ],
)
def test_date_lines_read_both_languages(text, iso):
    found = parse_date(text)
    assert found is not None and found.iso == iso


def test_body_dates_accept_both_spellings_of_friday():
    for day in ("Jumat", "Jum'at", "Ahad"):
        found = find_body_date(f"Jakarta - Presiden tiba {day} (7/6/2024) pagi.")
        assert found is not None and found.iso == "2024-06-07"


def test_number_scanning_reads_month_names_per_language():
    assert [m.value for m in find_numbers("pada 17 Agus 2024", "id") if m.kind == "date"] == ["2024-08-17"]
    assert [m.value for m in find_numbers("pada 10 Nopember 1945", "id") if m.kind == "date"] == ["1945-11-10"]
    assert [m.value for m in find_numbers("on August 17, 2024", "en") if m.kind == "date"] == ["2024-08-17"]
    # "Peb" is a date-line abbreviation only; in story text it is no month.
    assert "2024-02-05" not in [m.value for m in find_numbers("pada 5 Peb 2024", "id")]


def test_month_tables_agree_on_numbers():
    for table in (
        lexicon.ID_MONTHS,
        lexicon.EN_MONTHS,
        lexicon.NUMBERS_EXTRA_ID_MONTHS,
        lexicon.DATE_LINE_EXTRA_MONTHS,
    ):
        assert set(table.values()) <= set(range(1, 13))
    assert len(lexicon.MONTH_NAMES) == len(set(lexicon.MONTH_NAMES)) == 21
    for number, (indonesian, english) in enumerate(zip(lexicon.ID_MONTH_NAMES, lexicon.EN_MONTH_NAMES, strict=True), 1):
        assert lexicon.ID_MONTHS[indonesian.lower()] == lexicon.EN_MONTHS[english.lower()] == number


def test_month_abbreviation_before_a_number_does_not_end_a_sentence():
    assert split_sentences("Sidang digelar 3 Nov. 2024 di Jakarta.") == ["Sidang digelar 3 Nov. 2024 di Jakarta."]


# --- stemmers and patterns --------------------------------------------------------------------


def test_stemmers_differ_as_documented():
    assert lexicon.suffix_stem("news", "en") == "news"  # four letters: too short for -s
    assert lexicon.loose_stem("News") == "new"
    assert lexicon.suffix_stem("pasukannya", "en") == "pasukannya"
    assert lexicon.loose_stem("pasukannya") == "pasukan"
    assert lexicon.suffix_stem("pasukannya", "id") == "pasukan"
    assert lexicon.suffix_stem("class", "en") == lexicon.loose_stem("class") == "class"
    assert lexicon.prefix_stem("pasukannya") == lexicon.prefix_stem("pasukan") == "pasuka"


def test_word_patterns():
    assert lexicon.WORD.findall("Korea-Utara kirim 1.500 tentara_x") == ["Korea", "Utara", "kirim", "tentara", "x"]
    assert lexicon.HYPHENATED_WORD.findall("bom-bom Korea-Utara 3-4") == ["bom-bom", "Korea-Utara"]
    assert lexicon.APOSTROPHE_WORD.findall("it's Jum'at") == ["it's", "Jum'at"]
    assert lexicon.NUMBER_OR_WORD.findall("25,22 juta bom-bom") == ["25,22", "juta", "bom-bom"]


# --- sentence ids -----------------------------------------------------------------------------


def test_sentence_id_parts():
    assert parse_sentence_id("detik.txt:3:2") == SentenceRef("detik.txt", 3, 2)
    assert parse_sentence_id("feed.jsonl@4:1:1").article_id == "feed.jsonl@4"
    assert parse_sentence_id("a:b.txt:10:1") == SentenceRef("a:b.txt", 10, 1)
    assert article_of("a:b.txt:10:1") == "a:b.txt"


@pytest.mark.parametrize("bad", ["detik.txt", "detik.txt:3", ":1:2", "a.txt:x:1", "a.txt:1:", "a.txt:-1:2"])
def test_malformed_sentence_ids_are_rejected(bad):
    with pytest.raises(ValueError, match="not a sentence id"):
        parse_sentence_id(bad)


@given(
    article_id=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1),
    paragraph=st.integers(min_value=1, max_value=10_000),
    sentence=st.integers(min_value=1, max_value=10_000),
)
def test_sentence_id_round_trip(article_id, paragraph, sentence):
    sid = sentence_id(article_id, paragraph, sentence)
    assert parse_sentence_id(sid) == SentenceRef(article_id, paragraph, sentence)
    assert article_of(sid) == article_id
    assert sentence_id(*parse_sentence_id(sid)) == sid


# --- briefing language ------------------------------------------------------------------------


def test_only_english_needs_translation():
    assert SUPPORTED_LANGUAGES == ("en", "id")
    assert needs_translation("en")
    assert not needs_translation("id")


@pytest.mark.parametrize(("value", "lang"), [("en", "en"), ("EN", "en"), ("Id", "id"), (" id ", "id")])
def test_briefing_language_is_parsed_case_insensitively(value, lang):
    assert parse_briefing_language(value) == lang


@pytest.mark.parametrize("value", ["fr", "ms", "", "english"])
def test_unsupported_briefing_language_is_a_usage_error(value):
    with pytest.raises(SummarizerError, match="en, id") as raised:
        parse_briefing_language(value)
    assert raised.value.exit_code == ExitCode.USAGE
