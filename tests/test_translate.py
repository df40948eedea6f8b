from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import summarizer.translate.articles as articles_module
from summarizer.cache import Cache
from summarizer.document import (
    Article,
    Metadata,
    Paragraph,
    Sentence,
    SourceFile,
    sentence_id,
)
from summarizer.errors import ModelError
from summarizer.models.batching import plan_batches
from summarizer.translate.articles import translate_articles
from summarizer.translate.hf import HFTranslator

TRANSLATION_MODELS = ["opus-mt-id-en", "nllb-200-distilled-600M", "m2m100-418m"]


def seed_articles(seeds_dir: Path) -> list[Article]:
    """The seed articles as the pipeline sees them (the real ingestion when it is importable)."""
    try:
        from summarizer.ingest.folder import load_folder
    except ImportError:
        return [_simple_article(path) for path in sorted(seeds_dir.glob("*.txt"))]
    return load_folder(seeds_dir).articles


def _simple_article(path: Path) -> Article:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs = []
    for p, line in enumerate(lines, 1):
        parts = [s for s in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", line) if s]
        sentences = [Sentence(sentence_id(path.name, p, i), s) for i, s in enumerate(parts, 1)]
        paragraphs.append(Paragraph(p, "heading" if p == 1 else "text", sentences))
    return Article(path.name, SourceFile(path.name, "txt", "utf-8", "0"), Metadata(), "id", "id", paragraphs)


def make_article(article_id: str, *sentences: str, language: str = "id") -> Article:
    return Article(
        id=article_id,
        source=SourceFile(article_id, "txt", "utf-8", "0"),
        metadata=Metadata(),
        language=language,
        language_detected=language,
        paragraphs=[
            Paragraph(1, "heading", [Sentence(sentence_id(article_id, 1, 1), sentences[0])]),
            Paragraph(
                2,
                "text",
                [Sentence(sentence_id(article_id, 2, i), s) for i, s in enumerate(sentences[1:], 1)],
            ),
        ],
    )


class RecordingTranslator:
    """Upper-cases its input and records what it was asked (a stand-in for a model)."""

    model_name = "recording"
    revision = "r1"
    max_input_tokens = 512

    def __init__(self, fail_on_call: int | None = None):
        self.seen: list[str] = []
        self.calls = 0
        self.fail_on_call = fail_on_call

    def settings_key(self) -> str:
        return "k1"

    def token_counts(self, texts):
        return [len(t.split()) + 1 for t in texts]

    def translate(self, texts, *, anti_repetition=False):
        self.calls += 1
        if self.fail_on_call == self.calls:
            raise RuntimeError("killed")
        self.seen.extend(texts)
        return [t.upper() for t in texts]


@pytest.fixture
def translation_models(tiny_models_for):
    return tiny_models_for(*TRANSLATION_MODELS)


def load(name: str, models_dir: Path, **kwargs) -> HFTranslator:
    from summarizer.models.loading import load_model

    return HFTranslator(load_model(name, models_dir=models_dir), **kwargs)


# --- batching ---------------------------------------------------------------------------------


def test_batches_cover_every_input_once_longest_first_within_budget():
    lengths = [5, 40, 12, 40, 7, 100, 3, 3, 60]
    batches = plan_batches(lengths, token_budget=120, max_batch_size=3)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths, reverse=True)
    for batch in batches:
        assert len(batch) <= 3
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= 120


def test_an_input_over_the_budget_gets_its_own_batch():
    assert plan_batches([500, 10, 10], token_budget=100, max_batch_size=8) == [[0], [1, 2]]


# --- the real model path with tiny models -----------------------------------------------------


