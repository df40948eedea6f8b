from __future__ import annotations

import pytest

from summarizer.document import Article, Flag, Metadata, Paragraph, Sentence, SourceFile
from summarizer.translate.articles import translate_articles
from summarizer.translate.guards import check_output, number_flag, split_to_fit

SOURCE = "Pasukan Korea Utara telah dikerahkan ke Rusia dan beroperasi di wilayah perbatasan Kursk."
GOOD = "North Korean troops have been deployed to Russia and are operating in the Kursk border region."
LOOP = "I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry"


class ScriptedTranslator:
    """Returns canned outputs: `first[text]` normally, `retry[text]` with anti-repetition."""

    model_name = "scripted"
    revision = None

    def __init__(self, first: dict[str, str], retry: dict[str, str] | None = None, max_input_tokens=512):
        self.first = first
        self.retry = retry or {}
        self.max_input_tokens = max_input_tokens
        self.calls: list[tuple[list[str], bool]] = []

    def settings_key(self) -> str:
        return "scripted-v1"

    def token_counts(self, texts: list[str]) -> list[int]:
        return [len(t.split()) + 1 for t in texts]  # words plus </s>

    def translate(self, texts: list[str], *, anti_repetition: bool = False) -> list[str]:
        self.calls.append((list(texts), anti_repetition))
        table = self.retry if anti_repetition else self.first
        return [table[t] for t in texts]


def article(*sentences: str) -> Article:
    return Article(
        id="a.txt",
        source=SourceFile("a.txt", "txt", "utf-8", "0"),
        metadata=Metadata(),
        language="id",
        language_detected="id",
        paragraphs=[Paragraph(1, "text", [Sentence(f"a.txt:1:{i}", s) for i, s in enumerate(sentences, 1)])],
    )


def translate_one(translator: ScriptedTranslator, text: str):
    (result,) = translate_articles([article(text)], translator, progress=False)
    (sentence,) = result.sentences
    return sentence


# --- check_output -----------------------------------------------------------------------------


def test_clean_translation_passes():
    assert check_output(SOURCE, GOOD).ok


def test_phrase_loop_is_degenerate():
    check = check_output(SOURCE, LOOP)
    assert not check.ok
    assert "repeats 'i'm sorry' 6 times" in check.problems[0]


def test_word_loop_and_character_loop_are_degenerate():
    assert not check_output(SOURCE, "The army army army army army said.").ok
    assert not check_output("Hadirin bertepuk tangan.", "(掌声)(掌声)(掌声)(掌声)(掌声)(掌声)(掌声)").ok
    assert not check_output("Dia tertawa.", "hahahahahahahahahahaha").ok


def test_ordinary_repetition_is_not_a_loop():
    assert check_output("Tidak, tidak, tidak, katanya.", "No, no, no, he said.").ok
    assert check_output("Sangat sangat penting.", "Very, very important.").ok


def test_empty_output_for_real_text_is_degenerate():
    assert check_output(SOURCE, "   ").problems == ("empty output",)
    assert check_output("...", "").ok


def test_length_ratio_out_of_range_is_degenerate():
    assert "length ratio" in check_output(SOURCE, "Troops.").problems[0]
    assert "length ratio" in check_output(SOURCE, GOOD * 3).problems[0]


def test_short_sources_skip_the_length_ratio():
    assert check_output("Rusia.", "The Russian Federation.").ok


def test_badness_orders_attempts():
    assert check_output(SOURCE, LOOP).badness > check_output(SOURCE, GOOD[:40] + " sorry sorry sorry sorry").badness
    assert check_output(SOURCE, GOOD).badness == 0


# --- numbers ----------------------------------------------------------------------------------


def test_number_flag_lists_missing_numbers():
    flag = number_flag("Setidaknya 1.500 tentara dan 3,5 persen warga.", "At least 1,500 soldiers and 35 percent.")
    assert flag == Flag("number-missing", "3,5 persen")
    assert number_flag("1.500 tentara", "1,500 soldiers") is None


# --- the guards inside translate_articles -----------------------------------------------------


