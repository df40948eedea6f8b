"""Which inference engine runs a model: CTranslate2 (int8, C++ decoding) or transformers (torch).

One chooser for the translator, the summarizer and `models pull`: "auto" takes CTranslate2 when
it is installed, can run the model's family, sees the device asked for and supports the dtype,
and the family runs best on it there (FAMILY_TABLE's ct2_auto_devices); else transformers.
"ctranslate2" refuses (one-line SummarizerError) what it cannot do instead of falling back.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.errors import SummarizerError
from summarizer.models.families import get_family
from summarizer.models.loading import DEVICE_CHOICES, DTYPE_ALIASES

ENGINES = ("auto", "ctranslate2", "transformers")
CTRANSLATE2, TRANSFORMERS = "ctranslate2", "transformers"
# What "--dtype auto" means for CTranslate2: int8 weights (AVX512-VNNI on CPU); on a GPU int8
# weights with float16 activations.
AUTO_COMPUTE_TYPE = {"cpu": "int8", "cuda": "int8_float16"}
INSTALL_HINT = "pip install 'ctranslate2>=4.8,<4.9'"


@dataclass(frozen=True)
class EngineChoice:
    """Which engine runs a model, on what, and why (for the INFO log)."""

    engine: str  # CTRANSLATE2 or TRANSFORMERS
    reason: str
    device: str | None = None  # CTranslate2 device, when engine == CTRANSLATE2
    compute_type: str | None = None  # CTranslate2 compute type, when engine == CTRANSLATE2


def ctranslate2_importable() -> bool:
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def choose_engine(family: str, device: str = "auto", dtype: str = "auto", engine: str = "auto") -> EngineChoice:
    """The engine for a model of `family`, from the user's --engine, --device and --dtype."""
    if engine not in ENGINES:
        raise SummarizerError(f"unknown engine '{engine}'; use one of: {', '.join(ENGINES)}")
    if engine == TRANSFORMERS:
        return EngineChoice(TRANSFORMERS, "chosen explicitly")
    if engine == "auto" and _torch_int8_preferred(family, device, dtype):
        return EngineChoice(TRANSFORMERS, "int8 weights, every prompt of a folder in one batch")
    problem, choice = _ct2_choice(family, device, dtype, explicit=engine == CTRANSLATE2)
    if choice is not None:
        return choice
    if engine == CTRANSLATE2:
        raise SummarizerError(f"the ctranslate2 engine cannot be used: {problem}")
    return EngineChoice(TRANSFORMERS, problem)


def _torch_int8_preferred(family: str, device: str, dtype: str) -> bool:
    """True when torch with int8 weights runs `family` best here: the family says so for CPUs,
    the run is on the CPU and the CPU has bfloat16 matmuls (the int8 kernels feed on them)."""
    from summarizer.models.loading import cpu_supports_bf16

    if get_family(family).torch_cpu_auto_dtype != "int8" or DTYPE_ALIASES.get(dtype) not in ("auto", "int8"):
        return False
    if device == "cuda" or (device == "auto" and _cuda_usable()):
        return False
    return cpu_supports_bf16()


def _cuda_usable() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def _ct2_choice(family: str, device: str, dtype: str, *, explicit: bool) -> tuple[str, EngineChoice | None]:
    if not ctranslate2_importable():
        return f"ctranslate2 is not installed ({INSTALL_HINT})", None
    spec = get_family(family)
    if not spec.ct2:
        return f"it does not run {family} models", None
    ct2_device = _ct2_device(device)
    if ct2_device is None:
        return "it sees no CUDA GPU here", None
    if ct2_device not in spec.ct2_auto_devices and not explicit:
        return f"torch runs {family} models on {ct2_device}", None
    compute_type = _ct2_compute_type(ct2_device, dtype)
    if compute_type is None:
        return f"it does not support --dtype {dtype} on {ct2_device}", None
    return "", EngineChoice(CTRANSLATE2, "fastest available", ct2_device, compute_type)


def _ct2_device(device: str) -> str | None:
    import ctranslate2

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

    name = DTYPE_ALIASES.get(dtype)
    if name is None:
        raise SummarizerError(f"unknown dtype '{dtype}'; use one of: {', '.join(DTYPE_ALIASES)}")
    supported = ctranslate2.get_supported_compute_types(device)
    if name == "auto":
        wanted = AUTO_COMPUTE_TYPE[device]
        return wanted if wanted in supported else ("int8" if "int8" in supported else "float32")
    return name if name in supported else None
