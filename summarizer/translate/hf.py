"""The transformers translation engine: a seq2seq model (Marian, NLLB, M2M100) run by torch.

Inputs go through generate() in length-sorted batches under a token budget, the biggest CPU
speed lever for this engine.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from summarizer.models.batching import plan_batches
from summarizer.models.loading import generate
from summarizer.translate.base import (
    ANTI_REPETITION,
    DEFAULT_MAX_BATCH_SIZE,
    DEFAULT_TOKEN_BUDGET,
    BaseTranslator,
    check_translation_family,
)

if TYPE_CHECKING:
    from summarizer.models.loading import LoadedModel


class HFTranslator(BaseTranslator):
    """A transformers seq2seq translation model behind `Translator`."""

    def __init__(
        self,
        loaded: LoadedModel,
        *,
        num_beams: int | None = None,
        token_budget: int = DEFAULT_TOKEN_BUDGET,
        max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
    ) -> None:
        check_translation_family(loaded.name, loaded.family)
        super().__init__(
            name=loaded.name,
            revision=loaded.revision,
            family=loaded.family,
            tokenizer=loaded.tokenizer,
            published=loaded.generation_config,
            model_config=loaded.model.config,
            max_input_tokens=loaded.max_input_tokens,
            num_beams=num_beams,
            token_budget=token_budget,
            max_batch_size=max_batch_size,
        )
        self.loaded = loaded
        if loaded.device.type == "cpu":
            # One-token decoder steps run faster in plain matmul attention than in torch's CPU
            # SDPA kernel (about 15% per batch in bf16, docs/benchmarks.md).
            loaded.model.set_attn_implementation("eager")

    def engine_settings(self) -> dict[str, Any]:
        return {"_dtype": str(self.loaded.dtype)}  # bf16 and fp32 can choose different words

    def translate(self, texts: list[str], *, anti_repetition: bool = False) -> list[str]:
        lengths = self.token_counts(texts)
        self.check_lengths(lengths)
        outputs: list[str] = [""] * len(texts)
        for batch in plan_batches(lengths, self.token_budget, self.max_batch_size):
            translated = self._generate([texts[i] for i in batch], anti_repetition)
            for index, text in zip(batch, translated, strict=True):
                outputs[index] = text
        return outputs

    def _generate(self, texts: list[str], anti_repetition: bool) -> list[str]:
        import torch

        tokenizer = self.loaded.tokenizer
        encoded = tokenizer(texts, return_tensors="pt", padding=True).to(self.loaded.device)
        min_new_tokens, max_new_tokens = self.length_limits(encoded["input_ids"].shape[1])
        config = copy.deepcopy(self.generation_config)
        # Lengths count the decoder start token; setting max_length (not max_new_tokens) keeps
        # the model's published max_length from clashing with it on every call.
        config.max_length = max_new_tokens + 1
        if min_new_tokens:
            config.min_length = min_new_tokens + 1
        if anti_repetition:
            config.update(**ANTI_REPETITION)
        with torch.inference_mode():
            generated = generate(
                self.loaded.model, **encoded, generation_config=config, past_key_values=self._new_cache()
            )
        if config.forced_bos_token_id is not None:
            # Drop the decoder start and the forced language token: M2M100's __en__ is not a
            # special token to its transformers 5 tokenizer and would end up in the text.
            generated = generated[:, 2:]
        decoded = tokenizer.batch_decode(generated, skip_special_tokens=True)
        return [text.strip() for text in decoded]

    def _new_cache(self) -> Any:
        """A decoder cache whose beam reordering leaves the cross-attention half alone.

        Beam search only ever swaps beams of the same sentence, whose cross-attention keys and
        values are identical (they depend on the source alone), so reordering them is wasted
        work: skipping it gives bit-identical output, about 5-10% faster on CPU.
        """
        from transformers.cache_utils import DynamicCache, EncoderDecoderCache

        class SelfAttentionReorderCache(EncoderDecoderCache):
            def reorder_cache(self, beam_idx: Any) -> None:
                self.self_attention_cache.reorder_cache(beam_idx)

        config = self.loaded.model.config
        return SelfAttentionReorderCache(DynamicCache(config=config), DynamicCache(config=config))