@pytest.mark.parametrize("name", TRANSLATION_MODELS)
def test_seed_articles_translate_one_to_one_and_hit_the_cache_next_time(name, translation_models, seeds_dir, tmp_path):
    articles = seed_articles(seeds_dir)
    translator = load(name, translation_models)
    with Cache(tmp_path / "cache.sqlite3") as cache:
        first = translate_articles(articles, translator, cache=cache, progress=False)
        unique = {s.text for a in articles for s in a.sentences()}
        assert cache.misses["translation"] == len(unique)
        second = translate_articles(articles, translator, cache=cache, progress=False)
        assert cache.hits["translation"] == cache.misses["translation"]

    assert [t.article_id for t in first] == [a.id for a in articles]
    for article, translation in zip(articles, first, strict=True):
        assert translation.model == name and translation.revision == "tiny-random"
        assert [s.id for s in translation.sentences] == [s.id for s in article.sentences()]
        assert [s.source for s in translation.sentences] == [s.text for s in article.sentences()]
        for sentence in translation.sentences:
            # Random weights may produce anything, but never a silent gap.
            assert sentence.text.strip() or any(f.code == "degenerate" for f in sentence.flags)
    assert all(not s.cached for t in first for s in t.sentences)
    assert all(s.cached for t in second for s in t.sentences)
    assert [[s.text for s in t.sentences] for t in second] == [[s.text for s in t.sentences] for t in first]
    assert [[s.flags for s in t.sentences] for t in second] == [[s.flags for s in t.sentences] for t in first]


def test_sentence_over_the_model_limit_is_split_not_truncated(translation_models, seeds_dir):
    translator = load("opus-mt-id-en", translation_models)
    seeds = seed_articles(seeds_dir)
    sentence = max((s.text for a in seeds for s in a.sentences()), key=len).rstrip(".")
    long_text = ", ".join([sentence] * 20) + "."
    (count,) = translator.token_counts([long_text])
    assert count > 512 == translator.max_input_tokens
    with pytest.raises(ValueError, match="split them before translating"):
        translator.translate([long_text])  # the raw layer refuses rather than cutting

    (result,) = translate_articles([make_article("long.txt", "Judul.", long_text)], translator, progress=False)
    long_sentence = result.sentences[1]
    assert long_sentence.id == "long.txt:2:1" and long_sentence.source == long_text
    split = [f for f in long_sentence.flags if f.code == "split-long"]
    assert len(split) == 1 and "over 512 tokens" in split[0].detail
    parts = int(re.search(r"in (\d+) parts", split[0].detail).group(1))
    assert parts >= 2


def test_marian_uses_its_published_settings_with_beams_capped(translation_models):
    translator = load("opus-mt-id-en", translation_models)
    config = translator.generation_config
    pad = translator.loaded.tokenizer.pad_token_id
    assert config.bad_words_ids == [[pad]]
    assert config.num_beams == 4  # published 6, capped
    assert load("opus-mt-id-en", translation_models, num_beams=2).generation_config.num_beams == 2


def test_settings_key_is_stable_and_follows_the_settings(translation_models):
    a = load("opus-mt-id-en", translation_models).settings_key()
    assert a == load("opus-mt-id-en", translation_models).settings_key()
    assert a != load("opus-mt-id-en", translation_models, num_beams=2).settings_key()


def test_nllb_reads_indonesian_and_is_forced_to_write_english(translation_models):
    translator = load("nllb-200-distilled-600M", translation_models)
    tokenizer = translator.loaded.tokenizer
    assert translator.generation_config.forced_bos_token_id == tokenizer.convert_tokens_to_ids("eng_Latn")
    ids = tokenizer(["Pasukan tiba."])["input_ids"][0]
    assert ids[0] == tokenizer.convert_tokens_to_ids("ind_Latn")


def test_m2m100_reads_indonesian_and_is_forced_to_write_english(translation_models):
    translator = load("m2m100-418m", translation_models)
    tokenizer = translator.loaded.tokenizer
    assert translator.generation_config.forced_bos_token_id == tokenizer.get_lang_id("en")
    ids = tokenizer(["Pasukan tiba."])["input_ids"][0]
    assert ids[0] == tokenizer.get_lang_id("id")


def test_a_summarization_model_is_refused():
    loaded = SimpleNamespace(family="bart", name="distilbart-cnn-12-6")
    with pytest.raises(ModelError, match="not a translation model"):
        HFTranslator(loaded)


