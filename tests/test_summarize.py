from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from summarizer.document import ArticleSummary, SummarySentence
from summarizer.errors import SummarizerError
from summarizer.ingest.segment import split_sentences
from summarizer.models.loading import load_model
from summarizer.summarizers.base import BriefingDraft, SummaryInput
from summarizer.summarizers.chat import LlmSettings, LlmSummarizer
from summarizer.summarizers.chat_torch import TorchChat
from summarizer.summarizers.factory import load_summarizer, supported_languages
from summarizer.summarizers.seq2seq import Seq2SeqSummarizer
from summarizer.summarizers.text_parts import (
    citation_numbers,
    pack_sentences,
    parse_cited_sentences,
    split_output_sentences,
    split_title,
    strip_citations,
)

# ---------------------------------------------------------------------------------------------
# [n] parser, sentence splitting and packing (no model)


def test_parser_reads_markers_before_and_after_the_full_stop() -> None:
    text = (
        "NATO confirmed North Korean troops were in Russia [1][3].\n"
        "- Rutte called it a significant escalation. [2, 4]\n"
        "Putin did not deny it [2]. South Korea protested.\n"
        "[5]\n"
    )
    drafts = parse_cited_sentences(text, "en")
    assert [(d.text, d.sources) for d in drafts] == [
        ("NATO confirmed North Korean troops were in Russia.", [1, 3]),
        ("Rutte called it a significant escalation.", [2, 4]),
        ("Putin did not deny it.", [2]),
        ("South Korea protested.", [5]),
    ]
    assert all(d.cites == [] for d in drafts)


def test_parser_handles_indonesian_with_the_project_splitter() -> None:
    drafts = parse_cited_sentences("Sekitar 1.500 tentara tiba di Rusia [1][2]. Kata Dr. Budi, NATO cemas. [3]", "id")
    assert [(d.text, d.sources) for d in drafts] == [
        ("Sekitar 1.500 tentara tiba di Rusia.", [1, 2]),
        ("Kata Dr. Budi, NATO cemas.", [3]),
    ]


def test_citation_helpers() -> None:
    assert citation_numbers("a [3] b [1, 3][2]") == [3, 1, 2]
    assert citation_numbers("no markers, 2024 [sic]") == []
    assert strip_citations("Troops arrived [1][2] .") == "Troops arrived."
    assert split_title("**Title: Troops in Kursk [1]**\nFirst point. [1]") == (
        "Troops in Kursk",
        "First point. [1]",
    )
    # No title line: a cited first line is a briefing sentence, not a title.
    assert split_title("Troops arrived [1].\nMore [2].") == ("", "Troops arrived [1].\nMore [2].")


def test_output_splitter_drops_bullets_and_keeps_abbreviation_free_sentences() -> None:
    assert split_output_sentences("1. First one. Second one!\n* Third one", "en") == [
        "First one.",
        "Second one!",
        "Third one",
    ]


def test_packing_never_loses_a_word() -> None:
    words = lambda text: len(text.split())  # noqa: E731
    sentences = [
        ("a:1:1", "one two three"),
        ("a:1:2", "four five"),
        ("a:2:1", "six seven eight nine ten eleven"),
    ]
    parts = pack_sentences(sentences, words, 4)
    assert all(words(" ".join(t for _, t in part)) <= 4 for part in parts)
    flat = [piece for part in parts for piece in part]
    assert " ".join(t for _, t in flat).split() == " ".join(t for _, t in sentences).split()
    assert [sid for sid, _ in flat] == ["a:1:1", "a:1:2", "a:2:1", "a:2:1"]


# ---------------------------------------------------------------------------------------------
# Languages


def test_supported_languages_per_summarizer() -> None:
    assert supported_languages("extractive") == ("en", "id")
    qwen = supported_languages("qwen2.5-1.5b-instruct")
    assert {"en", "id", "zh", "fr"} <= set(qwen) and qwen[:1] == ("en",)
    assert supported_languages("mt5-xlsum") == ("en", "id")
    assert supported_languages("distilbart-cnn-12-6") == ("en",)


