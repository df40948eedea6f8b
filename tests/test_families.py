"""The model-family table: every registered model has a row, and every row is read the same way
by detection, loading, engine choice and the language check."""

from __future__ import annotations

import json

import pytest

from summarizer.errors import ModelError
from summarizer.models.families import (
    FAMILIES,
    FAMILY_TABLE,
    INPUT_LANGUAGES,
    QWEN2_LANGUAGES,
    TASKS,
    expand_languages,
    family_for_model_type,
    get_family,
    known_model_types,
)
from summarizer.models.registry import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR, EXTRACTIVE, REGISTRY, default_model
from summarizer.models.store import detect_family
from summarizer.summarizers.factory import supported_languages


@pytest.mark.parametrize("spec", REGISTRY.values(), ids=lambda spec: spec.name)
def test_every_registered_model_has_a_family_row_for_its_task(spec) -> None:
    family = get_family(spec.family)
    assert family.task == spec.task
    assert (family.summarizer is not None) == (spec.task == "summarize")
    # A registry entry can say more than its family, never less.
    assert set(expand_languages(family.summary_languages)) <= set(supported_languages(spec.name))


@pytest.mark.parametrize("family", FAMILY_TABLE.values(), ids=lambda family: family.name)
def test_every_row_is_consistent(family) -> None:
    import transformers

    assert FAMILY_TABLE[family.name] is family and family.task in TASKS
    assert hasattr(transformers, family.auto_model)
    assert family.model_types
    if family.task == "summarize":
        assert family.summary_languages and family.summarizer is not None
        assert family.translation_tokens is None
    else:
        assert family.summary_languages == () and family.summarizer is None
    assert set(family.ct2_auto_devices) <= {"cpu", "cuda"}
    assert not (family.ct2_needs_language_tokens or family.ct2_drops_pad) or family.ct2


@pytest.mark.parametrize("family", FAMILY_TABLE.values(), ids=lambda family: family.name)
def test_model_type_detection_round_trips(family, tmp_path) -> None:
    for model_type in family.model_types:
        tokenizer_class = f"{family.tokenizer_class_prefix}TokenizerFast"
        assert family_for_model_type(model_type, tokenizer_class) is family
        folder = tmp_path / model_type
        folder.mkdir()
        (folder / "config.json").write_text(json.dumps({"model_type": model_type}))
        (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": tokenizer_class}))
        assert detect_family(folder) == family.name


def test_every_family_is_registered_and_unknown_ones_are_refused(tmp_path) -> None:
    assert {spec.family for spec in REGISTRY.values()} == set(FAMILIES)
    assert family_for_model_type("llama") is None
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "llama"}))
    with pytest.raises(
        ModelError, match="unsupported model type 'llama'.*supported: " + ", ".join(known_model_types())
    ):
        detect_family(tmp_path)
    with pytest.raises(ModelError, match="unknown model family 'llama'"):
        get_family("llama")


def test_every_tiny_model_folder_is_detected_as_its_registered_family(tiny_models_dir) -> None:
    for name, spec in REGISTRY.items():
        assert detect_family(tiny_models_dir / name) == spec.family


def test_one_qwen_language_list_with_both_briefing_languages() -> None:
    assert get_family("qwen2").summary_languages == QWEN2_LANGUAGES
    assert all(REGISTRY[name].output_languages == QWEN2_LANGUAGES for name in REGISTRY if "qwen" in name)
    assert {"en", "id"} <= set(QWEN2_LANGUAGES) and len(set(QWEN2_LANGUAGES)) == len(QWEN2_LANGUAGES)
    assert supported_languages("qwen2.5-0.5b-instruct") == QWEN2_LANGUAGES


def test_family_facts_the_stages_rely_on() -> None:
    assert get_family("bart").english_only and not get_family("mt5").english_only
    assert expand_languages(get_family("mt5").summary_languages) == INPUT_LANGUAGES
    assert not get_family("mt5").fp16_safe
    assert [name for name, f in FAMILY_TABLE.items() if f.task == "translate"] == ["marian", "nllb", "m2m100"]
    assert get_family("qwen2").ct2_auto_devices == ("cpu",)


def test_named_defaults_are_the_registry_defaults() -> None:
    assert DEFAULT_TRANSLATOR == default_model("translate").name == "opus-mt-id-en"
    assert DEFAULT_SUMMARIZER == default_model("summarize").name == "qwen2.5-1.5b-instruct"
    assert EXTRACTIVE not in REGISTRY
