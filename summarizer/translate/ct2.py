"""The CTranslate2 translation engine: the default on CPU (and on a GPU CTranslate2 can use).

CTranslate2 runs int8 matmuls and its beam search in C++, about twice as fast as our best torch
engine on CPUs without AMX (docs/benchmarks.md). `CT2Translator` shares with `HFTranslator` the
settings, limits and checks of `BaseTranslator`; it uses the HF tokenizer for token counts and
for tokens in and out (CT2 needs `</s>` on the source, which the HF tokenizer adds).

The model is converted once, on first use, by summarizer.models.ct2_convert.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from summarizer.models.batching import plan_batches
from summarizer.models.ct2_convert import converted_dir, opening_converted
from summarizer.models.families import get_family
from summarizer.models.loading import load_parts
from summarizer.models.store import ResolvedModel
from summarizer.translate.base import (
    ANTI_REPETITION,
    DEFAULT_MAX_BATCH_SIZE,
    DEFAULT_TOKEN_BUDGET,
    BaseTranslator,
    check_translation_family,
)

# Batches decoded side by side on a CPU (at most; fewer with fewer threads).
PARALLEL_BATCHES = 2


class CT2Translator(BaseTranslator):
    """A Marian, NLLB or M2M100 model run by CTranslate2, behind `Translator`."""

    def __init__(
        self,
        resolved: ResolvedModel,
        *,
        device: str = "cpu",
        compute_type: str = "int8",
        num_beams: int | None = None,
        token_budget: int = DEFAULT_TOKEN_BUDGET,
        max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
        threads: int | None = None,
    ) -> None:
        check_translation_family(resolved.name, resolved.family)
        parts = load_parts(resolved)
        super().__init__(
            name=resolved.name,
            revision=resolved.revision,
            family=resolved.family,
            tokenizer=parts.tokenizer,
            published=parts.generation_config,
            model_config=parts.config,
            max_input_tokens=parts.max_input_tokens,
            num_beams=num_beams,
            token_budget=token_budget,
            max_batch_size=max_batch_size,
        )
        self.device = device
        self.compute_type = compute_type
        self.target_prefix = self._target_prefix()
        self.suppressed = self._suppressed_sequences()
        self.threads = threads if threads is not None else _torch_threads()
        self.model_dir = converted_dir(resolved, compute_type)
        on_cpu = device == "cpu"
        self.parallel_batches, per_batch = split_threads(self.threads) if on_cpu else (1, self.threads)
        self.engine = _open(self.model_dir, device, compute_type, self.parallel_batches, per_batch, resolved.name)

    def engine_settings(self) -> dict[str, Any]:
        # int8 and float32 (and the two engines) can choose different words: never mix them.
        return {"_engine": "ctranslate2", "_compute_type": self.compute_type}

    def translate(self, texts: list[str], *, anti_repetition: bool = False) -> list[str]:
        if not texts:
            return []
        encoded = self.tokenizer(texts)["input_ids"]
        lengths = [len(ids) for ids in encoded]
        self.check_lengths(lengths)
        sources = [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded]
        # Our own length-sorted batches rather than CT2's internal ones: the output length cap
        # follows each batch's longest input, exactly as in HFTranslator. All batches are
        # queued at once so that the translator's workers (inter_threads) run them side by side.
        batches = plan_batches(lengths, self.token_budget, self._rows_per_batch(len(texts)))
        queued = [
            self._submit([sources[i] for i in batch], max(lengths[i] for i in batch), anti_repetition)
            for batch in batches
        ]
        outputs: list[str] = [""] * len(texts)
        for batch, pending in zip(batches, queued, strict=True):
            for index, text in zip(batch, self._decode([p.result() for p in pending]), strict=True):
                outputs[index] = text
        return outputs

    def _rows_per_batch(self, inputs: int) -> int:
        """At most max_batch_size, and small enough that every worker gets a batch: a lone
        batch would leave the other workers (and their cores) idle.

        Planned for PARALLEL_BATCHES workers whatever this translator's thread count: a batch's
        longest input sets its output-length cap, so a plan that followed the thread count would
        make a sentence's translation depend on how many threads ran it (a 2-thread Ray actor
        and a 1-thread local run would write different files). With fewer threads the batches
        are decoded one after another instead.
        """
        return max(1, min(self.max_batch_size, math.ceil(inputs / PARALLEL_BATCHES)))

    def _submit(self, sources: list[list[str]], longest: int, anti_repetition: bool) -> list[Any]:
        config = self.generation_config
        min_new, max_new = self.length_limits(longest)
        options: dict[str, Any] = dict(
            beam_size=config.num_beams,
            # transformers 5 leaves unset settings as None; these are its defaults.
            length_penalty=_or_default(config.length_penalty, 1.0),
            repetition_penalty=_or_default(config.repetition_penalty, 1.0),
            no_repeat_ngram_size=_or_default(config.no_repeat_ngram_size, 0),
            max_input_length=0,  # never truncate (inputs were checked against the limit)
            max_batch_size=0,
            # Like HF's new tokens, CT2's lengths count the forced language token. A model
            # that forces EOS at the cap (Marian) ends one token early there, with EOS.
            max_decoding_length=max_new - (1 if config.forced_eos_token_id is not None else 0),
            min_decoding_length=min_new,
            asynchronous=True,
        )
        if anti_repetition:
            options.update(ANTI_REPETITION)
        if self.suppressed:
            options["suppress_sequences"] = self.suppressed
        prefixes = [list(self.target_prefix) for _ in sources] if self.target_prefix else None
        return self.engine.translate_batch(sources, prefixes, **options)

    def _decode(self, results: list[Any]) -> list[str]:
        skip = len(self.target_prefix)
        ids = [self.tokenizer.convert_tokens_to_ids(r.hypotheses[0][skip:]) for r in results]
        return [text.strip() for text in self.tokenizer.batch_decode(ids, skip_special_tokens=True)]

    def _target_prefix(self) -> list[str]:
        """NLLB and M2M100 are told the target language by a first output token, as in HF."""
        forced = self.generation_config.forced_bos_token_id
        return [self.tokenizer.convert_ids_to_tokens(forced)] if forced is not None else []

    def _suppressed_sequences(self) -> list[list[str]]:
        """The model's bad_words_ids as tokens. Marian's one, <pad>, is dropped from the
        vocabulary by the converter (so it can never be generated) and is left out here
        (FAMILY_TABLE's ct2_drops_pad)."""
        banned = self.generation_config.bad_words_ids or []
        pad = self.tokenizer.pad_token_id
        drops_pad = get_family(self.family).ct2_drops_pad
        return [self.tokenizer.convert_ids_to_tokens(ids) for ids in banned if not (drops_pad and ids == [pad])]


def _or_default(value: Any, default: Any) -> Any:
    return default if value is None else value


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def split_threads(threads: int) -> tuple[int, int]:
    """(batches decoded side by side, threads per batch) for `threads` CPU threads.

    Two batches at a time beat one batch on two threads (docs/benchmarks.md): a decoding step
    of one batch is too small to keep two threads busy. More than two is not measured.
    """
    parallel = max(1, min(threads, PARALLEL_BATCHES))
    return parallel, max(1, threads // parallel)


def _open(model_dir: Path, device: str, compute_type: str, parallel: int, per_batch: int, name: str) -> Any:
    import ctranslate2

    with opening_converted(name, model_dir):
        return ctranslate2.Translator(
            str(model_dir),
            device=device,
            compute_type=compute_type,
            inter_threads=parallel,
            intra_threads=per_batch,
        )