# ---------------------------------------------------------------------------------------------
# Tiny random-weight models through the real loader (garbage text: structure only)


def seed_inputs(seeds_dir: Path, long_article: int = 1) -> list[SummaryInput]:
    """Three seed articles: one whole (long), the others cut to their first three sentences."""
    inputs = []
    for number, path in enumerate(sorted(seeds_dir.glob("*.txt"))[:3], 1):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        sentences = [
            (f"{path.name}:{p}:{s}", text)
            for p, line in enumerate(lines, 1)
            for s, text in enumerate(split_sentences(line), 1)
        ]
        kept = sentences if number == long_article else sentences[:3]
        inputs.append(SummaryInput(path.name, number, f"Judul {number}", "Outlet", "2024-10-28", kept))
    return inputs


def wordy(loaded, new_tokens: int):
    """The loaded model with a generation config that forces visible text (test-only).

    Random weights emit whitespace or stop at once; suppressing whitespace-only tokens and
    forcing a fixed length gives text to parse. The shared model object is not modified.
    """
    tokenizer = loaded.tokenizer
    blank = [i for t, i in tokenizer.get_vocab().items() if not tokenizer.convert_tokens_to_string([t]).strip()]
    config = copy.deepcopy(loaded.generation_config)
    config.suppress_tokens = blank
    config.min_new_tokens = new_tokens
    return dataclasses.replace(loaded, generation_config=config)


@pytest.fixture
def generate_calls(monkeypatch):
    """Record the input batch of every generate() call on a model."""

    def spy(model):
        calls = []
        original = model.generate

        def recording(*args, **kwargs):
            calls.append(kwargs)
            return original(*args, **kwargs)

        monkeypatch.setattr(model, "generate", recording)
        return calls

    return spy


def assert_summary_structure(summaries: list[ArticleSummary], inputs: list[SummaryInput], model: str) -> None:
    assert [s.article_id for s in summaries] == [i.article_id for i in inputs]
    for summary in summaries:
        assert summary.model == model
        assert all(isinstance(s, SummarySentence) and isinstance(s.text, str) and s.text for s in summary.sentences)


def test_llm_summarizes_in_batches_and_map_reduces_a_long_article(seeds_dir, tiny_models_for, generate_calls) -> None:
    import torch

    torch.set_num_threads(1)
    models = tiny_models_for("qwen2.5-0.5b-instruct")
    loaded = wordy(load_model("qwen2.5-0.5b-instruct", models_dir=models), 8)
    calls = generate_calls(loaded.model)
    summarizer = LlmSummarizer(TorchChat(loaded), LlmSettings(context_tokens=900, summary_new_tokens=8, batch_size=8))
    inputs = seed_inputs(seeds_dir)
    summaries = summarizer.summarize(inputs, "en")

    assert_summary_structure(summaries, inputs, "qwen2.5-0.5b-instruct")
    long, *short = summaries
    assert long.parts > 1 and any("parts" in note for note in long.notes)
    assert all(s.parts == 1 and not s.notes for s in short)
    # Map step: every part of every article in one left-padded batch; then one combine call.
    first = calls[0]
    assert first["input_ids"].shape[0] == long.parts + len(short)
    assert bool(first["attention_mask"][:, -1].all()), "padding must be on the left"
    assert first["generation_config"].do_sample is False
    assert first["generation_config"].max_new_tokens == 8
    assert len(calls) == 2


