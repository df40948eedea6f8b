"""A chat model run by torch (transformers generate()), behind `ChatEngine`."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from summarizer.models.engines import TRANSFORMERS
from summarizer.models.loading import generate
from summarizer.summarizers.chat_engine import TokenizerChat

if TYPE_CHECKING:
    from transformers import GenerationConfig

    from summarizer.models.loading import LoadedModel


class TorchChat(TokenizerChat):
    """Greedy answers from a model loaded by summarizer.models.loading, in left-padded batches."""

    engine = TRANSFORMERS

    def __init__(self, loaded: LoadedModel) -> None:
        self.loaded = loaded
        self.name = loaded.name
        self.revision = loaded.revision
        self.tokenizer = loaded.tokenizer
        self.max_input_tokens = loaded.max_input_tokens

    def generate(self, prompts: list[list[int]], new_tokens: int, *, exact: bool = False) -> list[str]:
        return self.decode(self.generate_ids(prompts, new_tokens, exact=exact))

    def generate_ids(self, prompts: list[list[int]], new_tokens: int, *, exact: bool = False) -> list[list[int]]:
        """The new token ids of a greedy answer to each prompt, up to (not including) its end
        token: all prompts in one left-padded batch, which decodes each answer as it would
        decode alone (tests/test_summarize.py checks this in float32)."""
        import torch

        batch = self.tokenizer.pad({"input_ids": prompts}, padding=True, padding_side="left", return_tensors="pt")
        batch = batch.to(self.loaded.device)
        config = self.greedy_config(new_tokens, exact=exact)
        with torch.inference_mode():
            output = generate(self.loaded.model, **batch, generation_config=config)
        ends = _end_ids(config)
        answers = []
        for row in output[:, batch["input_ids"].shape[1] :].tolist():
            cut = next((i for i, token in enumerate(row) if token in ends), len(row))
            answers.append(row[:cut])
        return answers

    def greedy_config(self, new_tokens: int, *, exact: bool = False) -> GenerationConfig:
        """The model's own generation config, made greedy and bounded.

        Qwen publishes sampling settings; the sampling knobs are reset to their neutral values
        (not None, which generate() would refill from the model's defaults and then warn about).
        So are its repetition penalty and any n-gram ban: transformers applies them to the
        prompt's tokens too, which pushes the summary away from the article's own names and
        numbers, and CTranslate2 applies them differently (to generated tokens, and in a batch
        to the tails of longer prompts, so an answer would depend on its batch-mates). Without
        them both engines decode the same greedy answer (tests/test_summarize.py).
        """
        config = copy.deepcopy(self.loaded.generation_config)
        config.do_sample = False
        config.temperature, config.top_p, config.top_k = 1.0, 1.0, 50
        config.repetition_penalty, config.no_repeat_ngram_size = 1.0, 0
        config.max_new_tokens = new_tokens
        if exact:
            config.min_new_tokens = new_tokens
        if config.pad_token_id is None:
            config.pad_token_id = self.tokenizer.pad_token_id
        return config


def _end_ids(config: GenerationConfig) -> set[int]:
    eos = config.eos_token_id
    if eos is None:
        return set()
    return set(eos) if isinstance(eos, list | tuple) else {eos}
