"""Where files live: the only module that knows the default locations and their overrides.

Each location is resolved at call time (never at import), from an explicit argument, then an
environment variable, then the default, so tests can point everything at a temp folder.

The defaults depend on how the package is installed. Run from a checkout of the project (an
editable install, or `python -m summarizer` in the repository), models and outputs live in the
checkout's `models/` and `outputs/`, as they always have. Installed as a wheel (pip, pipx, uv
tool), the package sits in site-packages, which a reinstall wipes: models then go to the
per-user data directory and outputs to `./outputs/` in the current directory.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MODELS_ENV = "SUMMARIZE_MODELS_DIR"
OUTPUTS_ENV = "SUMMARIZE_OUTPUT_DIR"
PROMPTS_ENV = "SUMMARIZE_PROMPTS_DIR"

DISTRIBUTION_NAME = "summarize-news-id"
APP_NAME = "summarize"

# summarizer/ sits directly inside the checkout root (when there is a checkout).
PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_CANDIDATE = PACKAGE_DIR.parent
# The prompts a wheel carries: the build copies the checkout's top-level prompts/ here.
PACKAGED_PROMPTS = PACKAGE_DIR / "_prompts"

_PROJECT_NAME = re.compile(r'^name\s*=\s*"' + re.escape(DISTRIBUTION_NAME) + r'"\s*$', re.MULTILINE)


def checkout_root() -> Path | None:
    """The project checkout this package is running from, or None for an installed wheel.

    A checkout is recognised by its pyproject.toml naming this project and its prompts/ folder
    beside the package; site-packages has neither.
    """
    pyproject = _CHECKOUT_CANDIDATE / "pyproject.toml"
    if not (_CHECKOUT_CANDIDATE / "prompts").is_dir() or not pyproject.is_file():
        return None
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return None
    return _CHECKOUT_CANDIDATE if _PROJECT_NAME.search(text) else None


def _resolve(explicit: Path | str | None, env_name: str, default: Path) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(env_name)
    if from_env:
        return Path(from_env).expanduser()
    return default


def default_models_dir() -> Path:
    """`models/` in a checkout, else the per-user data directory (survives reinstalls)."""
    root = checkout_root()
    if root is not None:
        return root / "models"
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "models"


def default_outputs_dir() -> Path:
    """`outputs/` in a checkout, else `outputs/` in the current directory."""
    root = checkout_root()
    return root / "outputs" if root is not None else Path.cwd() / "outputs"


def models_dir(explicit: Path | str | None = None) -> Path:
    """The local model store (see default_models_dir; env SUMMARIZE_MODELS_DIR)."""
    return _resolve(explicit, MODELS_ENV, default_models_dir())


def outputs_dir(explicit: Path | str | None = None) -> Path:
    """The root under which `<folder name>/` outputs are written (env SUMMARIZE_OUTPUT_DIR)."""
    return _resolve(explicit, OUTPUTS_ENV, default_outputs_dir())


def prompts_dir(explicit: Path | str | None = None) -> Path:
    """The folder of prompt templates: the checkout's `prompts/`, else the copy inside the package."""
    root = checkout_root()
    return _resolve(explicit, PROMPTS_ENV, root / "prompts" if root is not None else PACKAGED_PROMPTS)


def check_utf8_path(path: Path | str, option: str) -> None:
    """Refuse (one line) a folder given by `option` whose name is not valid UTF-8: it is recorded
    in the state database and in briefing.json, which hold UTF-8 text only."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        from summarizer.errors import SummarizerError

        shown = os.fsencode(text).decode("utf-8", "backslashreplace")
        raise SummarizerError(
            f"{option}: the folder name {shown} is not valid UTF-8; rename it or choose another"
        ) from None
