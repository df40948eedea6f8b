"""Load a model and its tokenizer from the local store, offline, once per process.

torch and transformers are imported inside functions so `import summarizer` stays instant.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.errors import ModelError, SummarizerError
from summarizer.models.families import get_family
from summarizer.models.store import ResolvedModel, resolve_model

if TYPE_CHECKING:
    import torch
    from transformers import GenerationConfig, PretrainedConfig, PreTrainedModel, PreTrainedTokenizerBase

log = logging.getLogger(__name__)

DEVICE_CHOICES = ("auto", "cpu", "cuda")
DTYPE_ALIASES = {
    "auto": "auto",
    "float32": "float32",
    "fp32": "float32",
    "bfloat16": "bfloat16",
    "bf16": "bfloat16",
    "float16": "float16",
    "fp16": "float16",
    # int8 weights: CTranslate2's int8 compute type, or torch with summarizer.models.quantize (CPU).
    "int8": "int8",
}
# CPU flags that make bfloat16 matmuls fast (otherwise bf16 on CPU is emulated and slow).
_CPU_BF16_FLAGS = ("amx_bf16", "avx512_bf16")
# The torch "dtype" of a model whose linear layers hold int8 weights (summarizer.models.quantize);
# the rest of it computes in bfloat16 where the CPU has it, else float32.
INT8_WEIGHTS = "qint8"
# Used when neither the spec nor the tokenizer/config gives a usable input limit.
_FALLBACK_MAX_INPUT_TOKENS = 512
# Tokenizers without a limit report a huge sentinel (int(1e30)); anything above this is "none".
_UNSET_MODEL_MAX_LENGTH = 1_000_000


@dataclass
class LoadedModel:
    """A model ready for generate(): eval mode, on its device, in its dtype."""

    name: str
    path: Path
    family: str
    revision: str | None
    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    device: torch.device
    dtype: torch.dtype
    generation_config: GenerationConfig  # the model's own published settings
    max_input_tokens: int


@dataclass(frozen=True)
class ModelParts:
    """What an engine that runs its own copy of the weights (CTranslate2) needs from a model
    folder: the tokenizer, the config, the published generation settings and the input limit."""

    tokenizer: PreTrainedTokenizerBase
    config: PretrainedConfig
    generation_config: GenerationConfig
    max_input_tokens: int


_LOADED: dict[tuple[Path, str, str], LoadedModel] = {}


def choose_runtime(
    device: str = "auto", dtype: str = "auto", *, family: str | None = None
) -> tuple[torch.device, torch.dtype]:
    """The torch device and dtype to run on, from user choices ("auto" picks the best supported).

    `family` lets the choice avoid float16 for T5-style models, which produce NaNs in it.
    """
    import torch

    chosen_device = torch.device(_choose_device(device))
    chosen_dtype = getattr(torch, _choose_dtype(chosen_device.type, dtype, family))
    return chosen_device, chosen_dtype


def _choose_device(device: str) -> str:
    import torch

    if device not in DEVICE_CHOICES:
        raise SummarizerError(f"unknown device '{device}'; use one of: {', '.join(DEVICE_CHOICES)}")
    cuda = torch.cuda.is_available()
    if device == "cuda" and not cuda:
        raise SummarizerError("device 'cuda' requested but no CUDA GPU is usable by torch here")
    if device == "auto":
        return "cuda" if cuda else "cpu"
    return device


def _choose_dtype(device_type: str, dtype: str, family: str | None) -> str:
    name = DTYPE_ALIASES.get(dtype)
    if name is None:
        choices = ", ".join(DTYPE_ALIASES)
        raise SummarizerError(f"unknown dtype '{dtype}'; use one of: {choices}")
    if name == "auto":
        return _auto_dtype(device_type, family)
    if name == "int8":
        if device_type != "cpu":
            raise SummarizerError("--dtype int8 runs torch models on the CPU only; on a GPU use --engine ctranslate2")
        return INT8_WEIGHTS
    if name == "float16" and not _fp16_safe(family):
        raise SummarizerError(f"{family} models produce NaNs in float16; use --dtype bfloat16 or float32")
    if name == "float16" and device_type == "cpu":
        log.warning("float16 on CPU is slow and rarely supported well; bfloat16 or float32 is faster")
    return name


def _auto_dtype(device_type: str, family: str | None) -> str:
    if device_type == "cpu":
        bf16 = cpu_supports_bf16()
        if bf16 and family and get_family(family).torch_cpu_auto_dtype == "int8":
            return INT8_WEIGHTS
        return "bfloat16" if bf16 else "float32"
    import torch

    if torch.cuda.is_bf16_supported():
        return "bfloat16"
    return "float16" if _fp16_safe(family) else "float32"


def _fp16_safe(family: str | None) -> bool:
    return family is None or get_family(family).fp16_safe


def cpu_supports_bf16() -> bool:
    """True when this CPU has native bfloat16 matmul (AMX or AVX512-BF16)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        flags = ""
    if any(flag in flags.split() for flag in _CPU_BF16_FLAGS):
        return True
    import torch

    # Elsewhere (macOS, Windows) ask torch which kernels it dispatches to.
    return torch.backends.cpu.get_cpu_capability() in ("AVX512_BF16", "AMX")


