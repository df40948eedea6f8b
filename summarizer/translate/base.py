"""The translator interface and what every translation engine shares.

A `Translator` does raw model I/O (`translate(texts) -> texts`, same order). Both engines
(transformers in hf.py, CTranslate2 in ct2.py) decode with the model's own generation settings
(beams capped at 4) plus what its family needs to translate id→en, under the same output-length
rule, the same anti-repetition retry and the same refusal to truncate; `BaseTranslator` holds
that shared part, so the engines differ only in how they run a batch.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, Protocol

from summarizer.errors import ModelError
from summarizer.models.families import FAMILY_TABLE, get_family

if TYPE_CHECKING:
    from transformers import GenerationConfig

# Padded source tokens per generate() call (rows × longest row) and a cap on rows. On the
# opus-mt-id-en architecture 16 rows beat 32 (faster, and a third less peak memory, since each
# row carries 4 beams of 54,796 logits) and 8: see docs/benchmarks.md.
DEFAULT_TOKEN_BUDGET = 1200
DEFAULT_MAX_BATCH_SIZE = 16
# opus-mt publishes 6 beams; beyond 4 the cost grows linearly for no measurable MT gain.
MAX_DEFAULT_BEAMS = 4
# Room for the output: English runs about as long as Indonesian in subword tokens; 1.5× + 10
# leaves ample space, so only a looping output ever reaches the cap (and the guards flag it).
OUTPUT_TOKENS_PER_INPUT_TOKEN = 1.5
OUTPUT_EXTRA_TOKENS = 10
# The one retry of a degenerate output blocks loops.
ANTI_REPETITION = {"no_repeat_ngram_size": 4, "repetition_penalty": 1.3}
# Decoder positions when the config does not say (Marian's).
_DEFAULT_POSITIONS = 512


def translation_families() -> tuple[str, ...]:
    return tuple(name for name, family in FAMILY_TABLE.items() if family.task == "translate")


class Translator(Protocol):
    """Raw model I/O: `translate` returns one output per input text, in the same order."""

    model_name: str
    revision: str | None
    max_input_tokens: int

    def settings_key(self) -> str:
        """A stable hash of everything besides the model that can change an output."""
        ...

    def token_counts(self, texts: list[str]) -> list[int]:
        """Model input length of each text, special tokens included."""
        ...

    def translate(self, texts: list[str], *, anti_repetition: bool = False) -> list[str]: ...


class BaseTranslator(ABC):
    """The engine-independent part of a translator: settings, limits, cache key, input checks.

    Engines call check_translation_family before loading anything, then this constructor.
    """

    def __init__(
        self,
        *,
        name: str,
        revision: str | None,
        family: str,
        tokenizer: Any,
        published: GenerationConfig,
        model_config: Any,
        max_input_tokens: int,
        num_beams: int | None,
        token_budget: int,
        max_batch_size: int,
    ) -> None:
        self.model_name = name
        self.revision = revision
        self.family = family
        self.tokenizer = tokenizer
        self.max_input_tokens = max_input_tokens
        self.token_budget = token_budget
        self.max_batch_size = max_batch_size
        self.generation_config = translation_generation_config(published, tokenizer, family, name, num_beams)
        # Decoder positions bound the output length (Marian fails past 512).
        positions = getattr(model_config, "max_position_embeddings", None) or _DEFAULT_POSITIONS
        self.max_new_tokens_cap = positions - 1

    def settings_key(self) -> str:
        settings = self.generation_config.to_dict()
        settings.pop("transformers_version", None)
        settings["_output_rule"] = [OUTPUT_TOKENS_PER_INPUT_TOKEN, OUTPUT_EXTRA_TOKENS]
        settings["_anti_repetition"] = ANTI_REPETITION
        settings.update(self.engine_settings())
        encoded = json.dumps(settings, sort_keys=True, default=str)
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:16]

    @abstractmethod
    def engine_settings(self) -> dict[str, Any]:
        """What the engine adds to the cache key (its name, its number format)."""

    def token_counts(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer(texts)["input_ids"]]

    def check_lengths(self, lengths: list[int]) -> None:
        """Refuse over-long inputs: callers split long sentences first (translate_articles
        does), and cutting them here would silently drop text."""
        too_long = [n for n in lengths if n > self.max_input_tokens]
        if too_long:
            raise ValueError(
                f"{len(too_long)} input(s) exceed {self.max_input_tokens} tokens "
                f"(longest {max(too_long)}); split them before translating"
            )

    def length_limits(self, source_tokens: int) -> tuple[int, int]:
        """(min, max) new tokens for a batch whose longest input has `source_tokens` tokens."""
        room = math.ceil(OUTPUT_TOKENS_PER_INPUT_TOKEN * source_tokens + OUTPUT_EXTRA_TOKENS)
        return 0, min(room, self.max_new_tokens_cap)


def check_translation_family(name: str, family: str) -> None:
    """ModelError unless `family` is a translation family (a summarizer given as --translator)."""
    if get_family(family).task != "translate":
        raise ModelError(
            f"model '{name}' ({family}) is not a translation model; "
            f"use one of the families {', '.join(translation_families())}"
        )


def translation_generation_config(
    published: GenerationConfig, tokenizer: Any, family: str, name: str, num_beams: int | None
) -> GenerationConfig:
    """The model's own generation settings, plus what its family needs to translate id→en."""
    config = copy.deepcopy(published)
    own_beams = config.num_beams or 1
    config.num_beams = num_beams or min(own_beams, MAX_DEFAULT_BEAMS)
    config.do_sample = False
    # The output length is set per batch from the input (a fixed max_length, such as NLLB's
    # published 200, would cut long translations).
    tokens = get_family(family).translation_tokens
    if tokens is not None:
        tokenizer.src_lang = tokens.source_language
        config.forced_bos_token_id = _known_token_id(tokenizer, tokens.target_token, name)
    return config


def _known_token_id(tokenizer: Any, token: str, model_name: str) -> int:
    token_id = tokenizer.convert_tokens_to_ids(token)
    if token_id is None or token_id == tokenizer.unk_token_id:
        raise ModelError(f"the tokenizer of '{model_name}' has no language token {token}")
    return int(token_id)
