"""Summarizers behind one interface: per-article summaries and a draft multi-source briefing.

Three kinds, chosen by ``load_summarizer(ref)``:

* ``"extractive"``: model-free; picks sentences from the articles and knows exactly which
  sentence ids every output sentence comes from (summarizers/extractive.py).
* qwen2 chat models: prompted through the chat template; cite sources with ``[n]`` markers
  that the briefing stage must verify (summarizers/llm.py).
* mT5-XLSum and distilBART: seq2seq summarizers with their published generation settings;
  they cannot cite, so the briefing stage cites post hoc (summarizers/seq2seq.py).

Long input is never truncated: it is summarized in parts and the parts combined, and the
ArticleSummary says so (``parts`` > 1 and a note).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from summarizer.document import ArticleSummary
from summarizer.errors import SummarizerError

if TYPE_CHECKING:
    from summarizer.translate.ct2 import EngineChoice

log = logging.getLogger(__name__)

EXTRACTIVE = "extractive"

# Languages Qwen2.5 documents support for (model card: "over 29 languages"), plus Indonesian
# and Malay, which its multilingual pre-training covers and this project needs.
QWEN2_LANGUAGES: tuple[str, ...] = (
    "en", "id", "ms", "zh", "fr", "es", "pt", "de", "it", "ru", "ja", "ko", "vi", "th", "ar",
    "nl", "pl", "tr", "cs", "sv", "fi", "da", "no", "hu", "ro", "el", "he", "uk", "hi", "bn",
    "ur", "fa", "tl",
)  # fmt: skip

# What "any language its input already is" means for the model-free summarizer and mT5-XLSum:
# the --lang check only lets through languages the pipeline can feed them (English
# translations or Indonesian originals).
INPUT_LANGUAGES: tuple[str, ...] = ("en", "id")

# What each model family can write when nothing more specific is known (a local model folder).
FAMILY_LANGUAGES: dict[str, tuple[str, ...]] = {
    "qwen2": QWEN2_LANGUAGES,
    "mt5": INPUT_LANGUAGES,  # mT5-XLSum writes the language of its input only
    "bart": ("en",),  # distilBART-CNN: English news only
}


@dataclass
class SummaryInput:
    """One article as the summarizer sees it, in the language being summarized."""

    article_id: str
    number: int  # the article's source number [n] in the briefing
    title: str | None
    outlet: str | None
    date: str | None
    # (sentence id, text) in the language being summarized: English translations for
    # --lang en, originals for --lang id.
    sentences: list[tuple[str, str]]


@dataclass
class DraftSentence:
    text: str  # one sentence, citation markers stripped
    sources: list[int]  # [n] numbers the model put after it (may be empty or wrong)
    # Sentence ids, when the summarizer knows them exactly (extractive).
    cites: list[str] = field(default_factory=list)


@dataclass
class BriefingDraft:
    title: str
    sentences: list[DraftSentence]
    model: str
    notes: list[str] = field(default_factory=list)


class Summarizer(Protocol):
    name: str
    revision: str | None

    def summarize(self, inputs: list[SummaryInput], language: str) -> list[ArticleSummary]: ...

    def draft_briefing(
        self, inputs: list[SummaryInput], summaries: list[ArticleSummary], language: str
    ) -> BriefingDraft: ...


def load_summarizer(
    ref: str,
    *,
    models_dir: Path | str | None = None,
    device: str = "auto",
    dtype: str = "auto",
    engine: str = "auto",
) -> Summarizer:
    """The summarizer for ``ref``: "extractive", a registry name or a local model folder.

    Models are loaded (once per process) through summarizer.models.loading; a missing or unknown
    model raises the loader's ModelError. A qwen2 chat model runs on CTranslate2 when
    ``engine`` allows it (see choose_llm_engine), else on torch.
    """
    if ref == EXTRACTIVE:
        from summarizer.summarizers.extractive import ExtractiveSummarizer

        return ExtractiveSummarizer()
    from summarizer.models.loading import load_model
    from summarizer.models.store import resolve_model

    resolved = resolve_model(ref, Path(models_dir) if models_dir else None)
    if resolved.family == "qwen2":
        choice = choose_llm_engine(device, dtype, engine)
        if choice.engine == "ctranslate2":
            from summarizer.summarizers.chat import LlmSummarizer
            from summarizer.summarizers.chat_ct2 import CT2Chat

            log.info("summarizer engine: ctranslate2 (%s on %s)", choice.compute_type, choice.device)
            return LlmSummarizer(
                CT2Chat(resolved, device=choice.device or "cpu", compute_type=choice.compute_type or "int8")
            )
        log.info("summarizer engine: transformers (%s)", choice.reason)
    loaded = load_model(ref, models_dir=Path(models_dir) if models_dir else None, device=device, dtype=dtype)
    if loaded.family == "qwen2":
        from summarizer.summarizers.chat import LlmSummarizer

        return LlmSummarizer(loaded)
    if loaded.family in ("mt5", "bart"):
        from summarizer.summarizers.seq2seq import Seq2SeqSummarizer

        return Seq2SeqSummarizer(loaded)
    raise SummarizerError(
        f"model '{ref}' is a {loaded.family} model, which cannot summarize; "
        "use a summarization model (see: summarize models list)"
    )


def choose_llm_engine(device: str = "auto", dtype: str = "auto", engine: str = "auto") -> EngineChoice:
    """The engine for a qwen2 chat model: "auto" takes CTranslate2 when it is installed and the
    model runs on the CPU (int8 weights halve the bytes every new token reads; on a GPU torch is
    kept), else transformers; "ctranslate2" refuses what it cannot do instead of falling back."""
    from summarizer.translate.ct2 import (
        ENGINES,
        INSTALL_HINT,
        EngineChoice,
        _ct2_compute_type,
        _ct2_device,
        ctranslate2_importable,
    )

    if engine not in ENGINES:
        raise SummarizerError(f"unknown engine '{engine}'; use one of: {', '.join(ENGINES)}")
    if engine == "transformers":
        return EngineChoice("transformers", "chosen explicitly")
    problem = ""
    if not ctranslate2_importable():
        problem = f"ctranslate2 is not installed ({INSTALL_HINT})"
    elif (ct2_device := _ct2_device(device)) is None:
        problem = "it sees no CUDA GPU here"
    elif ct2_device != "cpu" and engine == "auto":
        problem = "torch runs chat models on a GPU"
    elif (compute_type := _ct2_compute_type(ct2_device, dtype)) is None:
        problem = f"it does not support --dtype {dtype} on {ct2_device}"
    else:
        return EngineChoice("ctranslate2", "fastest available", ct2_device, compute_type)
    if engine == "ctranslate2":
        raise SummarizerError(f"the ctranslate2 engine cannot be used: {problem}")
    return EngineChoice("transformers", problem)


def supported_languages(ref: str, *, models_dir: Path | str | None = None) -> tuple[str, ...]:
    """The languages ``ref`` can write a summary in (for the --lang check; loads no weights)."""
    if ref == EXTRACTIVE:
        return INPUT_LANGUAGES
    family, spec_languages = _family_and_languages(ref, models_dir)
    languages = FAMILY_LANGUAGES.get(family, ())
    for language in spec_languages:
        # "same" in a registry spec means: the input language only (mT5-XLSum).
        expanded = INPUT_LANGUAGES if language == "same" else (language,)
        languages += tuple(code for code in expanded if code not in languages)
    return languages


def _family_and_languages(ref: str, models_dir: Path | str | None) -> tuple[str, tuple[str, ...]]:
    from summarizer.models import registry

    if ref in registry.REGISTRY:
        spec = registry.get_spec(ref)
        return spec.family, spec.output_languages
    from summarizer.models.store import resolve_model

    resolved = resolve_model(ref, models_dir=Path(models_dir) if models_dir else None)
    return resolved.family, resolved.spec.output_languages if resolved.spec else ()
