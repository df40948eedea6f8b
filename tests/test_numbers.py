from __future__ import annotations

import pytest

from summarizer.text.numbers import NumberMention, find_numbers, missing_numbers


def only(text: str, language: str, **kwargs) -> NumberMention:
    mentions = find_numbers(text, language, **kwargs)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "written", "value", "kind"),
    [
        ("setidaknya 1.500 tentara Korea Utara", "1.500", "1500", "number"),
        ("sekitar 600.000 tentara", "600.000", "600000", "number"),
        ("1.500.000 pengungsi", "1.500.000", "1500000", "number"),
        ("indeks naik 25,22 poin", "25,22", "25.22", "number"),
        ("25,22 juta penduduk", "25,22 juta", "25220000", "number"),
        ("sebanyak 10 ribu orang", "10 ribu", "10000", "number"),
        ("Rp1,2 triliun", "Rp1,2 triliun", "1200000000000", "money"),
        ("harganya Rp 15.750 per liter", "Rp 15.750", "15750", "money"),
        ("Rp620, Apa Saja", "Rp620", "620", "money"),
        ("bantuan US$ 10 juta", "US$ 10 juta", "10000000", "money"),
        ("dana 5 miliar rupiah", "5 miliar rupiah", "5000000000", "money"),
        ("inflasi 3,5 persen", "3,5 persen", "3.5", "percent"),
        ("Survei: 77,6 Persen Warga", "77,6 Persen", "77.6", "percent"),
        ("naik 5% tahun ini", "5%", "5", "percent"),
        ("pukul 14.30 WIB", "14.30 WIB", "14:30", "time"),
        ("sekitar 7.30 WIB", "7.30 WIB", "7:30", "time"),
        ("pukul 19.00 malam", "19.00 malam", "19:00", "time"),
        ("pukul 07:15", "07:15", "7:15", "time"),
        ("Senin (28/10/2024)", "28/10/2024", "2024-10-28", "date"),
        ("pada 28 Oktober 2024", "28 Oktober 2024", "2024-10-28", "date"),
        ("sejak Februari 2022", "Februari 2022", "2022-02", "date"),
        ("pada 17 Agustus", "17 Agustus", "--08-17", "date"),
        ("Sabtu (5/6)", "5/6", "--06-05", "date"),
    ],
)
def test_indonesian_conventions(text, written, value, kind):
    mention = only(text, "id")
    assert (mention.text, mention.value, mention.kind) == (written, value, kind)
    assert text[mention.start : mention.end] == written


@pytest.mark.parametrize(
    ("text", "written", "value", "kind"),
    [
        ("at least 1,500 soldiers", "1,500", "1500", "number"),
        ("25.22 million people", "25.22 million", "25220000", "number"),
        ("Rp1.2 trillion", "Rp1.2 trillion", "1200000000000", "money"),
        ("$10 million in aid", "$10 million", "10000000", "money"),
        ("5 billion rupiah", "5 billion rupiah", "5000000000", "money"),
        ("3.5 percent inflation", "3.5 percent", "3.5", "percent"),
        ("up 5 per cent", "5 per cent", "5", "percent"),
        ("at 10:55 a.m.", "10:55 a.m.", "10:55", "time"),
        ("around 2:30 p.m. local time", "2:30 p.m.", "14:30", "time"),
        ("at 7 pm", "7 pm", "19:00", "time"),
        ("12 a.m.", "12 a.m.", "0:00", "time"),
        ("at 14.30", "14.30", "14:30", "time"),
        ("at 14.30 WIB", "14.30 WIB", "14:30", "time"),
        ("on October 28, 2024", "October 28, 2024", "2024-10-28", "date"),
        ("on 28 October 2024", "28 October 2024", "2024-10-28", "date"),
        ("Oct. 28", "Oct. 28", "--10-28", "date"),
        ("since February 2022", "February 2022", "2022-02", "date"),
        ("2024-10-28", "2024-10-28", "2024-10-28", "date"),
        ("2.200.112 voters", "2.200.112", "2200112", "number"),
        ("25,22 million", "25,22 million", "25220000", "number"),
    ],
)
def test_english_conventions(text, written, value, kind):
    mention = only(text, "en")
    assert (mention.text, mention.value, mention.kind) == (written, value, kind)
    assert text[mention.start : mention.end] == written


def test_a_dotted_thousand_in_english_reads_as_a_decimal():
    # An English reader takes "1.500" for one and a half: that is the corruption to catch.
    assert only("1.500 soldiers", "en").value == "1.5"