def test_llm_briefing_draft_parses_title_and_sentences(seeds_dir, tiny_models_for) -> None:
    models = tiny_models_for("qwen2.5-0.5b-instruct")
    loaded = wordy(load_model("qwen2.5-0.5b-instruct", models_dir=models), 12)
    summarizer = LlmSummarizer(TorchChat(loaded), LlmSettings(summary_new_tokens=12, briefing_new_tokens=12))
    inputs = seed_inputs(seeds_dir)[1:]
    summaries = [ArticleSummary(i.article_id, "en", [SummarySentence("Troops arrived in Kursk.")], "x") for i in inputs]
    draft = summarizer.draft_briefing(inputs, summaries[:1], "en")
    assert isinstance(draft, BriefingDraft) and draft.model == "qwen2.5-0.5b-instruct"
    assert isinstance(draft.title, str)
    assert all(isinstance(s.text, str) and all(isinstance(n, int) for n in s.sources) for s in draft.sentences)
    assert any(f"[{inputs[1].number}]" in note for note in draft.notes)  # the missing summary is reported


def test_llm_briefing_in_groups_when_sources_do_not_fit(seeds_dir, tiny_models_for, generate_calls) -> None:
    models = tiny_models_for("qwen2.5-0.5b-instruct")
    loaded = wordy(load_model("qwen2.5-0.5b-instruct", models_dir=models), 6)
    calls = generate_calls(loaded.model)
    inputs = seed_inputs(seeds_dir, long_article=0)
    summaries = [
        ArticleSummary(i.article_id, "id", [SummarySentence(text) for _, text in i.sentences], "x") for i in inputs
    ]
    summarizer = LlmSummarizer(TorchChat(loaded), LlmSettings(context_tokens=700, briefing_new_tokens=6))
    draft = summarizer.draft_briefing(inputs, summaries, "id")
    assert any("groups" in note for note in draft.notes)
    assert len(calls) >= 2  # partial briefings, then the merge


def test_seq2seq_models_summarize_in_parts_and_draft_without_citations(
    seeds_dir, tiny_models_for, generate_calls
) -> None:
    import torch

    torch.set_num_threads(1)
    models = tiny_models_for("mt5-xlsum", "distilbart-cnn-12-6")
    inputs = seed_inputs(seeds_dir)
    for name in ("mt5-xlsum", "distilbart-cnn-12-6"):
        loaded = load_model(name, models_dir=models)
        calls = generate_calls(loaded.model)
        summarizer = Seq2SeqSummarizer(loaded)
        summaries = summarizer.summarize(inputs, "en")
        assert_summary_structure(summaries, inputs, name)
        assert summaries[0].parts > 1 and summaries[0].notes
        assert [s.parts for s in summaries[1:]] == [1, 1]
        # The first call carries windows of several articles; none is longer than the window.
        assert calls[0]["input_ids"].shape[0] > 1
        assert calls[0]["input_ids"].shape[1] <= loaded.max_input_tokens
        assert calls[0]["generation_config"].num_beams == 4  # the published settings
        draft = summarizer.draft_briefing(inputs, summaries, "en")
        assert draft.model == name and all(s.sources == [] and s.cites == [] for s in draft.sentences)


def test_english_only_model_refuses_other_languages(tiny_models_for) -> None:
    models = tiny_models_for("distilbart-cnn-12-6")
    summarizer = Seq2SeqSummarizer(load_model("distilbart-cnn-12-6", models_dir=models))
    with pytest.raises(SummarizerError, match="English only"):
        summarizer.summarize([], "id")


def test_load_summarizer_picks_the_implementation_by_family(tiny_models_for) -> None:
    models = tiny_models_for("qwen2.5-0.5b-instruct", "mt5-xlsum", "opus-mt-id-en")
    assert isinstance(load_summarizer("qwen2.5-0.5b-instruct", models_dir=models), LlmSummarizer)
    mt5 = load_summarizer("mt5-xlsum", models_dir=models)
    assert isinstance(mt5, Seq2SeqSummarizer) and mt5.revision == "tiny-random"
    with pytest.raises(SummarizerError, match="cannot summarize"):
        load_summarizer("opus-mt-id-en", models_dir=models)


def test_llm_article_without_sentences_is_reported_not_generated(tiny_models_for, generate_calls) -> None:
    models = tiny_models_for("qwen2.5-0.5b-instruct")
    loaded = load_model("qwen2.5-0.5b-instruct", models_dir=models)
    calls = generate_calls(loaded.model)
    empty = SummaryInput("empty.txt", 1, "Judul", None, None, [])
    [summary] = LlmSummarizer(TorchChat(loaded)).summarize([empty], "en")
    assert summary.sentences == [] and summary.notes == ["no sentences to summarize"]
    assert calls == []


