"""load_model / choose_runtime: real loading code on tiny random models of each family."""

from __future__ import annotations

import socket

import pytest
import torch

from summarizer.errors import ModelNotInstalledError, SummarizerError
from summarizer.models import loading
from summarizer.models.loading import choose_runtime, load_model


@pytest.fixture(autouse=True)
def one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted while loading a model")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# ---- choose_runtime -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        ("float32", torch.float32),
        ("fp32", torch.float32),
        ("bfloat16", torch.bfloat16),
        ("bf16", torch.bfloat16),
        ("float16", torch.float16),
        ("fp16", torch.float16),
    ],
)
def test_explicit_dtype_aliases_on_cpu(alias: str, expected: torch.dtype) -> None:
    assert choose_runtime("cpu", alias) == (torch.device("cpu"), expected)


@pytest.mark.parametrize("supported", [True, False])
def test_auto_dtype_on_cpu_follows_bf16_support(monkeypatch: pytest.MonkeyPatch, supported: bool) -> None:
    monkeypatch.setattr(loading, "cpu_supports_bf16", lambda: supported)
    expected = torch.bfloat16 if supported else torch.float32
    assert choose_runtime("cpu", "auto") == (torch.device("cpu"), expected)


def test_auto_device_is_cpu_without_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    device, _ = choose_runtime("auto", "float32")
    assert device == torch.device("cpu")


def test_auto_dtype_on_cuda_avoids_fp16_for_mt5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: False)
    assert choose_runtime("cuda", "auto", family="marian")[1] == torch.float16
    assert choose_runtime("cuda", "auto", family="mt5")[1] == torch.float32


def test_fp16_refused_for_mt5() -> None:
    with pytest.raises(SummarizerError, match="NaNs in float16"):
        choose_runtime("cpu", "fp16", family="mt5")


@pytest.mark.parametrize(("device", "dtype"), [("tpu", "auto"), ("cpu", "int4"), ("gpu", "fp32")])
def test_bad_device_or_dtype_is_one_line_user_error(device: str, dtype: str) -> None:
    with pytest.raises(SummarizerError) as caught:
        choose_runtime(device, dtype)
    assert "\n" not in str(caught.value)


def test_cuda_requested_without_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SummarizerError, match="cuda"):
        choose_runtime("cuda", "auto")


# ---- load_model -----------------------------------------------------------------------------


def test_missing_model_names_the_pull_command(tmp_path) -> None:
    with pytest.raises(ModelNotInstalledError) as caught:
        load_model("opus-mt-id-en", models_dir=tmp_path)
    assert str(caught.value) == (
        f"model 'opus-mt-id-en' (Helsinki-NLP/opus-mt-id-en) is not installed in {tmp_path}; "
        "get it on a connected machine with: summarize models pull opus-mt-id-en"
    )


def test_marian_loads_offline_and_translates(tiny_models_for, no_network) -> None:
    models_dir = tiny_models_for("opus-mt-id-en")
    loaded = load_model("opus-mt-id-en", models_dir=models_dir, device="cpu", dtype="float32")
    assert (loaded.name, loaded.family, loaded.revision) == ("opus-mt-id-en", "marian", "tiny-random")
    assert loaded.max_input_tokens == 512
    assert not loaded.model.training
    assert next(loaded.model.parameters()).dtype == torch.float32
    # The model's own published settings, not library defaults.
    assert loaded.generation_config.num_beams == 6
    assert loaded.generation_config.bad_words_ids == [[loaded.tokenizer.pad_token_id]]
    batch = loaded.tokenizer(["Presiden Indonesia berbicara."], return_tensors="pt")
    output = loaded.model.generate(**batch, max_new_tokens=4, num_beams=1, do_sample=False)
    assert output.shape[0] == 1 and 1 < output.shape[1] <= 5
    assert output[0, 0].item() == loaded.generation_config.decoder_start_token_id


def test_load_is_memoised_per_runtime(tiny_models_for) -> None:
    models_dir = tiny_models_for("opus-mt-id-en")
    first = load_model("opus-mt-id-en", models_dir=models_dir, device="cpu", dtype="fp32")
    again = load_model("opus-mt-id-en", models_dir=models_dir, device="cpu", dtype="float32")
    other = load_model("opus-mt-id-en", models_dir=models_dir, device="cpu", dtype="bf16")
    assert again is first
    assert other is not first and other.dtype == torch.bfloat16
    assert next(other.model.parameters()).dtype == torch.bfloat16


def test_load_by_folder_path_keeps_registry_facts(tiny_models_for) -> None:
    folder = tiny_models_for("opus-mt-id-en") / "opus-mt-id-en"
    loaded = load_model(str(folder), device="cpu", dtype="float32")
    assert (loaded.name, loaded.family, loaded.max_input_tokens) == ("opus-mt-id-en", "marian", 512)