def test_degenerate_output_is_retried_once_and_flagged():
    translator = ScriptedTranslator({SOURCE: LOOP}, {SOURCE: GOOD})
    sentence = translate_one(translator, SOURCE)
    assert sentence.text == GOOD
    assert [f.code for f in sentence.flags] == ["degenerate-retried"]
    assert "i'm sorry" in sentence.flags[0].detail
    assert translator.calls == [([SOURCE], False), ([SOURCE], True)]


def test_still_degenerate_keeps_the_better_attempt_and_flags_it():
    less_bad = "North Korean troops have been deployed deployed deployed deployed to Russia at the Kursk border."
    translator = ScriptedTranslator({SOURCE: LOOP}, {SOURCE: less_bad})
    sentence = translate_one(translator, SOURCE)
    assert sentence.text == less_bad
    assert [f.code for f in sentence.flags] == ["degenerate"]
    assert "deployed" in sentence.flags[0].detail

    translator = ScriptedTranslator({SOURCE: less_bad}, {SOURCE: LOOP})
    assert translate_one(translator, SOURCE).text == less_bad


def test_empty_output_is_never_dropped_silently():
    translator = ScriptedTranslator({SOURCE: ""}, {SOURCE: ""})
    sentence = translate_one(translator, SOURCE)
    assert sentence.id == "a.txt:1:1"
    assert sentence.flags == [Flag("degenerate", "empty output")]


def test_clean_outputs_are_not_retried():
    translator = ScriptedTranslator({SOURCE: GOOD})
    assert translate_one(translator, SOURCE).flags == []
    assert len(translator.calls) == 1


def test_changed_number_is_flagged_on_the_sentence():
    source = "Setidaknya 1.500 tentara Korea Utara telah tiba di Rusia pekan ini."
    translator = ScriptedTranslator({source: "At least 15,000 North Korean soldiers have arrived in Russia this week."})
    sentence = translate_one(translator, source)
    assert sentence.flags == [Flag("number-missing", "1.500")]


# --- splitting --------------------------------------------------------------------------------

LONG = (
    "Dia berkata bahwa pasukan, yang datang dari utara; telah tiba di Kursk — wilayah perbatasan, "
    "dan mulai beroperasi sejak Senin."
)


def fits_chars(limit: int):
    return lambda text: len(text) <= limit


def joined(pieces: list[str]) -> str:
    return " ".join(pieces)


@pytest.mark.parametrize("limit", [200, 60, 40, 25, 12])
def test_split_pieces_fit_and_rejoin_to_the_text(limit):
    pieces = split_to_fit(LONG, fits_chars(limit))
    assert all(len(p) <= limit for p in pieces)
    assert joined(pieces) == LONG


def test_split_prefers_clause_boundaries():
    assert split_to_fit(LONG, fits_chars(80)) == [
        "Dia berkata bahwa pasukan, yang datang dari utara;",
        "telah tiba di Kursk — wilayah perbatasan, dan mulai beroperasi sejak Senin.",
    ]


def test_split_falls_back_to_words_then_characters():
    words = " ".join(["kata"] * 40)
    assert all(len(p) <= 50 for p in split_to_fit(words, fits_chars(50)))
    assert joined(split_to_fit(words, fits_chars(50))) == words
    blob = "x" * 130
    pieces = split_to_fit(blob, fits_chars(50))
    assert "".join(pieces) == blob and all(len(p) <= 50 for p in pieces)


def test_long_sentence_is_split_translated_in_parts_and_flagged():
    parts = split_to_fit(LONG, lambda t: len(t.split()) + 1 <= 8)
    translator = ScriptedTranslator({p: f"<{p}>" for p in parts}, max_input_tokens=8)
    sentence = translate_one(translator, LONG)
    assert sentence.text == " ".join(f"<{p}>" for p in parts)
    assert sentence.flags[0].code == "split-long"
    assert f"{len(parts)} parts" in sentence.flags[0].detail
    assert all(len(t.split()) + 1 <= 8 for call, _ in translator.calls for t in call)
