"""The model registry: every model the tool knows by a short name, with where it comes from.

Facts (sizes, licences, limits) are those of each model's card on the Hugging Face Hub. Revisions
are the Hub commit ids found cited for each repo; a spec whose revision is "main" is unpinned (no verified
commit id was found) and `ModelSpec.pinned` says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.errors import UnknownModelError, printable
from summarizer.models.families import FAMILIES, QWEN2_LANGUAGES, SAME_AS_INPUT, TASKS, Task

__all__ = [
    "DEFAULT_SUMMARIZER",
    "DEFAULT_TRANSLATOR",
    "EXTRACTIVE",
    "FAMILIES",
    "REGISTRY",
    "TASKS",
    "ModelSpec",
    "default_model",
    "get_spec",
    "models_for_task",
]

# The built-in summarizer that needs no model files (not a registry entry: nothing to pull).
EXTRACTIVE = "extractive"

_COMMIT_ID = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class ModelSpec:
    """One registered model: where to get it and what it can do."""

    name: str  # short name used on the command line, e.g. "opus-mt-id-en"
    repo_id: str  # Hugging Face repo, e.g. "Helsinki-NLP/opus-mt-id-en"
    revision: str  # pinned 40-hex commit, or "main" when no verified commit was found
    task: Task
    family: str  # a key of summarizer.models.families.FAMILY_TABLE
    licence: str
    commercial_use: bool
    download_bytes: int  # approximate download size of the files pull_model fetches
    params: int
    default: bool
    max_input_tokens: int  # hard or quality limit on input length, in tokens
    # Languages it can WRITE: ("en",) for English-only models, (SAME_AS_INPUT,) = the input language.
    output_languages: tuple[str, ...]
    note: str = ""

    @property
    def pinned(self) -> bool:
        """True when the revision is an exact commit id rather than a moving branch."""
        return bool(_COMMIT_ID.fullmatch(self.revision))


_SPECS = (
    ModelSpec(
        name="opus-mt-id-en",
        repo_id="Helsinki-NLP/opus-mt-id-en",
        revision="main",
        task="translate",
        family="marian",
        licence="Apache-2.0",
        commercial_use=True,
        download_bytes=300_000_000,
        params=72_718_336,
        default=True,
        max_input_tokens=512,  # hard limit: IndexError above 512 positions
        output_languages=("en",),
        note="Fast CPU default; split long text into sentences (hallucinates on noisy input).",
    ),
    ModelSpec(
        name="nllb-200-distilled-600M",
        repo_id="facebook/nllb-200-distilled-600M",
        revision="716b434935682cabef30af23dc1128d84b9003d2",
        task="translate",
        family="nllb",
        licence="CC-BY-NC-4.0",
        commercial_use=False,
        download_bytes=2_480_000_000,
        params=615_073_792,
        default=False,
        max_input_tokens=512,  # trained on <=512 tokens; longer input degrades quality
        # Covers ~200 languages; listed are the ones this tool can ask for.
        output_languages=("en", "id"),
        note="Non-commercial licence (CC-BY-NC-4.0): not for commercial use. Better quality than opus-mt.",
    ),
    ModelSpec(
        name="m2m100-418m",
        repo_id="facebook/m2m100_418M",
        revision="55c2e61bbf05dfb8d7abccdc3fae6fc8512fd636",
        task="translate",
        family="m2m100",
        licence="MIT",
        commercial_use=True,
        download_bytes=1_940_000_000,
        params=483_905_536,
        default=False,
        max_input_tokens=512,
        # Covers 100 languages; listed are the ones this tool can ask for.
        output_languages=("en", "id"),
        note="Permissive multilingual alternative; about as accurate as opus-mt for id->en.",
    ),
    ModelSpec(
        name="qwen2.5-1.5b-instruct",
        repo_id="Qwen/Qwen2.5-1.5B-Instruct",
        revision="989aa7980e4cf806f80c7fef2b1adb7bc71aa306",
        task="summarize",
        family="qwen2",
        licence="Apache-2.0",
        commercial_use=True,
        download_bytes=3_090_000_000,
        params=1_543_714_304,
        default=True,
        max_input_tokens=32768,
        output_languages=QWEN2_LANGUAGES,
        note="Instruction model: follows the briefing prompt and can cite sources.",
    ),
    ModelSpec(
        name="qwen2.5-0.5b-instruct",
        repo_id="Qwen/Qwen2.5-0.5B-Instruct",
        revision="7ae557604adf67be50417f59c2c2f167def9a775",
        task="summarize",
        family="qwen2",
        licence="Apache-2.0",
        commercial_use=True,
        download_bytes=990_000_000,
        params=494_032_768,
        default=False,
        max_input_tokens=32768,
        output_languages=QWEN2_LANGUAGES,
        note="Smaller, faster Qwen; weaker at following long prompts.",
    ),
    ModelSpec(
        name="mt5-xlsum",
        repo_id="csebuetnlp/mT5_multilingual_XLSum",
        # The snapshot commit found in many users' HF caches (models--csebuetnlp--mT5_multilingual_XLSum).
        revision="2437a524effdbadc327ced84595508f1e32025b3",
        task="summarize",
        family="mt5",
        licence="CC-BY-NC-SA-4.0",
        commercial_use=False,
        download_bytes=2_330_000_000,
        params=582_401_280,
        default=False,
        max_input_tokens=512,
        output_languages=(SAME_AS_INPUT,),
        note="Non-commercial licence (CC-BY-NC-SA-4.0). Writes 1-2 sentences in the INPUT language only.",
    ),
    ModelSpec(
        name="distilbart-cnn-12-6",
        repo_id="sshleifer/distilbart-cnn-12-6",
        # transformers' own pipeline default pins a4f8f3e; this is its full id (HF cache snapshots).
        revision="a4f8f3ea906ed274767e9906dbaede7531d660ff",
        task="summarize",
        family="bart",
        licence="Apache-2.0",
        commercial_use=True,
        download_bytes=1_230_000_000,
        params=305_510_400,
        default=False,
        max_input_tokens=1024,  # hard limit: IndexError above 1024 positions
        output_languages=("en",),
        note="English news summarizer: run it on the English translation.",
    ),
)

REGISTRY: dict[str, ModelSpec] = {spec.name: spec for spec in _SPECS}


def get_spec(name: str) -> ModelSpec:
    """The registered model called `name`; UnknownModelError listing the valid names otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        valid = ", ".join(REGISTRY)
        raise UnknownModelError(f"unknown model '{printable(name)}'; known models: {valid}") from None


def default_model(task: Task) -> ModelSpec:
    """The default model for a task ("translate" or "summarize")."""
    for spec in REGISTRY.values():
        if spec.task == task and spec.default:
            return spec
    raise ValueError(f"no default model for task {task!r}; tasks are {TASKS}")


def models_for_task(task: Task) -> list[ModelSpec]:
    """Registered models for a task, default first."""
    specs = [spec for spec in REGISTRY.values() if spec.task == task]
    return sorted(specs, key=lambda spec: not spec.default)


# The models a run uses unless told otherwise (the registry entries marked default).
DEFAULT_TRANSLATOR: str = default_model("translate").name
DEFAULT_SUMMARIZER: str = default_model("summarize").name