def load_model(
    ref: str,
    *,
    models_dir: Path | None = None,
    device: str = "auto",
    dtype: str = "auto",
) -> LoadedModel:
    """Load (once per process) the model `ref`: a registry name or a local model folder."""
    resolved = resolve_model(ref, models_dir)
    chosen_device, chosen_dtype = choose_runtime(device, dtype, family=resolved.family)
    key = (resolved.path, str(chosen_device), str(chosen_dtype))
    if key not in _LOADED:
        _LOADED[key] = _load(resolved, chosen_device, chosen_dtype)
    return _LOADED[key]


def clear_loaded_models() -> None:
    """Forget every loaded model (frees memory once callers drop their references)."""
    _LOADED.clear()


def _load(resolved: ResolvedModel, device: torch.device, dtype: torch.dtype) -> LoadedModel:
    log.info(
        "loading %s (%s, revision %s) from %s on %s as %s",
        resolved.name,
        resolved.family,
        resolved.revision or "unknown",
        resolved.path,
        device,
        dtype,
    )
    model = _load_weights(resolved, device, dtype)
    tokenizer = load_tokenizer(resolved)
    return LoadedModel(
        name=resolved.name,
        path=resolved.path,
        family=resolved.family,
        revision=resolved.revision,
        model=model,
        tokenizer=tokenizer,
        device=device,
        dtype=dtype,
        generation_config=model.generation_config,
        max_input_tokens=input_limit(resolved, model.config, tokenizer),
    )


def _model_class(family: str) -> Any:
    import transformers

    return getattr(transformers, get_family(family).auto_model)


def _load_weights(resolved: ResolvedModel, device: torch.device, dtype: torch.dtype) -> Any:
    import torch

    if dtype == torch.qint8:
        return _load_int8_weights(resolved, device)
    model_class = _model_class(resolved.family)
    try:
        with without_transformers_progress_bars():
            model = model_class.from_pretrained(
                resolved.path,
                dtype=dtype,
                local_files_only=True,
                use_safetensors=True,
                trust_remote_code=False,
            )
    except OSError as error:
        # Missing or unreadable weight files: the store is damaged, not a code bug.
        raise ModelError(f"cannot load {resolved.name} from {resolved.path}: {_first_line(error)}") from error
    return model.to(device).eval()


def _load_int8_weights(resolved: ResolvedModel, device: torch.device) -> Any:
    """The model with int8 linear layers, read tensor by tensor (summarizer.models.quantize);
    a checkpoint that layout does not fit is loaded whole and then converted (more memory)."""
    import torch

    from summarizer.models.quantize import CheckpointLayoutError, load_int8_model, quantize_linear_layers

    compute = torch.bfloat16 if cpu_supports_bf16() else torch.float32
    model_class = _model_class(resolved.family)
    try:
        model = load_int8_model(resolved.path, model_class, compute)
    except CheckpointLayoutError as problem:
        log.info("%s: reading it tensor by tensor failed (%s); loading it whole", resolved.name, problem)
        model = _load_weights(resolved, device, compute)
        quantize_linear_layers(model)
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"cannot load {resolved.name} from {resolved.path}: {_first_line(error)}") from error
    else:
        model.generation_config = _published_generation_config(resolved.path, model.config)
    log.info("%s: linear layers hold int8 weights", resolved.name)
    return model.to(device)


@contextmanager
def without_transformers_progress_bars() -> Iterator[None]:
    """Loading takes seconds; transformers' per-tensor bar would interleave with ours. The switch
    is global (it also governs huggingface_hub's bars), so the previous state is restored."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def load_tokenizer(resolved: ResolvedModel) -> Any:
    """The model's own tokenizer, from its folder only."""
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(resolved.path, local_files_only=True, trust_remote_code=False)
    except OSError as error:
        raise ModelError(
            f"cannot load the tokenizer of {resolved.name} from {resolved.path}: {_first_line(error)}"
        ) from error


def input_limit(resolved: ResolvedModel, config: Any, tokenizer: Any) -> int:
    """The model's input limit in tokens: the registry's, else the config's and tokenizer's."""
    if resolved.spec is not None:
        return resolved.spec.max_input_tokens
    limits = [getattr(config, "max_position_embeddings", None)]
    if tokenizer.model_max_length < _UNSET_MODEL_MAX_LENGTH:
        limits.append(tokenizer.model_max_length)
    known = [limit for limit in limits if isinstance(limit, int) and limit > 0]
    return min(known) if known else _FALLBACK_MAX_INPUT_TOKENS


def load_parts(resolved: ResolvedModel) -> ModelParts:
    """Tokenizer, config, generation settings and input limit of a model, without its weights."""
    from transformers import AutoConfig

    tokenizer = load_tokenizer(resolved)
    try:
        config = AutoConfig.from_pretrained(resolved.path, local_files_only=True, trust_remote_code=False)
    except OSError as error:
        raise ModelError(
            f"cannot read the config of {resolved.name} from {resolved.path}: {_first_line(error)}"
        ) from error
    return ModelParts(
        tokenizer=tokenizer,
        config=config,
        generation_config=_published_generation_config(resolved.path, config),
        max_input_tokens=input_limit(resolved, config, tokenizer),
    )


def _published_generation_config(path: Path, config: Any) -> Any:
    """The published generation settings, read as from_pretrained reads them."""
    from transformers import GenerationConfig

    if (path / "generation_config.json").is_file():
        return GenerationConfig.from_pretrained(path, local_files_only=True)
    return GenerationConfig.from_model_config(config)


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def generate(model: Any, **inputs: Any) -> Any:
    """`model.generate(**inputs)`. torch types every attribute of a module as a tensor or module,
    so a type checker cannot see transformers' `generate`; calling it here keeps that in one place."""
    return model.generate(**inputs)
