"""A chat model run by CTranslate2, behind `ChatEngine` (the default engine on CPU).

int8 weights halve the bytes every new token reads and VNNI speeds up reading the prompt
(docs/benchmarks.md, "Whole run"). The model is converted once, on first use, by
summarizer.models.ct2_convert; the HF tokenizer builds the prompt tokens and reads the answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.models.batching import similar_length_groups
from summarizer.models.ct2_convert import converted_dir, opening_converted
from summarizer.models.engines import CTRANSLATE2
from summarizer.models.loading import load_parts
from summarizer.summarizers.chat_engine import TokenizerChat

if TYPE_CHECKING:
    from transformers import GenerationConfig

    from summarizer.models.store import ResolvedModel


# Prompts share a generate call when their lengths differ by at most new tokens / this: the
# tail of a longer prompt costs a decoding step per token, a shared call saves a whole answer's
# steps for every prompt added, so a small spread always pays.
PROMPT_SPREAD_DIVISOR = 4


class CT2Chat(TokenizerChat):
    """Decodes as the torch engine does: greedy, the same chat-template prompt tokens, the same
    new-token budget and the model's own end tokens."""

    engine = CTRANSLATE2

    def __init__(self, resolved: ResolvedModel, *, device: str = "cpu", compute_type: str = "int8") -> None:
        self.name = resolved.name
        self.revision = resolved.revision
        self.family = resolved.family
        self.device = device
        self.compute_type = compute_type
        parts = load_parts(resolved)
        self.tokenizer = parts.tokenizer
        self.max_input_tokens = parts.max_input_tokens
        self.end_ids = _end_token_ids(parts.generation_config, self.tokenizer)
        self.model_dir = converted_dir(resolved, compute_type)
        self.generator = _open_generator(self.model_dir, device, compute_type, resolved.name)

    def generate(self, prompts: list[list[int]], new_tokens: int, *, exact: bool = False) -> list[str]:
        return self.decode(self.generate_ids(prompts, new_tokens, exact=exact))

    def generate_ids(self, prompts: list[list[int]], new_tokens: int, *, exact: bool = False) -> list[list[int]]:
        """The new token ids (end token excluded) of a greedy answer to each prompt.

        CTranslate2 reads a batch's prompts at once only up to the shortest one; the rest of
        each longer prompt goes through the decoding loop a token per step. For the five seed
        articles (916 to 1272 prompt tokens) one batch took 67 s just to read the prompts,
        five single calls 23 s. So only prompts of nearly the same length share a call.
        """
        tokens = [self.tokenizer.convert_ids_to_tokens(ids) for ids in prompts]
        answers: list[list[int]] = [[] for _ in prompts]
        spread = max(1, int(new_tokens / PROMPT_SPREAD_DIVISOR))
        for group in similar_length_groups([len(t) for t in tokens], spread):
            results = self.generator.generate_batch(
                [tokens[i] for i in group],
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


def _end_token_ids(generation_config: GenerationConfig, tokenizer: Any) -> list[int]:
    """The ids that end an answer, as the torch path's generate() reads them."""
    eos = generation_config.eos_token_id
    if eos is None:
        eos = tokenizer.convert_tokens_to_ids("<|im_end|>")
    return list(eos) if isinstance(eos, list | tuple) else [eos]


def _open_generator(model_dir: Path, device: str, compute_type: str, name: str) -> Any:
    import ctranslate2

    with opening_converted(name, model_dir) as torch_threads:
        return ctranslate2.Generator(
            str(model_dir), device=device, compute_type=compute_type, intra_threads=torch_threads
        )
