"""`load_translator`: the translator for a model, on the engine chosen for it.

The engines are imported only once one is picked, so importing this module stays instant.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from summarizer.translate.base import Translator

log = logging.getLogger(__name__)


def load_translator(
    ref: str,
    *,
    models_dir: Path | None = None,
    device: str = "auto",
    dtype: str = "auto",
    engine: str = "auto",
) -> Translator:
    """The translator for model `ref` on the engine summarizer.models.engines chooses: "auto"
    runs CTranslate2 when it is installed and can run the model, else transformers."""
    from summarizer.models.engines import CTRANSLATE2, choose_engine
    from summarizer.models.store import resolve_model

    resolved = resolve_model(ref, models_dir)
    choice = choose_engine(resolved.family, device, dtype, engine)
    if choice.engine == CTRANSLATE2:
        from summarizer.translate.ct2 import CT2Translator

        log.info("translation engine: ctranslate2 (%s on %s)", choice.compute_type, choice.device)
        return CT2Translator(resolved, device=choice.device or "cpu", compute_type=choice.compute_type or "int8")
    from summarizer.models.loading import load_model
    from summarizer.translate.hf import HFTranslator

    log.info("translation engine: transformers (%s)", choice.reason)
    return HFTranslator(load_model(ref, models_dir=models_dir, device=device, dtype=dtype))