def test_progress_goes_to_the_installed_reporter_only_when_enabled(translation_models, capsys):
    import io

    from summarizer import progress

    translator = load("opus-mt-id-en", translation_models)
    articles = [make_article("p.txt", "Judul berita.", "Pasukan tiba di Rusia.")]
    shown = io.StringIO()
    with progress.reporting(progress.LineReporter(shown)):
        translate_articles(articles, translator, progress=False)
        assert shown.getvalue() == ""
        translate_articles(articles, translator, progress=True)
    assert "translating: articles: 1/1" in shown.getvalue()
    assert "translating: sentences: 2/2" in shown.getvalue()
    assert capsys.readouterr() == ("", "")  # nothing is printed on its own


# --- orchestration with a stand-in translator -------------------------------------------------


def test_wire_copies_are_translated_once():
    text = "Pasukan Korea Utara telah tiba di Rusia."
    articles = [make_article("a.txt", "Judul A.", text), make_article("b.txt", "Judul B.", text)]
    translator = RecordingTranslator()
    result = translate_articles(articles, translator, progress=False)
    assert translator.seen.count(text) == 1
    assert result[0].sentences[1].text == result[1].sentences[1].text == text.upper()


def test_english_passes_through_untranslated_and_flagged():
    english = "The minister said that the troops will not be sent to the border this year."
    articles = [
        make_article("id.txt", "Judul berita.", "Pasukan tiba di Rusia.", english),
        make_article("en.txt", "A headline.", "Troops arrived.", language="en"),
    ]
    translator = RecordingTranslator()
    indonesian, in_english = translate_articles(articles, translator, progress=False)
    passed = indonesian.sentences[2]
    assert passed.text == english and [f.code for f in passed.flags] == ["passthrough-en"]
    assert [s.text for s in in_english.sentences] == ["A headline.", "Troops arrived."]
    assert all(f.code == "passthrough-en" for s in in_english.sentences for f in s.flags)
    assert english not in translator.seen and "Troops arrived." not in translator.seen


def test_sentences_without_words_are_kept_verbatim():
    translator = RecordingTranslator()
    (result,) = translate_articles([make_article("n.txt", "Judul.", "1.500", "***")], translator, progress=False)
    assert [s.text for s in result.sentences[1:]] == ["1.500", "***"]
    assert all(s.flags[0].code == "passthrough-no-words" for s in result.sentences[1:])
    assert translator.seen == ["Judul."]


def test_a_run_that_dies_keeps_its_finished_chunks_in_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(articles_module, "SENTENCES_PER_CHUNK", 2)
    sentences = [f"Kalimat {word} sudah selesai." for word in ("satu", "dua", "tiga", "empat", "lima", "enam")]
    articles = [make_article("k.txt", *sentences)]
    with Cache(tmp_path / "c.sqlite3") as cache:
        with pytest.raises(RuntimeError, match="killed"):
            translate_articles(articles, RecordingTranslator(fail_on_call=3), cache=cache, progress=False)
        resumed = RecordingTranslator()
        (result,) = translate_articles(articles, resumed, cache=cache, progress=False)
    assert len(resumed.seen) == 2  # only the chunk that never finished
    assert sum(s.cached for s in result.sentences) == 4
    assert [s.text for s in result.sentences] == [s.upper() for s in sentences]


def test_skipping_cross_attention_reorder_changes_nothing(translation_models, seeds_dir):
    import copy

    import torch

    translator = load("opus-mt-id-en", translation_models, num_beams=3)
    loaded = translator.loaded
    texts = [s.text for s in list(seed_articles(seeds_dir)[1].sentences())[:4]]
    ours = translator.translate(texts)
    encoded = loaded.tokenizer(texts, return_tensors="pt", padding=True)
    config = copy.deepcopy(translator.generation_config)
    config.max_length = translator.length_limits(encoded["input_ids"].shape[1])[1] + 1
    with torch.inference_mode():
        plain = loaded.model.generate(**encoded, generation_config=config)  # transformers' own cache
    assert ours == [t.strip() for t in loaded.tokenizer.batch_decode(plain, skip_special_tokens=True)]
