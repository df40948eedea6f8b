"""summarize: a folder of Indonesian news articles → a cited English briefing, with local models.

The public API, documented in the README:

- `load_folder(path)`: read, clean, segment and de-duplicate one story folder (no model).
- `brief(folder, options)`: the briefing record of one story folder, computed without writing.
- `run_batch(paths, options, outputs_root)`: what `summarize FOLDER...` does.
- `RunOptions`: the settings of a run (language, models, engine, device, ...).

Importing the package does no work: each name is imported on first use, and models, files and
databases are touched only when a function that needs them is called.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from summarizer._version import __version__

_PUBLIC = {
    "load_folder": "summarizer.ingest.folder",
    "brief": "summarizer.run.pipeline",
    "run_batch": "summarizer.run.batch",
    "RunOptions": "summarizer.run.pipeline",
}

__all__ = ["__version__", "load_folder", "brief", "run_batch", "RunOptions"]

if TYPE_CHECKING:
    from summarizer.ingest.folder import load_folder
    from summarizer.run.batch import run_batch
    from summarizer.run.pipeline import RunOptions, brief


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
