"""Where files live: the only module that knows the default locations and their overrides.

Each location is resolved at call time (never at import), from an explicit argument, then an
environment variable, then the project default, so tests can point everything at a temp folder.
"""

from __future__ import annotations

import os
from pathlib import Path

MODELS_ENV = "SUMMARIZE_MODELS_DIR"
OUTPUTS_ENV = "SUMMARIZE_OUTPUT_DIR"
PROMPTS_ENV = "SUMMARIZE_PROMPTS_DIR"

# The checkout root: summarizer/ sits directly inside it.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _resolve(explicit: Path | str | None, env_name: str, default: Path) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(env_name)
    if from_env:
        return Path(from_env).expanduser()
    return default


def models_dir(explicit: Path | str | None = None) -> Path:
    """The local model store (default `models/` in the project)."""
    return _resolve(explicit, MODELS_ENV, PROJECT_ROOT / "models")


def outputs_dir(explicit: Path | str | None = None) -> Path:
    """The root under which `<folder name>/` outputs are written (default `outputs/`)."""
    return _resolve(explicit, OUTPUTS_ENV, PROJECT_ROOT / "outputs")


def prompts_dir(explicit: Path | str | None = None) -> Path:
    """The folder of prompt templates (default `prompts/` in the project)."""
    return _resolve(explicit, PROMPTS_ENV, PROJECT_ROOT / "prompts")
