"""``load_summarizer``: the summarizer for a name or model folder; ``supported_languages`` for
the --lang check. Implementations are imported only once one is picked."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.errors import SummarizerError
from summarizer.models.families import INPUT_LANGUAGES, expand_languages, get_family
from summarizer.models.registry import EXTRACTIVE

if TYPE_CHECKING:
    from summarizer.models.store import ResolvedModel
    from summarizer.summarizers.base import Summarizer
    from summarizer.summarizers.chat_engine import ChatEngine

log = logging.getLogger(__name__)


def load_summarizer(
    ref: str,
    *,
    models_dir: Path | str | None = None,
    device: str = "auto",
    dtype: str = "auto",
    engine: str = "auto",
) -> Summarizer:
    """The summarizer for ``ref``: EXTRACTIVE, a registry name or a local model folder.

    Models are loaded (once per process) through summarizer.models.loading; a missing or unknown
    model raises the loader's ModelError. A family CTranslate2 can run (a chat model) runs on it
    when ``engine`` allows (summarizer.models.engines), else on torch.
    """
    if ref == EXTRACTIVE:
        from summarizer.summarizers.extractive import ExtractiveSummarizer

        return ExtractiveSummarizer()
    from summarizer.models.store import resolve_model

    store = Path(models_dir) if models_dir else None
    resolved = resolve_model(ref, store)
    family = get_family(resolved.family)
    if family.summarizer == "chat":
        from summarizer.summarizers.chat import LlmSummarizer

        return LlmSummarizer(_chat_engine(resolved, ref, store, device=device, dtype=dtype, engine=engine))
    if family.summarizer == "seq2seq":
        from summarizer.models.loading import load_model
        from summarizer.summarizers.seq2seq import Seq2SeqSummarizer

        return Seq2SeqSummarizer(load_model(ref, models_dir=store, device=device, dtype=dtype))
    raise SummarizerError(
        f"model '{ref}' is a {family.name} model, which cannot summarize; "
        "use a summarization model (see: summarize models list)"
    )


def _chat_engine(
    resolved: ResolvedModel, ref: str, store: Path | None, *, device: str, dtype: str, engine: str
) -> ChatEngine:
    from summarizer.models.engines import CTRANSLATE2, choose_engine

    choice = choose_engine(resolved.family, device, dtype, engine)
    if choice.engine == CTRANSLATE2:
        from summarizer.summarizers.chat_ct2 import CT2Chat

        log.info("summarizer engine: ctranslate2 (%s on %s)", choice.compute_type, choice.device)
        return CT2Chat(resolved, device=choice.device or "cpu", compute_type=choice.compute_type or "int8")
    from summarizer.models.loading import load_model
    from summarizer.summarizers.chat_torch import TorchChat

    log.info("summarizer engine: transformers (%s)", choice.reason)
    return TorchChat(load_model(ref, models_dir=store, device=device, dtype=dtype))


def supported_languages(ref: str, *, models_dir: Path | str | None = None) -> tuple[str, ...]:
    """The languages ``ref`` can write a summary in (for the --lang check; loads no weights)."""
    if ref == EXTRACTIVE:
        return INPUT_LANGUAGES
    family, spec_languages = _family_and_languages(ref, models_dir)
    # A registry entry can say more than its family (never less).
    return expand_languages(get_family(family).summary_languages + spec_languages)


def _family_and_languages(ref: str, models_dir: Path | str | None) -> tuple[str, tuple[str, ...]]:
    from summarizer.models import registry

    if ref in registry.REGISTRY:
        spec = registry.get_spec(ref)
        return spec.family, spec.output_languages
    from summarizer.models.store import resolve_model

    resolved = resolve_model(ref, models_dir=Path(models_dir) if models_dir else None)
    return resolved.family, resolved.spec.output_languages if resolved.spec else ()
