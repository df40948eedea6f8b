"""Getting a model ready to run: fetched on first use when allowed, converted for its engine.

`ensure_installed` is what a run calls before it needs a registered model. A missing model is
fetched only when all of these hold: the network is allowed (no --offline, SUMMARIZE_OFFLINE or
HF_HUB_OFFLINE), and its licence allows commercial use (a non-commercial model is fetched only by
an explicit `summarize models pull NAME`, which shows the licence first). Otherwise, or when the
fetch fails, the run stops with one line naming the model and the ways on.
"""

from __future__ import annotations

import logging
from pathlib import Path

from summarizer.errors import ModelNotInstalledError
from summarizer.models.registry import REGISTRY, ModelSpec
from summarizer.models.store import ResolvedModel, is_installed, model_path, pull_model

log = logging.getLogger(__name__)


def ensure_installed(ref: str, models_dir: Path | None = None, *, offline: bool = False, progress: bool = True) -> None:
    """Make sure registered model `ref` is in the store, fetching it if policy allows.

    Local folders and the built-in extractive summarizer need nothing. Raises
    ModelNotInstalledError (one line, exit code 4) when the model cannot be had, ModelStoreError
    when the store cannot be used as it is (a link in the model's place, an unreadable folder).
    """
    from summarizer.models import hub

    spec = REGISTRY.get(ref)
    if spec is None or is_installed(spec.name, models_dir):
        return
    store = model_path(spec.name, models_dir).parent
    reason = hub.offline_reason(offline)
    if reason:
        raise ModelNotInstalledError(_missing(spec, store, f"offline mode is on ({reason})"))
    if not spec.commercial_use:
        raise ModelNotInstalledError(
            f"model '{spec.name}' is not installed in {store}; its licence ({spec.licence}) does not allow "
            f"commercial use, so it is never fetched automatically: read it and fetch the model with: "
            f"summarize models pull {spec.name}"
        )
    try:
        resolved = pull_model(spec.name, models_dir, progress=progress)
    except hub.HubError as error:
        raise ModelNotInstalledError(_missing(spec, store, f"fetching it failed: {error}")) from None
    prepare_for_engine(resolved)


def _missing(spec: ModelSpec, store: Path, why: str) -> str:
    ways = [f"copy a models/ folder holding {spec.name}/ from a connected machine to {store} (or pass --models-dir)"]
    if spec.task == "summarize":
        ways.append("brief without a model: --summarizer extractive")
    else:
        ways.append("brief from the Indonesian originals without translating: --lang id")
    ways.append(f"or, with network: summarize models pull {spec.name}")
    return f"model '{spec.name}' is not installed and {why}; ways on: " + "; ".join(ways)


def prepare_for_engine(resolved: ResolvedModel) -> Path | None:
    """Convert a model the default engine runs on CTranslate2 now, so the first run does not
    have to (and a copied store carries the conversion). Returns the converted folder, if any."""
    from summarizer.models.engines import CTRANSLATE2, choose_engine

    if resolved.spec is None or choose_engine(resolved.family).engine != CTRANSLATE2:
        return None
    from summarizer.models.ct2_convert import converted_dir

    log.info("converting %s for the CTranslate2 engine", resolved.name)
    return converted_dir(resolved, "int8")