def test_year_range_is_two_years():
    mentions = find_numbers("Perang Korea 1950-1953, juga", "id")
    assert [(m.text, m.value, m.kind) for m in mentions] == [
        ("1950", "1950", "number"),
        ("1953", "1953", "number"),
    ]


def test_number_range_with_dash_is_not_a_date():
    assert [m.value for m in find_numbers("10-15 orang", "id")] == ["10", "15"]


def test_sentence_final_year_keeps_the_full_stop_out():
    mention = only("sejak invasi pada 2022. Awal", "id")
    assert (mention.text, mention.value) == ("2022", "2022")


def test_bare_indonesian_clock_time_has_a_time_reading():
    mention = only("dimulai 14.30 tadi", "id")
    assert mention.value == "14.3"
    assert "14:30" in mention.alternatives


def test_english_style_grouping_in_indonesian_is_an_alternative_reading():
    mention = only("1,500 orang", "id")
    assert mention.values == ("1.5", "1500")


def test_ambiguous_english_slash_date_allows_both_orders():
    mention = only("on 5/6/2024", "en")
    assert set(mention.values) == {"2024-06-05", "2024-05-06"}


def test_number_words_only_when_asked():
    assert find_numbers("two soldiers", "en") == []
    assert only("two soldiers", "en", include_words=True).value == "2"
    assert only("forty-five thousand people", "en", include_words=True).value == "45000"
    assert only("two million", "en", include_words=True).value == "2000000"


def test_several_mentions_in_order_with_offsets():
    text = "Pada Senin (28/10/2024) pukul 14.30 WIB, 1.500 tentara dan Rp1,2 triliun (3,5 persen)."
    mentions = find_numbers(text, "id")
    assert [m.kind for m in mentions] == ["date", "time", "number", "money", "percent"]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_lower_case_month_words_are_not_dates():
    # "may" and "mar" are ordinary words; only capitalised month names start a date.
    assert [m.kind for m in find_numbers("it may 5 times", "en")] == ["number"]


# --- missing_numbers -------------------------------------------------------------------------


def test_faithful_translation_keeps_every_number():
    source = "Setidaknya 1.500 tentara dan 25,22 juta warga pada pukul 14.30 WIB, naik 3,5 persen."
    target = "At least 1,500 soldiers and 25.22 million residents at 2:30 p.m., up 3.5 percent."
    assert missing_numbers(source, target) == []


def test_changed_number_is_reported_as_written_in_the_source():
    source = "Setidaknya 1.500 tentara Korea Utara telah tiba di Rusia."
    assert missing_numbers(source, "At least 1,600 North Korean troops have arrived in Russia.") == ["1.500"]


def test_copied_indonesian_grouping_is_reported():
    assert missing_numbers("1.500 tentara", "1.500 soldiers") == ["1.500"]


def test_magnitude_flip_is_reported():
    assert missing_numbers("Rp1,2 triliun", "Rp1.2 billion") == ["Rp1,2 triliun"]


def test_dropped_number_is_reported_once_per_text():
    source = "Sebanyak 10.000 tentara dan 10.000 lainnya serta 5.000 pasukan."
    assert missing_numbers(source, "A total of 10,000 troops and others.") == ["5.000"]


def test_small_numbers_may_be_spelled_out():
    assert missing_numbers("2 orang tewas dan 10 terluka", "Two people died and ten were injured") == []


def test_dates_match_across_formats():
    assert missing_numbers("Senin (28/10/2024)", "Monday, October 28, 2024") == []
    assert missing_numbers("Senin (28/10)", "Monday, October 28, 2024") == []
    assert missing_numbers("pada 28 Oktober 2024", "on 28/10/2024") == []


def test_dropped_year_of_a_date_is_reported():
    assert missing_numbers("Senin (28/10/2024)", "Monday, October 28") == ["28/10/2024"]


def test_year_folded_into_a_date_counts_as_present():
    assert missing_numbers("pada Oktober tahun 2024", "in October 2024") == []


def test_clock_time_twelve_hour_english():
    assert missing_numbers("pukul 19.00 malam", "at 7 p.m.") == []
    assert missing_numbers("pukul 19.00 WIB", "at 19.00 WIB") == []
    assert missing_numbers("pukul 19.00 WIB", "at 9 p.m.") == ["19.00 WIB"]


def test_no_numbers_nothing_missing():
    assert missing_numbers("Itu urusan kami.", "That's our business.") == []
