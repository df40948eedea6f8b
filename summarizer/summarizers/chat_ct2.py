"""A qwen2 chat model run by CTranslate2, for LlmSummarizer (the default engine on CPU).

int8 weights halve the bytes every new token reads and VNNI speeds up reading the prompt
(docs/benchmarks.md, "Whole run"). The model is converted once, on first use, by
summarizer.models.ct2_convert; the HF tokenizer builds the prompt tokens and reads the answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from transformers import GenerationConfig

    from summarizer.models.store import ResolvedModel


# Prompts share a generate call when their lengths differ by at most new tokens / this: the
# tail of a longer prompt costs a decoding step per token, a shared call saves a whole answer's
# steps for every prompt added, so a small spread always pays.
PROMPT_SPREAD_DIVISOR = 4


class CT2Chat:
    """What LlmSummarizer needs of a model (name, revision, tokenizer, input limit), plus
    generate(). Decodes as the torch path does: greedy, the same chat-template prompt tokens,
    the same new-token budget and the model's own end tokens."""

    engine = "ctranslate2"

    def __init__(self, resolved: ResolvedModel, *, device: str = "cpu", compute_type: str = "int8") -> None:
        from summarizer.models.ct2_convert import converted_dir
        from summarizer.translate.ct2 import (
            _load_tokenizer_and_config,
            _max_input_tokens,
            _own_generation_config,
        )

        self.name = resolved.name
        self.revision = resolved.revision
        self.family = resolved.family
        self.device = device
        self.compute_type = compute_type
        self.tokenizer, config = _load_tokenizer_and_config(resolved)
        self.max_input_tokens = _max_input_tokens(resolved, config, self.tokenizer)
        self.end_ids = _end_token_ids(_own_generation_config(resolved.path, config), self.tokenizer)
        self.model_dir = converted_dir(resolved, compute_type)
        self.generator = _open_generator(self.model_dir, device, compute_type, resolved.name)

    def generate(self, texts: list[str], new_tokens: int, *, exact: bool = False) -> list[str]:
        """Greedy answers to chat-template texts."""
        answers = self.generate_ids(texts, new_tokens, exact=exact)
        return [text.strip() for text in self.tokenizer.batch_decode(answers, skip_special_tokens=True)]

    def generate_ids(self, texts: list[str], new_tokens: int, *, exact: bool = False) -> list[list[int]]:
        """The new token ids (end token excluded) of a greedy answer to each text.

        CTranslate2 reads a batch's prompts at once only up to the shortest one; the rest of
        each longer prompt goes through the decoding loop a token per step. For the five seed
        articles (916 to 1272 prompt tokens) one batch took 67 s just to read the prompts,
        five single calls 23 s. So only prompts of nearly the same length share a call.
        """
        prompts = [
            self.tokenizer.convert_ids_to_tokens(self.tokenizer(text, add_special_tokens=False)["input_ids"])
            for text in texts
        ]
        answers: list[list[int]] = [[] for _ in texts]
        spread = max(1, int(new_tokens / PROMPT_SPREAD_DIVISOR))
        for group in similar_length_groups([len(p) for p in prompts], spread):
            results = self.generator.generate_batch(
                [prompts[i] for i in group],
                max_length=new_tokens,
                min_length=new_tokens if exact else 0,
                sampling_topk=1,
                beam_size=1,
                end_token=self.end_ids,
                include_prompt_in_result=False,
            )
            for index, result in zip(group, results, strict=True):
                answers[index] = list(result.sequences_ids[0])
        return answers


def similar_length_groups(lengths: list[int], spread: int) -> list[list[int]]:
    """Indices grouped by length, shortest first, each group's lengths within ``spread``."""
    groups: list[list[int]] = []
    for index in sorted(range(len(lengths)), key=lengths.__getitem__):
        if groups and lengths[index] - lengths[groups[-1][0]] <= spread:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _end_token_ids(generation_config: GenerationConfig, tokenizer: Any) -> list[int]:
    """The ids that end an answer, as the torch path's generate() reads them."""
    eos = generation_config.eos_token_id
    if eos is None:
        eos = tokenizer.convert_tokens_to_ids("<|im_end|>")
    return list(eos) if isinstance(eos, list | tuple) else [eos]


def _open_generator(model_dir: Path, device: str, compute_type: str, name: str) -> Any:
    import ctranslate2

    from summarizer.models.ct2_convert import opening_converted

    with opening_converted(name, model_dir) as torch_threads:
        return ctranslate2.Generator(
            str(model_dir), device=device, compute_type=compute_type, intra_threads=torch_threads
        )
