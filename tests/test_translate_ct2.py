"""The CTranslate2 engine: parity with transformers, conversion cache, engine choice, errors."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from summarizer.cache import Cache
from summarizer.errors import ModelError, SummarizerError
from summarizer.models import ct2_convert
from summarizer.models.engines import choose_engine
from summarizer.models.loading import load_model
from summarizer.models.store import resolve_model
from summarizer.run.pipeline import ModelSession, RunOptions
from summarizer.translate.articles import translate_articles
from summarizer.translate.ct2 import CT2Translator
from summarizer.translate.factory import load_translator
from summarizer.translate.hf import HFTranslator

pytest.importorskip("ctranslate2")

TRANSLATION_MODELS = ["opus-mt-id-en", "nllb-200-distilled-600M", "m2m100-418m"]


@pytest.fixture(scope="module")
def store(tiny_models_for, tmp_path_factory) -> Path:
    """A private copy of the tiny translation models (conversions write into model folders)."""
    source = tiny_models_for(*TRANSLATION_MODELS)
    target = tmp_path_factory.mktemp("ct2-store")
    for name in TRANSLATION_MODELS:
        shutil.copytree(source / name, target / name)
    return target


@pytest.fixture(scope="module")
def seed_sentences(seeds_dir) -> list[str]:
    from summarizer.ingest.folder import load_folder

    articles = load_folder(seeds_dir).articles
    return list(dict.fromkeys(s.text for a in articles for s in a.sentences()))


def private_model(store: Path, tmp_path: Path, name: str = "opus-mt-id-en") -> Path:
    """A throw-away copy of one model, for tests that convert or damage it."""
    models = tmp_path / "models"
    shutil.copytree(store / name, models / name, ignore=shutil.ignore_patterns("ctranslate2-*"))
    return models


# --- parity -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TRANSLATION_MODELS)
def test_float32_greedy_output_equals_transformers(name, store, seed_sentences):
    # Same batches (same budget) on both sides, so each batch gets the same output-length cap;
    # the random tiny models run to that cap, so this also checks the length rule, Marian's
    # forced </s> at the cap, and the NLLB/M2M100 target-language token being stripped.
    hf = HFTranslator(load_model(name, models_dir=store, device="cpu", dtype="float32"), num_beams=1)
    ct2 = CT2Translator(resolve_model(name, store), compute_type="float32", num_beams=1, threads=1)

    expected = hf.translate(seed_sentences)
    got = ct2.translate(seed_sentences)

    assert got == expected
    assert ct2.token_counts(seed_sentences) == hf.token_counts(seed_sentences)
    assert not any(text.startswith(("__en__", "eng_Latn")) for text in got)


def test_batches_decoded_side_by_side_give_the_same_outputs_in_order(store, seed_sentences):
    one = CT2Translator(resolve_model("opus-mt-id-en", store), compute_type="float32", threads=1)
    two = CT2Translator(resolve_model("opus-mt-id-en", store), compute_type="float32", threads=2)
    assert (one.parallel_batches, two.parallel_batches) == (1, 2)
    texts = seed_sentences[:40]
    assert two.translate(texts) == one.translate(texts)


@pytest.mark.parametrize("count", [5, 20, 29])
def test_the_thread_count_changes_neither_the_batches_nor_the_translations(store, seed_sentences, count):
    """A Ray actor and a local run may use different thread counts; their files must not differ.
    Fewer sentences than two full batches is where a plan following the thread count would
    split them differently (and so cap their output lengths differently)."""
    texts = seed_sentences[:count]
    one = CT2Translator(resolve_model("opus-mt-id-en", store), compute_type="int8", threads=1)
    two = CT2Translator(resolve_model("opus-mt-id-en", store), compute_type="int8", threads=2)
    assert one._rows_per_batch(count) == two._rows_per_batch(count)
    assert one.translate(texts) == two.translate(texts)


@pytest.mark.parametrize("name", TRANSLATION_MODELS)
def test_uses_the_models_own_settings_like_transformers(name, store):
    hf = HFTranslator(load_model(name, models_dir=store, device="cpu", dtype="float32"))
    ct2 = CT2Translator(resolve_model(name, store), compute_type="int8", threads=1)
    assert ct2.generation_config.num_beams == hf.generation_config.num_beams <= 4
    assert ct2.generation_config.forced_bos_token_id == hf.generation_config.forced_bos_token_id
    assert ct2.max_input_tokens == hf.max_input_tokens
    ids = ct2.tokenizer(["Pasukan tiba."])["input_ids"][0]
    first_source_token = ct2.tokenizer.convert_ids_to_tokens(ids)[0]
    source_language = {"nllb-200-distilled-600M": "ind_Latn", "m2m100-418m": "__id__"}.get(name, "▁")
    assert source_language in first_source_token
    target_prefix = {"nllb-200-distilled-600M": ["eng_Latn"], "m2m100-418m": ["__en__"]}.get(name, [])
    assert ct2.target_prefix == target_prefix


def test_settings_key_separates_engines_and_quantizations(store):
    int8 = CT2Translator(resolve_model("opus-mt-id-en", store), compute_type="int8", threads=1)
    fp32 = CT2Translator(resolve_model("opus-mt-id-en", store), compute_type="float32", threads=1)
    hf = HFTranslator(load_model("opus-mt-id-en", models_dir=store, device="cpu", dtype="float32"))
    again = CT2Translator(resolve_model("opus-mt-id-en", store), compute_type="int8", threads=1)
    assert len({int8.settings_key(), fp32.settings_key(), hf.settings_key()}) == 3
    assert again.settings_key() == int8.settings_key()


def test_anti_repetition_retry_blocks_repeated_ngrams(store, seed_sentences):
    ct2 = CT2Translator(resolve_model("opus-mt-id-en", store), compute_type="float32", num_beams=1, threads=1)
    texts = seed_sentences[:4]
    for text in ct2.translate(texts, anti_repetition=True):
        tokens = ct2.tokenizer.tokenize(text)
        grams = [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]
        assert len(grams) == len(set(grams))


def test_overlong_input_is_refused_not_truncated(store):
    ct2 = CT2Translator(resolve_model("opus-mt-id-en", store), threads=1)
    long_text = " ".join(["Pasukan Korea Utara tiba di Rusia."] * 200)
    assert ct2.token_counts([long_text])[0] > ct2.max_input_tokens
    with pytest.raises(ValueError, match="split them before translating"):
        ct2.translate(["Pasukan tiba.", long_text])


# --- articles through the engine --------------------------------------------------------------


def test_articles_translate_one_to_one_and_hit_the_cache_next_time(store, seeds_dir, tmp_path):
    from summarizer.ingest.folder import load_folder

    articles = load_folder(seeds_dir).articles
    translator = CT2Translator(resolve_model("nllb-200-distilled-600M", store), threads=1)
    with Cache(tmp_path / "cache.sqlite3") as cache:
        first = translate_articles(articles, translator, cache=cache, progress=False)
        misses = cache.misses["translation"]
        assert misses == len({s.text for a in articles for s in a.sentences()})
        second = translate_articles(articles, translator, cache=cache, progress=False)
        assert cache.hits["translation"] == misses

    for article, translation in zip(articles, first, strict=True):
        assert [s.id for s in translation.sentences] == [s.id for s in article.sentences()]
        assert all(s.text for s in translation.sentences)
    assert [[s.text for s in t.sentences] for t in second] == [[s.text for s in t.sentences] for t in first]
    assert all(s.cached for t in second for s in t.sentences)


# --- conversion -------------------------------------------------------------------------------


def test_conversion_is_reused_then_redone_when_its_stamp_is_stale(store, tmp_path, monkeypatch):
    models = private_model(store, tmp_path)
    resolved = resolve_model("opus-mt-id-en", models)
    calls = []
    real_convert = ct2_convert._convert
    monkeypatch.setattr(ct2_convert, "_convert", lambda *a: (calls.append(a), real_convert(*a)))

    target = ct2_convert.converted_dir(resolved, "int8")
    assert target == models / "opus-mt-id-en" / "ctranslate2-int8"
    assert (target / "model.bin").is_file() and len(calls) == 1
    ct2_convert.converted_dir(resolved, "int8")
    CT2Translator(resolved, compute_type="int8", threads=1)
    assert len(calls) == 1  # reused

    stamp = json.loads((target / ct2_convert.STAMP_NAME).read_text())
    (target / ct2_convert.STAMP_NAME).write_text(json.dumps({**stamp, "ctranslate2": "0.0.1"}))
    ct2_convert.converted_dir(resolved, "int8")
    assert len(calls) == 2
    assert json.loads((target / ct2_convert.STAMP_NAME).read_text()) == stamp
    # Nothing is left behind but the one converted copy.
    assert sorted(p.name for p in (models / "opus-mt-id-en").iterdir() if p.is_dir()) == ["ctranslate2-int8"]


def test_changed_weights_make_the_conversion_stale(store, tmp_path):
    models = private_model(store, tmp_path)
    resolved = resolve_model("opus-mt-id-en", models)
    ct2_convert.converted_dir(resolved, "int8")
    before = ct2_convert.read_stamp(models / "opus-mt-id-en" / "ctranslate2-int8")
    weights = models / "opus-mt-id-en" / "model.safetensors"
    stat = weights.stat()
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # as if replaced
    assert ct2_convert.conversion_stamp(resolved, "int8") != before


def test_a_failed_conversion_is_one_line_and_leaves_nothing(store, tmp_path):
    models = private_model(store, tmp_path)
    weights = models / "opus-mt-id-en" / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(ModelError) as raised:
        CT2Translator(resolve_model("opus-mt-id-en", models), threads=1)
    message = str(raised.value)
    assert "cannot convert opus-mt-id-en to CTranslate2" in message and "\n" not in message
    assert [p.name for p in (models / "opus-mt-id-en").iterdir() if p.is_dir()] == []


def test_m2m100_conversion_keeps_the_language_tokens(store):
    CT2Translator(resolve_model("m2m100-418m", store), threads=1)
    converted = store / "m2m100-418m" / "ctranslate2-int8"
    vocabulary = json.loads((converted / "shared_vocabulary.json").read_text())
    assert "__id__" in vocabulary and "__en__" in vocabulary


# --- engine choice ----------------------------------------------------------------------------


def test_auto_engine_is_ctranslate2_for_translation_models(store, caplog):
    with caplog.at_level("INFO", logger="summarizer.translate.factory"):
        translator = load_translator("opus-mt-id-en", models_dir=store, device="cpu")
    assert isinstance(translator, CT2Translator) and translator.compute_type == "int8"
    assert "translation engine: ctranslate2" in caplog.text


def test_explicit_transformers_engine_and_torch_only_dtypes_use_transformers(store):
    chosen = load_translator("opus-mt-id-en", models_dir=store, device="cpu", engine="transformers")
    assert isinstance(chosen, HFTranslator)
    # bf16 is a torch dtype CTranslate2 does not run on CPU: auto falls back, explicit refuses.
    assert choose_engine("marian", "cpu", "bfloat16").engine == "transformers"
    with pytest.raises(SummarizerError, match="does not support --dtype bfloat16"):
        choose_engine("marian", "cpu", "bfloat16", engine="ctranslate2")
    assert choose_engine("marian", "cpu", "float32").compute_type == "float32"


def test_without_ctranslate2_auto_falls_back_and_explicit_names_the_install(monkeypatch, store):
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # import now raises ImportError
    assert choose_engine("marian").engine == "transformers"
    assert isinstance(load_translator("opus-mt-id-en", models_dir=store, device="cpu"), HFTranslator)
    with pytest.raises(SummarizerError, match="pip install 'ctranslate2") as raised:
        choose_engine("marian", engine="ctranslate2")
    assert "\n" not in str(raised.value)


def test_bad_choices_are_one_line_errors():
    with pytest.raises(SummarizerError, match="unknown engine 'fast'"):
        choose_engine("marian", engine="fast")
    with pytest.raises(SummarizerError, match="unknown device"):
        choose_engine("marian", device="tpu")
    import ctranslate2

    if ctranslate2.get_cuda_device_count() == 0:
        assert choose_engine("marian", device="cuda").engine == "transformers"
        with pytest.raises(SummarizerError, match="no CUDA GPU"):
            choose_engine("marian", device="cuda", engine="ctranslate2")


def test_a_summarization_model_is_refused_by_both_engines(tiny_models_for):
    models = tiny_models_for("distilbart-cnn-12-6")
    assert choose_engine("bart").engine == "transformers"
    with pytest.raises(SummarizerError, match="does not run bart"):
        choose_engine("bart", engine="ctranslate2")
    with pytest.raises(ModelError, match="not a translation model"):
        CT2Translator(resolve_model("distilbart-cnn-12-6", models))


def test_the_run_session_uses_the_chosen_engine(store):
    auto = ModelSession(RunOptions(translator="opus-mt-id-en", models_dir=store, device="cpu"))
    explicit = ModelSession(
        RunOptions(translator="opus-mt-id-en", models_dir=store, device="cpu", engine="transformers")
    )
    assert isinstance(auto.translator(), CT2Translator)
    assert isinstance(explicit.translator(), HFTranslator)
    assert RunOptions(engine="transformers").settings() != RunOptions().settings()


def test_opening_the_ctranslate2_engine_leaves_torch_threads_alone(tiny_models_for):
    """Regression: CTranslate2's OpenMP setup used to drop torch to one thread for the rest of
    the run, halving the summarizer's speed. Checked in a fresh interpreter, as the CLI runs
    (this test process has already pinned torch's thread count)."""
    import subprocess
    import sys

    models = tiny_models_for("opus-mt-id-en")
    script = (
        "import torch\n"
        "from summarizer.models.store import resolve_model\n"
        "from summarizer.translate.ct2 import CT2Translator\n"
        "before = torch.get_num_threads()\n"
        f"t = CT2Translator(resolve_model('opus-mt-id-en', {str(models)!r}))\n"
        "t.translate(['Pasukan Korea Utara tiba di Rusia.'])\n"
        "print(before, torch.get_num_threads())\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    before, after = completed.stdout.split()
    assert after == before
