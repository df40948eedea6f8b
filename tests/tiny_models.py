"""Tiny random-weight models of the real architectures, with real tokenizers trained on the seeds.

build_tiny_model(family, dest, name) writes dest/<name>/ exactly like a pulled model (safetensors,
tokenizer files, generation_config.json with the family's published settings, store manifest),
so load_model(name, models_dir=dest) runs the real loading path. Each build takes about a second.
Outputs are gibberish: tests may assert shapes, plumbing and invariants, never content.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
TINY_REVISION = "tiny-random"

# Small enough to build in about a second, big enough for real subword segmentation.
SPM_VOCAB = 600
BPE_VOCAB = 800
TINY_SEQ2SEQ = dict(
    d_model=32,
    encoder_layers=1,
    decoder_layers=1,
    encoder_attention_heads=2,
    decoder_attention_heads=2,
    encoder_ffn_dim=64,
    decoder_ffn_dim=64,
)

# Qwen2.5-Instruct's ChatML template, as published in its tokenizer_config.json.
QWEN25_CHAT_TEMPLATE = (
    "{%- if tools %}\n    {{- '<|im_start|>system\\n' }}\n    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- messages[0]['content'] }}\n    {%- else %}\n"
    "        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}\n    {%- endif %}\n"
    '    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\n'
    'You are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}\n'
    '    {%- for tool in tools %}\n        {{- "\\n" }}\n        {{- tool | tojson }}\n    {%- endfor %}\n'
    '    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments '
    'within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": '
    '<args-json-object>}\\n</tool_call><|im_end|>\\n" }}\n{%- else %}\n'
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n    {%- else %}\n"
    "        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant."
    "<|im_end|>\\n' }}\n    {%- endif %}\n{%- endif %}\n{%- for message in messages %}\n"
    '    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or '
    '(message.role == "assistant" and not message.tool_calls) %}\n'
    "        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n"
    "    {%- elif message.role == \"assistant\" %}\n        {{- '<|im_start|>' + message.role }}\n"
    "        {%- if message.content %}\n            {{- '\\n' + message.content }}\n        {%- endif %}\n"
    "        {%- for tool_call in message.tool_calls %}\n            {%- if tool_call.function is defined %}\n"
    "                {%- set tool_call = tool_call.function %}\n            {%- endif %}\n"
    '            {{- \'\\n<tool_call>\\n{"name": "\' }}\n            {{- tool_call.name }}\n'
    '            {{- \'", "arguments": \' }}\n            {{- tool_call.arguments | tojson }}\n'
    "            {{- '}\\n</tool_call>' }}\n        {%- endfor %}\n        {{- '<|im_end|>\\n' }}\n"
    '    {%- elif message.role == "tool" %}\n'
    '        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}\n'
    "            {{- '<|im_start|>user' }}\n        {%- endif %}\n        {{- '\\n<tool_response>\\n' }}\n"
    "        {{- message.content }}\n        {{- '\\n</tool_response>' }}\n"
    '        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}\n'
    "            {{- '<|im_end|>\\n' }}\n        {%- endif %}\n    {%- endif %}\n{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n    {{- '<|im_start|>assistant\\n' }}\n{%- endif %}\n"
)


def seed_lines() -> list[str]:
    """Every non-empty line of the seed articles: the tokenizer training text."""
    lines = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def train_spm(model_type: str = "unigram", vocab_size: int = SPM_VOCAB, **options: Any) -> bytes:
    """A SentencePiece model trained on the seeds, as the bytes of a .model file."""
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(seed_lines()),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type=model_type,
        hard_vocab_limit=False,
        character_coverage=1.0,
        minloglevel=2,
        **options,
    )
    return buffer.getvalue()


def spm_pieces(model_bytes: bytes) -> list[str]:
    """The ordinary (non-control) pieces of a SentencePiece model, in id order."""
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=model_bytes)
    return [
        processor.id_to_piece(i)
        for i in range(processor.get_piece_size())
        if not (processor.is_control(i) or processor.is_unknown(i))
    ]


def train_byte_bpe(special_tokens: list[str]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A byte-level BPE (GPT-2 style) vocab and merges trained on the seeds."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=BPE_VOCAB,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=special_tokens,
        show_progress=False,
    )
    tokenizer.train_from_iterator(seed_lines(), trainer)
    model = json.loads(tokenizer.to_str())["model"]
    return model["vocab"], [tuple(merge) for merge in model["merges"]]


def _marian(workdir: Path) -> tuple[Any, Any, Any]:
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    spm_bytes = train_spm("unigram")
    # opus-mt layout: </s>=0, <unk>=1, the pieces, and <pad> last (also the decoder start).
    tokens = ["</s>", "<unk>", *spm_pieces(spm_bytes), "<pad>"]
    (workdir / "source.spm").write_bytes(spm_bytes)
    (workdir / "target.spm").write_bytes(spm_bytes)
    (workdir / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(tokens)}), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(workdir / "source.spm"),
        target_spm=str(workdir / "target.spm"),
        vocab=str(workdir / "vocab.json"),
        source_lang="id",
        target_lang="en",
        model_max_length=512,
    )
    pad = len(tokens) - 1
    config = MarianConfig(
        **TINY_SEQ2SEQ,
        vocab_size=len(tokens),
        decoder_vocab_size=len(tokens),
        max_position_embeddings=512,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        static_position_embeddings=True,
        normalize_embedding=False,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        bos_token_id=0,
        forced_eos_token_id=0,
    )
    # Helsinki-NLP's published generation_config.json (num_beams 6 from the opus-mt-id-en config).
    generation = GenerationConfig(
        bad_words_ids=[[pad]],
        bos_token_id=0,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        max_length=512,
        num_beams=6,
        pad_token_id=pad,
        renormalize_logits=True,
    )
    return MarianMTModel(config), tokenizer, generation


def _qwen2(workdir: Path) -> tuple[Any, Any, Any]:
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM, Qwen2Tokenizer

    vocab, merges = train_byte_bpe(["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
    tokenizer = Qwen2Tokenizer(
        vocab=vocab,
        merges=merges,
        bos_token=None,
        unk_token=None,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        extra_special_tokens=["<|im_start|>", "<|im_end|>"],
        model_max_length=131072,
    )
    tokenizer.chat_template = QWEN25_CHAT_TEMPLATE
    endoftext, im_end = tokenizer.convert_tokens_to_ids(["<|endoftext|>", "<|im_end|>"])
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=32768,
        rope_theta=1_000_000.0,
        tie_word_embeddings=True,
        bos_token_id=endoftext,
        eos_token_id=im_end,
    )
    # Qwen2.5-Instruct's generation_config.json (sampling; callers override for determinism).
    # repetition_penalty 1.1 is models.md's value for the small sizes, marked unconfirmed there.
    generation = GenerationConfig(
        bos_token_id=endoftext,
        pad_token_id=endoftext,
        do_sample=True,
        eos_token_id=[im_end, endoftext],
        repetition_penalty=1.1,
        temperature=0.7,
        top_p=0.8,
        top_k=20,
    )
    return Qwen2ForCausalLM(config), tokenizer, generation


def train_metaspace_bpe(special_tokens: list[str]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A SentencePiece-style BPE ("▁" marks word starts) vocab and merges trained on the seeds."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.BpeTrainer(vocab_size=SPM_VOCAB, special_tokens=special_tokens, show_progress=False)
    tokenizer.train_from_iterator(seed_lines(), trainer)
    model = json.loads(tokenizer.to_str())["model"]
    return model["vocab"], [tuple(merge) for merge in model["merges"]]


def _m2m100_config(vocab_size: int) -> Any:
    from transformers import M2M100Config

    # Shared by NLLB and M2M100 (both M2M100ForConditionalGeneration; fairseq special ids).
    return M2M100Config(
        **TINY_SEQ2SEQ,
        vocab_size=vocab_size,
        max_position_embeddings=1024,
        activation_function="relu",
        scale_embedding=True,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
    )


def _nllb(workdir: Path) -> tuple[Any, Any, Any]:
    from transformers import GenerationConfig, M2M100ForConditionalGeneration, NllbTokenizer

    # NLLB in transformers 5 is a fast tokenizer: tokenizer.json only, language codes as
    # special tokens after the pieces. The default src_lang stays eng_Latn, as published.
    vocab, merges = train_metaspace_bpe(["<s>", "<pad>", "</s>", "<unk>"])
    tokenizer = NllbTokenizer(vocab=vocab, merges=merges, model_max_length=1024)
    config = _m2m100_config(len(tokenizer))
    config.tokenizer_class = "NllbTokenizer"
    # facebook/nllb-200-distilled-600M generation_config.json.
    generation = GenerationConfig(
        bos_token_id=0, decoder_start_token_id=2, eos_token_id=2, max_length=200, pad_token_id=1
    )
    return M2M100ForConditionalGeneration(config), tokenizer, generation


def _m2m100(workdir: Path) -> tuple[Any, Any, Any]:
    from transformers import GenerationConfig, M2M100ForConditionalGeneration, M2M100Tokenizer

    spm_bytes = train_spm("bpe")
    # fairseq dictionary layout: <s>, <pad>, </s>, <unk>, then the pieces; language tokens
    # (__id__, __en__, ...) and made-up words follow, added by the tokenizer itself.
    tokens = ["<s>", "<pad>", "</s>", "<unk>", *spm_pieces(spm_bytes)]
    (workdir / "sentencepiece.bpe.model").write_bytes(spm_bytes)
    (workdir / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(tokens)}), encoding="utf-8")
    tokenizer = M2M100Tokenizer(
        vocab_file=str(workdir / "vocab.json"),
        spm_file=str(workdir / "sentencepiece.bpe.model"),
        model_max_length=1024,
    )
    # facebook/m2m100_418M generation settings (config.json / generation_config.json).
    generation = GenerationConfig(
        bos_token_id=0,
        decoder_start_token_id=2,
        eos_token_id=2,
        pad_token_id=1,
        max_length=200,
        num_beams=5,
        early_stopping=True,
    )
    # len(tokenizer) leaves out the language tokens; the embedding must cover them (as 128112 does).
    vocab_size = tokenizer.encoder_size + len(tokenizer.lang_code_to_id) + tokenizer.num_madeup_words
    return M2M100ForConditionalGeneration(_m2m100_config(vocab_size)), tokenizer, generation


def _mt5(workdir: Path) -> tuple[Any, Any, Any]:
    import torch
    from transformers import GenerationConfig, MT5Config, MT5ForConditionalGeneration, T5Tokenizer

    # T5 SentencePiece layout: <pad>=0, </s>=1, <unk>=2; mT5 has no <extra_id_*> tokens.
    spm_bytes = train_spm("unigram", pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
    (workdir / "spiece.model").write_bytes(spm_bytes)
    tokenizer_config = {"tokenizer_class": "T5Tokenizer", "extra_ids": 0, "model_max_length": 512}
    (workdir / "tokenizer_config.json").write_text(json.dumps(tokenizer_config), encoding="utf-8")
    tokenizer = T5Tokenizer.from_pretrained(str(workdir))
    config = MT5Config(
        vocab_size=len(tokenizer),
        d_model=32,
        d_kv=8,
        d_ff=64,
        num_layers=1,
        num_decoder_layers=1,
        num_heads=4,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        decoder_start_token_id=0,
        pad_token_id=0,
        eos_token_id=1,
    )
    model = MT5ForConditionalGeneration(config)
    # transformers 5 ties T5-family heads on from_config; the real checkpoint is untied. The head
    # gets its own values: identical tensors would be tied again when the checkpoint loads.
    head = torch.empty_like(model.shared.weight).normal_(0.0, config.d_model**-0.5)
    model.lm_head.weight = torch.nn.Parameter(head)
    # csebuetnlp/mT5_multilingual_XLSum settings from its config.json.
    generation = GenerationConfig(
        decoder_start_token_id=0,
        eos_token_id=1,
        pad_token_id=0,
        num_beams=4,
        max_length=84,
        no_repeat_ngram_size=2,
        length_penalty=0.6,
    )
    return model, tokenizer, generation


def _bart(workdir: Path) -> tuple[Any, Any, Any]:
    from transformers import BartConfig, BartForConditionalGeneration, GenerationConfig, RobertaTokenizer

    vocab, merges = train_byte_bpe(["<s>", "<pad>", "</s>", "<unk>"])
    tokenizer = RobertaTokenizer(vocab=vocab, merges=merges, model_max_length=1024)
    config = BartConfig(
        **TINY_SEQ2SEQ,
        vocab_size=len(tokenizer),
        max_position_embeddings=1024,
        activation_function="gelu",
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
    )
    # sshleifer/distilbart-cnn-12-6 (= bart-large-cnn) published generation settings.
    generation = GenerationConfig(
        bos_token_id=0,
        decoder_start_token_id=2,
        eos_token_id=2,
        pad_token_id=1,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        num_beams=4,
        max_length=142,
        min_length=56,
        no_repeat_ngram_size=3,
        length_penalty=2.0,
        early_stopping=True,
    )
    return BartForConditionalGeneration(config), tokenizer, generation


BUILDERS: dict[str, Callable[[Path], tuple[Any, Any, Any]]] = {
    "marian": _marian,
    "nllb": _nllb,
    "m2m100": _m2m100,
    "qwen2": _qwen2,
    "mt5": _mt5,
    "bart": _bart,
}


def build_tiny_model(family: str, dest: Path, name: str) -> Path:
    """Build a tiny random `family` model as dest/<name>/ and return that folder.

    When `name` is a registry name the store manifest is written too, so the folder counts as
    installed and load_model(name, models_dir=dest) resolves it like a pulled model.
    """
    import torch

    from summarizer.models.registry import REGISTRY
    from summarizer.models.store import write_manifest

    target = Path(dest) / name
    target.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as workdir:
        model, tokenizer, generation = BUILDERS[family](Path(workdir))
        model.generation_config = generation
        model.save_pretrained(target)
        tokenizer.save_pretrained(target)
    if name in REGISTRY:
        write_manifest(target, REGISTRY[name], TINY_REVISION)
    return target