# ---------------------------------------------------------------------------------------------
# The CTranslate2 engine for chat models


@pytest.fixture
def varied_qwen(tiny_models_for, tmp_path) -> Path:
    """A tiny qwen2 model folder whose greedy answers vary from token to token.

    The shared tiny model emits one whitespace token forever, which any engine reproduces;
    weights drawn with a larger spread make every step's argmax depend on the whole prefix.
    """
    import shutil

    import torch
    from transformers import AutoModelForCausalLM

    source = tiny_models_for("qwen2.5-1.5b-instruct") / "qwen2.5-1.5b-instruct"
    target = tmp_path / "qwen-varied"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.safetensors", "ctranslate2-*"))
    model = AutoModelForCausalLM.from_pretrained(source, dtype=torch.float32)
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.dim() > 1:
                parameter.normal_(0.0, 0.2, generator=generator)
    model.save_pretrained(target)
    return target


def chat_texts(tokenizer) -> list[str]:
    questions = [
        "Ringkas berita ini: gempa mengguncang Jakarta pagi ini.",
        "Pesawat Saudia mendarat darurat di Kualanamu setelah ancaman bom; penumpang dievakuasi.",
        "Siapa?",
    ]
    return [
        tokenizer.apply_chat_template([{"role": "user", "content": q}], add_generation_prompt=True, tokenize=False)
        for q in questions
    ]


def test_ctranslate2_float32_decodes_exactly_what_torch_decodes(varied_qwen, monkeypatch) -> None:
    pytest.importorskip("ctranslate2")
    import torch

    from summarizer.models.store import resolve_model
    from summarizer.summarizers import chat_ct2 as llm_ct2
    from summarizer.summarizers.chat_ct2 import CT2Chat

    torch.set_num_threads(1)
    loaded = load_model(str(varied_qwen), dtype="float32")
    chat = CT2Chat(resolve_model(str(varied_qwen)), compute_type="float32")
    assert torch.get_num_threads() == 1, "opening CTranslate2 must not change torch's threads"
    config = TorchChat(loaded).greedy_config(16)
    texts = chat_texts(loaded.tokenizer)
    prompts = [chat.encode(text) for text in texts]

    torch_ids = []
    for text in texts:
        ids = loaded.tokenizer(text, add_special_tokens=False, return_tensors="pt")["input_ids"]
        with torch.inference_mode():
            output = loaded.model.generate(ids, generation_config=config)
        torch_ids.append(output[0, ids.shape[1] :].tolist())

    assert [chat.generate_ids([prompt], 16)[0] for prompt in prompts] == torch_ids
    assert chat.generate_ids(prompts, 16) == torch_ids
    # Prompts of unequal length in one CTranslate2 call answer the same too.
    monkeypatch.setattr(llm_ct2, "PROMPT_SPREAD_DIVISOR", 0.001)
    assert chat.generate_ids(prompts, 16) == torch_ids
    assert all(len(set(ids)) > 3 for ids in torch_ids), "the answers must vary to compare"


def test_ctranslate2_exact_new_tokens_forces_the_length(varied_qwen) -> None:
    pytest.importorskip("ctranslate2")
    from summarizer.models.store import resolve_model
    from summarizer.summarizers.chat_ct2 import CT2Chat

    chat = CT2Chat(resolve_model(str(varied_qwen)), compute_type="float32")
    prompts = [chat.encode(text) for text in chat_texts(chat.tokenizer)]
    assert [len(ids) for ids in chat.generate_ids(prompts, 12, exact=True)] == [12, 12, 12]
    assert all(len(ids) <= 5 for ids in chat.generate_ids(prompts, 5))