def test_qwen_chat_template_and_generation(tiny_models_for, no_network) -> None:
    models_dir = tiny_models_for("qwen2.5-0.5b-instruct")
    loaded = load_model("qwen2.5-0.5b-instruct", models_dir=models_dir, device="cpu", dtype="float32")
    assert loaded.family == "qwen2" and loaded.max_input_tokens == 32768
    messages = [{"role": "system", "content": "Ringkas."}, {"role": "user", "content": "Berita hari ini."}]
    prompt = loaded.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert prompt == (
        "<|im_start|>system\nRingkas.<|im_end|>\n<|im_start|>user\nBerita hari ini.<|im_end|>\n<|im_start|>assistant\n"
    )
    im_end = loaded.tokenizer.convert_tokens_to_ids("<|im_end|>")
    assert im_end in loaded.generation_config.eos_token_id
    batch = loaded.tokenizer(prompt, return_tensors="pt")
    output = loaded.model.generate(**batch, max_new_tokens=3, do_sample=False)
    assert output.shape[1] <= batch["input_ids"].shape[1] + 3


def _generate(loaded, batch, **extra):
    """Greedy, few tokens, no length floor: enough to prove the model runs end to end."""
    return loaded.model.generate(**batch, max_new_tokens=4, min_length=0, num_beams=1, do_sample=False, **extra)


def test_nllb_language_codes(tiny_models_for) -> None:
    models_dir = tiny_models_for("nllb-200-distilled-600M")
    loaded = load_model("nllb-200-distilled-600M", models_dir=models_dir, device="cpu", dtype="float32")
    tokenizer = loaded.tokenizer
    assert loaded.family == "nllb" and loaded.max_input_tokens == 512
    eng, ind = tokenizer.convert_tokens_to_ids(["eng_Latn", "ind_Latn"])
    assert tokenizer.unk_token_id not in (eng, ind)
    # As published: the default source language is English, so callers must set it.
    assert tokenizer.src_lang == "eng_Latn"
    tokenizer.src_lang = "ind_Latn"
    batch = tokenizer(["Presiden Indonesia berbicara."], return_tensors="pt")
    assert batch["input_ids"][0, 0].item() == ind
    assert batch["input_ids"][0, -1].item() == tokenizer.eos_token_id
    output = _generate(loaded, batch, forced_bos_token_id=eng)
    assert output[0, :2].tolist() == [loaded.generation_config.decoder_start_token_id, eng]


def test_m2m100_language_ids(tiny_models_for) -> None:
    models_dir = tiny_models_for("m2m100-418m")
    loaded = load_model("m2m100-418m", models_dir=models_dir, device="cpu", dtype="float32")
    tokenizer = loaded.tokenizer
    assert loaded.family == "m2m100"
    assert loaded.generation_config.num_beams == 5
    tokenizer.src_lang = "id"
    batch = tokenizer(["Presiden Indonesia berbicara."], return_tensors="pt")
    assert tokenizer.convert_ids_to_tokens(batch["input_ids"][0, :1].tolist()) == ["__id__"]
    english = tokenizer.get_lang_id("en")
    assert english == tokenizer.convert_tokens_to_ids("__en__")
    output = _generate(loaded, batch, forced_bos_token_id=english)
    assert output[0, 1].item() == english


def test_mt5_loads_untied_with_xlsum_settings(tiny_models_for) -> None:
    models_dir = tiny_models_for("mt5-xlsum")
    loaded = load_model("mt5-xlsum", models_dir=models_dir, device="cpu", dtype="float32")
    model = loaded.model
    assert loaded.family == "mt5" and loaded.max_input_tokens == 512
    assert model.lm_head.weight.data_ptr() != model.shared.weight.data_ptr()
    assert loaded.generation_config.no_repeat_ngram_size == 2
    batch = loaded.tokenizer(["Presiden Indonesia berbicara."], return_tensors="pt")
    assert batch["input_ids"][0, -1].item() == loaded.tokenizer.eos_token_id == 1
    output = _generate(loaded, batch)
    assert output[0, 0].item() == 0  # decoder starts from <pad>


def test_bart_loads_with_cnn_settings(tiny_models_for) -> None:
    models_dir = tiny_models_for("distilbart-cnn-12-6")
    loaded = load_model("distilbart-cnn-12-6", models_dir=models_dir, device="cpu", dtype="float32")
    config = loaded.generation_config
    assert loaded.family == "bart" and loaded.max_input_tokens == 1024
    assert (config.num_beams, config.min_length, config.no_repeat_ngram_size) == (4, 56, 3)
    batch = loaded.tokenizer(["The president spoke on Monday."], return_tensors="pt")
    output = _generate(loaded, batch)
    assert output[0, :2].tolist() == [2, 0]  # decoder start </s>, then forced <s>


def test_every_tiny_model_loads_from_one_store(tiny_models_dir) -> None:
    families = {
        name: load_model(name, models_dir=tiny_models_dir, device="cpu", dtype="float32").family
        for name in (
            "opus-mt-id-en",
            "nllb-200-distilled-600M",
            "m2m100-418m",
            "qwen2.5-1.5b-instruct",
            "qwen2.5-0.5b-instruct",
            "mt5-xlsum",
            "distilbart-cnn-12-6",
        )
    }
    assert families == {
        "opus-mt-id-en": "marian",
        "nllb-200-distilled-600M": "nllb",
        "m2m100-418m": "m2m100",
        "qwen2.5-1.5b-instruct": "qwen2",
        "qwen2.5-0.5b-instruct": "qwen2",
        "mt5-xlsum": "mt5",
        "distilbart-cnn-12-6": "bart",
    }
