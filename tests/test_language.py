from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.ingest.language import detect_language, is_english_sentence, normalize_language
from summarizer.ingest.segment import split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CORPUS = Path("/work/shared/corpus/saudia-bomb-threat-jun2025")

MALAY_PARAGRAPH = (
    "Kerajaan akan memperuntukkan sebanyak RM50 bilion bagi membantu rakyat yang terjejas, kata "
    "Menteri Kewangan dalam kenyataan semalam. Peruntukan itu termasuk bantuan tunai kepada "
    "isi rumah berpendapatan rendah serta subsidi bahan api yang diteruskan sehingga hujung tahun."
)
ENGLISH_PARAGRAPH = (
    "North Korean troops have been sent to Russia and deployed to the Kursk border region, Nato "
    "has said for the first time. Secretary General Mark Rutte said he could confirm the "
    "deployment after weeks of intelligence."
)


def _seed_sentences() -> list[str]:
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        sentences += split_sentences(path.read_text(encoding="utf-8"))
    return sentences


def test_every_seed_is_detected_as_indonesian() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        code, raw = detect_language(path.read_text(encoding="utf-8"))
        assert code == "id", (path.name, raw)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")
def test_every_corpus_article_is_detected_as_indonesian() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        assert detect_language(path.read_text(encoding="utf-8"))[0] == "id", path.name


def test_malay_maps_to_indonesian_but_raw_answer_is_kept() -> None:
    code, raw = detect_language(MALAY_PARAGRAPH)
    assert code == "id"
    assert raw in {"id", "ms"}


def test_english_article_is_english() -> None:
    assert detect_language(ENGLISH_PARAGRAPH) == ("en", "en")


@pytest.mark.parametrize("text", ["", "   ", "OK.", "123 456 789 / 2024"])
def test_too_little_text_is_undetermined(text: str) -> None:
    assert detect_language(text) == ("und", "und")


def test_normalize_language() -> None:
    assert normalize_language("ms") == "id"
    assert normalize_language("ID") == "id"
    assert normalize_language("fr") == "fr"


def test_no_seed_sentence_is_english() -> None:
    sentences = _seed_sentences()
    assert len(sentences) > 100
    english = [s for s in sentences if is_english_sentence(s)]
    assert english == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")
def test_only_the_english_scroll_banner_in_the_corpus_is_english() -> None:
    # The raw pages hold one English line, detik's ad banner (the cleaner removes it); every
    # story sentence is Indonesian.
    english = set()
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in split_sentences(line):
                if is_english_sentence(sentence):
                    english.add(sentence)
    assert english == {"SCROLL TO CONTINUE WITH CONTENT"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Sekretaris Jenderal NATO Mark Rutte mengatakan ia dapat mengkonfirmasi penempatan itu.",
        "Dalam pidato State of the Union, Presiden Joe Biden menyinggung perang di Ukraina.",
        'Film "The Lord of the Rings" kembali diputar di bioskop Jakarta pekan ini.',
        "Pesawat Saudi Arabian Airlines SV-5276 mendarat darurat di Bandara Kualanamu.",
        "Harga BBM Subsidi Resmi Naik",
        "Menurut Institute for the Study of War, pasukan Rusia maju di Kursk.",
    ],
)
def test_indonesian_sentences_with_english_names_are_not_english(sentence: str) -> None:
    assert not is_english_sentence(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The deployment is a significant escalation, Rutte told reporters.",
        "We will not tolerate this kind of threat to our passengers.",
        "It is our sovereign decision.",
        "I think this is the best thing for the people of Indonesia.",
        "Saudi Arabian Airlines flight SV-5276 landed safely in Medan.",
    ],
)
def test_real_english_sentences_are_english(sentence: str) -> None:
    assert is_english_sentence(sentence)


@pytest.mark.parametrize("sentence", ["", "Thank you.", "OK then", "Breaking news!"])
def test_too_short_to_call_english(sentence: str) -> None:
    assert not is_english_sentence(sentence)