def test_load_summarizer_runs_chat_models_on_the_chosen_engine(tiny_models_for, monkeypatch) -> None:
    pytest.importorskip("ctranslate2")
    import torch

    from summarizer.models import loading

    models = tiny_models_for("qwen2.5-0.5b-instruct")
    # A CPU with bfloat16 matmuls: torch with int8 weights, all prompts in one batch.
    monkeypatch.setattr(loading, "cpu_supports_bf16", lambda: True)
    batched = load_summarizer("qwen2.5-0.5b-instruct", models_dir=models, device="cpu")
    assert isinstance(batched, LlmSummarizer) and batched.engine == "transformers"
    assert batched.chat.loaded.dtype == torch.qint8
    # Without them the int8 kernels starve: CTranslate2 int8.
    monkeypatch.setattr(loading, "cpu_supports_bf16", lambda: False)
    auto = load_summarizer("qwen2.5-0.5b-instruct", models_dir=models, device="cpu")
    assert isinstance(auto, LlmSummarizer) and auto.engine == "ctranslate2"
    assert auto.chat.compute_type == "int8" and auto.revision == "tiny-random"
    torch_one = load_summarizer("qwen2.5-0.5b-instruct", models_dir=models, engine="transformers")
    assert torch_one.engine == "transformers"
    with pytest.raises(SummarizerError, match="unknown engine"):
        load_summarizer("qwen2.5-0.5b-instruct", models_dir=models, engine="onnx")
    # Through the summarizer: the model's answers come back as summaries, nothing generated
    # for an empty article.
    inputs = [
        SummaryInput("a.txt", 1, "Judul", None, None, [("a.txt:1:1", "Gempa di Jakarta.")]),
        SummaryInput("empty.txt", 2, "Judul", None, None, []),
    ]
    summaries = auto.summarize(inputs, "en")
    assert [s.article_id for s in summaries] == ["a.txt", "empty.txt"]
    assert summaries[1].notes == ["no sentences to summarize"]


def test_ctranslate2_shares_calls_only_between_prompts_of_similar_length() -> None:
    from summarizer.models.batching import similar_length_groups

    assert similar_length_groups([1038, 1272, 916, 1065, 1254], 30) == [[2], [0, 3], [4, 1]]
    assert similar_length_groups([5, 5, 5], 0) == [[0, 1, 2]]
    assert similar_length_groups([], 10) == []


def test_torch_batched_answers_equal_single_prompt_answers_in_float32(varied_qwen) -> None:
    """Left-padded batches decode exactly the tokens each prompt gets alone (float32)."""
    loaded = load_model(str(varied_qwen), dtype="float32")
    chat = TorchChat(loaded)
    prompts = [chat.encode(text) for text in chat_texts(loaded.tokenizer)]
    assert len({len(p) for p in prompts}) == len(prompts), "prompts of unequal length, so padding matters"
    alone = [chat.generate_ids([prompt], 16)[0] for prompt in prompts]
    assert chat.generate_ids(prompts, 16) == alone
    assert chat.generate_ids(list(reversed(prompts)), 16) == list(reversed(alone))
    assert all(len(set(ids)) > 3 for ids in alone), "the answers must vary to compare"


def test_int8_weights_keep_the_float_model_answers_close(varied_qwen) -> None:
    """--engine transformers --dtype int8: every linear layer holds int8 weights, prompts are
    read per row (a prompt's logits do not depend on its batch-mates) and the answers start as
    the float model's do."""
    import torch

    from summarizer.models.quantize import Int8Linear

    float_model = load_model(str(varied_qwen), dtype="float32")
    int8_model = load_model(str(varied_qwen), dtype="int8")
    linears = [m for m in int8_model.model.modules() if isinstance(m, Int8Linear)]
    assert linears and not any(type(m) is torch.nn.Linear for m in int8_model.model.modules())
    chat = TorchChat(int8_model)
    prompts = [chat.encode(text) for text in chat_texts(int8_model.tokenizer)]
    with torch.inference_mode():
        first = int8_model.model(torch.tensor([prompts[0]])).logits[0, -1].float()
        reference = float_model.model(torch.tensor([prompts[0]])).logits[0, -1]
    assert torch.nn.functional.cosine_similarity(first, reference, dim=0) > 0.99
    answers = chat.generate_ids(prompts, 16)
    assert answers == [chat.generate_ids([prompt], 16)[0] for prompt in prompts], "batch-mates change nothing"
    assert answers[0][:2] == TorchChat(float_model).generate_ids([prompts[0]], 2)[0]


