"""The CTranslate2 translation engine: the default on CPU (and on a GPU CTranslate2 can use).

CTranslate2 runs int8 matmuls and its beam search in C++, about twice as fast as our best torch
engine on CPUs without AMX (docs/benchmarks.md). `CT2Translator` behaves like `HFTranslator`:
the model's own generation settings (beams capped at 4), the same output-length rule, the same
anti-repetition retry, the HF tokenizer for token counts and for tokens in and out (CT2 needs
`</s>` on the source, which the HF tokenizer adds), and no truncation ever.

The model is converted once, on first use, by summarizer.models.ct2_convert.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from summarizer.errors import ModelError, SummarizerError
from summarizer.models.ct2_convert import converted_dir, opening_converted
from summarizer.models.store import ResolvedModel
from summarizer.translate.core import (
    ANTI_REPETITION,
    DEFAULT_MAX_BATCH_SIZE,
    DEFAULT_TOKEN_BUDGET,
    OUTPUT_EXTRA_TOKENS,
    OUTPUT_TOKENS_PER_INPUT_TOKEN,
    TRANSLATION_FAMILIES,
    _generation_config,
    plan_batches,
)

log = logging.getLogger(__name__)

ENGINES = ("auto", "ctranslate2", "transformers")
# What "--dtype auto" means for CTranslate2: int8 weights (AVX512-VNNI on CPU); on a GPU int8
# weights with float16 activations.
AUTO_COMPUTE_TYPE = {"cpu": "int8", "cuda": "int8_float16"}
INSTALL_HINT = "pip install 'ctranslate2>=4.8,<4.9'"
PARALLEL_BATCHES = 2


@dataclass(frozen=True)
class EngineChoice:
    """Which engine translates, on what, and why (for the INFO log)."""

    engine: str  # "ctranslate2" or "transformers"
    reason: str
    device: str | None = None  # CTranslate2 device, when engine == "ctranslate2"
    compute_type: str | None = None


def ctranslate2_importable() -> bool:
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def choose_engine(family: str, device: str = "auto", dtype: str = "auto", engine: str = "auto") -> EngineChoice:
    """The translation engine for a model of `family`, from the user's engine/device/dtype.

    "auto" takes CTranslate2 whenever it can run the model as asked, else transformers;
    "ctranslate2" refuses (one-line SummarizerError) what it cannot do instead of falling back.
    """
    if engine not in ENGINES:
        raise SummarizerError(f"unknown translation engine '{engine}'; use one of: {', '.join(ENGINES)}")
    if engine == "transformers":
        return EngineChoice("transformers", "chosen explicitly")
    problem, choice = _ct2_choice(family, device, dtype)
    if choice is not None:
        return choice
    if engine == "ctranslate2":
        raise SummarizerError(f"the ctranslate2 engine cannot be used: {problem}")
    return EngineChoice("transformers", problem)


def _ct2_choice(family: str, device: str, dtype: str) -> tuple[str, EngineChoice | None]:
    if not ctranslate2_importable():
        return f"ctranslate2 is not installed ({INSTALL_HINT})", None
    if family not in TRANSLATION_FAMILIES:
        return f"it does not run {family} models as translators", None
    ct2_device = _ct2_device(device)
    if ct2_device is None:
        return "it sees no CUDA GPU here", None
    compute_type = _ct2_compute_type(ct2_device, dtype)
    if compute_type is None:
        return f"it does not support --dtype {dtype} on {ct2_device}", None
    return "", EngineChoice("ctranslate2", "fastest available", ct2_device, compute_type)


def _ct2_device(device: str) -> str | None:
    import ctranslate2

    from summarizer.models.loading import DEVICE_CHOICES

    if device not in DEVICE_CHOICES:
        raise SummarizerError(f"unknown device '{device}'; use one of: {', '.join(DEVICE_CHOICES)}")
    has_gpu = ctranslate2.get_cuda_device_count() > 0
    if device == "auto":
        return "cuda" if has_gpu else "cpu"
    if device == "cuda" and not has_gpu:
        return None
    return device


def _ct2_compute_type(device: str, dtype: str) -> str | None:
    import ctranslate2

    from summarizer.models.loading import _DTYPE_ALIASES

    name = _DTYPE_ALIASES.get(dtype)
    if name is None:
        raise SummarizerError(f"unknown dtype '{dtype}'; use one of: {', '.join(_DTYPE_ALIASES)}")
    supported = ctranslate2.get_supported_compute_types(device)
    if name == "auto":
        wanted = AUTO_COMPUTE_TYPE[device]
        return wanted if wanted in supported else ("int8" if "int8" in supported else "float32")
    return name if name in supported else None


# --- the translator ---------------------------------------------------------------------------


class CT2Translator:
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
        if resolved.family not in TRANSLATION_FAMILIES:
            raise ModelError(
                f"model '{resolved.name}' ({resolved.family}) is not a translation model; "
                f"use one of the families {', '.join(TRANSLATION_FAMILIES)}"
            )
        self.model_name = resolved.name
        self.revision = resolved.revision
        self.family = resolved.family
        self.device = device
        self.compute_type = compute_type
        self.token_budget = token_budget
        self.max_batch_size = max_batch_size
        self.tokenizer, config = _load_tokenizer_and_config(resolved)
        self.max_input_tokens = _max_input_tokens(resolved, config, self.tokenizer)
        own = _own_generation_config(resolved.path, config)
        # The HF engine's own rule, so both engines decode with the same settings.
        as_loaded = SimpleNamespace(
            generation_config=own, tokenizer=self.tokenizer, family=resolved.family, name=resolved.name
        )
        self.generation_config = _generation_config(as_loaded, num_beams)
        # Decoder positions bound the output length, as in HFTranslator.
        self.max_new_tokens_cap = (getattr(config, "max_position_embeddings", None) or 512) - 1
        self.target_prefix = self._target_prefix()
        self.suppressed = self._suppressed_sequences()
        self.threads = threads if threads is not None else _torch_threads()
        self.model_dir = converted_dir(resolved, compute_type)
        on_cpu = device == "cpu"
        self.parallel_batches, per_batch = split_threads(self.threads) if on_cpu else (1, self.threads)
        self.engine = _open(self.model_dir, device, compute_type, self.parallel_batches, per_batch, resolved.name)

    def settings_key(self) -> str:
        settings = self.generation_config.to_dict()
        settings.pop("transformers_version", None)
        settings["_output_rule"] = [OUTPUT_TOKENS_PER_INPUT_TOKEN, OUTPUT_EXTRA_TOKENS]
        settings["_anti_repetition"] = ANTI_REPETITION
        # int8 and float32 (and the two engines) can choose different words: never mix them.
        settings["_engine"] = "ctranslate2"
        settings["_compute_type"] = self.compute_type
        encoded = json.dumps(settings, sort_keys=True, default=str)
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:16]

    def token_counts(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer(texts)["input_ids"]]

    def translate(self, texts: list[str], *, anti_repetition: bool = False) -> list[str]:
        if not texts:
            return []
        encoded = self.tokenizer(texts)["input_ids"]
        lengths = [len(ids) for ids in encoded]
        too_long = [n for n in lengths if n > self.max_input_tokens]
        if too_long:
            # Callers split long sentences first (translate_articles does); cutting here would
            # silently drop text.
            raise ValueError(
                f"{len(too_long)} input(s) exceed {self.max_input_tokens} tokens "
                f"(longest {max(too_long)}); split them before translating"
            )
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
        batch would leave the other workers (and their cores) idle."""
        return max(1, min(self.max_batch_size, math.ceil(inputs / self.parallel_batches)))

    def _submit(self, sources: list[list[str]], longest: int, anti_repetition: bool) -> list[Any]:
        config = self.generation_config
        min_new, max_new = self._length_limits(longest)
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

    def _length_limits(self, source_tokens: int) -> tuple[int, int]:
        """(min, max) new tokens for a batch whose longest input has `source_tokens` tokens."""
        room = math.ceil(OUTPUT_TOKENS_PER_INPUT_TOKEN * source_tokens + OUTPUT_EXTRA_TOKENS)
        return 0, min(room, self.max_new_tokens_cap)

    def _target_prefix(self) -> list[str]:
        """NLLB and M2M100 are told the target language by a first output token, as in HF."""
        forced = self.generation_config.forced_bos_token_id
        return [self.tokenizer.convert_ids_to_tokens(forced)] if forced is not None else []

    def _suppressed_sequences(self) -> list[list[str]]:
        """The model's bad_words_ids as tokens. Marian's one, <pad>, is dropped from the
        vocabulary by the converter (so it can never be generated) and is left out here."""
        banned = self.generation_config.bad_words_ids or []
        pad = self.tokenizer.pad_token_id
        return [
            self.tokenizer.convert_ids_to_tokens(ids)
            for ids in banned
            if not (self.family == "marian" and ids == [pad])
        ]


def _load_tokenizer_and_config(resolved: ResolvedModel) -> tuple[Any, Any]:
    from transformers import AutoConfig

    from summarizer.models.loading import _load_tokenizer

    tokenizer = _load_tokenizer(resolved)
    try:
        config = AutoConfig.from_pretrained(resolved.path, local_files_only=True, trust_remote_code=False)
    except OSError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelError(f"cannot read the config of {resolved.name} from {resolved.path}: {first}") from error
    return tokenizer, config


def _max_input_tokens(resolved: ResolvedModel, config: Any, tokenizer: Any) -> int:
    from summarizer.models.loading import _max_input_tokens as loaded_limit

    # The loader's rule reads only `model.config`: the weights need not be loaded for it.
    return loaded_limit(resolved, SimpleNamespace(config=config), tokenizer)


def _own_generation_config(path: Path, config: Any) -> Any:
    """The published generation settings, read as from_pretrained reads them."""
    from transformers import GenerationConfig

    if (path / "generation_config.json").is_file():
        return GenerationConfig.from_pretrained(path, local_files_only=True)
    return GenerationConfig.from_model_config(config)


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
