"""The registry: facts other stages rely on (defaults, licences, limits, pinning)."""

from __future__ import annotations

import pytest

from summarizer.errors import UnknownModelError
from summarizer.models.registry import FAMILIES, REGISTRY, TASKS, default_model, get_spec, models_for_task


def test_defaults_per_task() -> None:
    assert default_model("translate").name == "opus-mt-id-en"
    assert default_model("summarize").name == "qwen2.5-1.5b-instruct"
    for task in TASKS:
        assert sum(spec.default for spec in REGISTRY.values() if spec.task == task) == 1
        assert models_for_task(task)[0].default


def test_unknown_task_has_no_default() -> None:
    with pytest.raises(ValueError):
        default_model("classify")


def test_unknown_name_lists_every_valid_name() -> None:
    with pytest.raises(UnknownModelError) as caught:
        get_spec("opus-mt-en-id")
    for name in REGISTRY:
        assert name in str(caught.value)


@pytest.mark.parametrize("spec", REGISTRY.values(), ids=lambda spec: spec.name)
def test_spec_is_consistent(spec) -> None:
    assert spec.task in TASKS and spec.family in FAMILIES
    assert spec.revision == "main" or spec.pinned
    assert spec.download_bytes > 0 and spec.params > 0 and spec.max_input_tokens >= 512
    assert spec.output_languages
    if not spec.commercial_use:
        assert "non-commercial" in spec.note.lower() and "NC" in spec.licence


def test_limits_other_stages_depend_on() -> None:
    limits = {name: spec.max_input_tokens for name, spec in REGISTRY.items()}
    assert limits["opus-mt-id-en"] == 512 and limits["distilbart-cnn-12-6"] == 1024
    assert limits["mt5-xlsum"] == 512 and limits["qwen2.5-1.5b-instruct"] == 32768
    assert get_spec("mt5-xlsum").output_languages == ("same",)
    assert get_spec("opus-mt-id-en").output_languages == ("en",)
    assert "en" in get_spec("qwen2.5-0.5b-instruct").output_languages


def test_pinned_means_a_full_commit_id() -> None:
    assert get_spec("qwen2.5-1.5b-instruct").pinned
    assert not get_spec("opus-mt-id-en").pinned  # no verified commit id found: tracks main