def test_int8_linear_reads_prompt_rows_independently() -> None:
    import torch

    from summarizer.models.quantize import DECODE_ROWS, Int8Linear

    torch.manual_seed(0)
    linear = torch.nn.Linear(64, 32)
    layer = Int8Linear(linear)
    for count in (DECODE_ROWS + 8, 5):  # reading prompts, decoding a batch
        rows = torch.randn(count, 64)
        rows[0] *= 1000  # an outlier row must not coarsen the others
        together = layer(rows)
        assert torch.equal(together[1:], layer(rows[1:])) or torch.allclose(together[1:], layer(rows[1:]), atol=1e-6)
        assert torch.allclose(together[1:], linear(rows[1:]), rtol=0.05, atol=0.05)
    with pytest.raises(Exception, match="CPU only"):
        from summarizer.models.loading import _choose_dtype

        _choose_dtype("cuda", "int8", "qwen2")


def test_summaries_are_cached_and_recorded_per_runtime(tiny_models_for, monkeypatch) -> None:
    """A summary made by CTranslate2 int8 is never served as one made by torch int8: the cache
    key and the recorded settings name the engine and weights "--engine auto" resolved to."""
    from summarizer.models import loading
    from summarizer.run.pipeline import ModelSession, RunOptions, _summary_key

    models = tiny_models_for("qwen2.5-1.5b-instruct")
    item = SummaryInput("a.txt", 1, "Judul", None, None, [("a.txt:1:1", "Gempa di Jakarta.")])
    options = RunOptions(lang="en", models_dir=models, device="cpu", progress=False)
    monkeypatch.setattr(loading, "cpu_supports_bf16", lambda: True)
    torch_session = ModelSession(options)
    assert torch_session.runtime(options.summarizer) == "transformers qint8 on cpu"
    monkeypatch.setattr(loading, "cpu_supports_bf16", lambda: False)
    ct2_session = ModelSession(options)
    assert ct2_session.runtime(options.summarizer) == "ctranslate2 int8 on cpu"
    assert _summary_key(item, options, torch_session) != _summary_key(item, options, ct2_session)
    assert ModelSession(RunOptions(lang="id", summarizer="extractive")).runtime("extractive") == "built in"


def test_int8_model_read_tensor_by_tensor_equals_the_converted_whole_model(varied_qwen) -> None:
    """The streaming int8 loader (no float copy of the model in memory) builds exactly the
    model that loading it whole and converting it builds."""
    import torch
    from transformers import AutoModelForCausalLM

    from summarizer.models.quantize import load_int8_model, quantize_linear_layers

    streamed = load_int8_model(varied_qwen, AutoModelForCausalLM, torch.float32)
    whole = AutoModelForCausalLM.from_pretrained(varied_qwen, dtype=torch.float32).eval()
    quantize_linear_layers(whole)
    ids = torch.tensor([[5, 17, 42, 99, 3, 250, 7] * 4])
    with torch.inference_mode():
        assert torch.equal(streamed(ids).logits, whole(ids).logits)
    assert not any(t.is_meta for t in [*streamed.parameters(), *streamed.buffers()])


def test_a_checkpoint_cut_short_is_a_model_error_not_a_traceback(varied_qwen, tmp_path) -> None:
    import shutil

    from summarizer.errors import ModelError

    broken = tmp_path / "cut"
    shutil.copytree(varied_qwen, broken)
    weights = broken / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-1000])
    with pytest.raises(ModelError):
        load_model(str(broken), dtype="int8")
