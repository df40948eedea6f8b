"""The wheel: what `pip install .`, `pipx install .` and `uv tool install .` put in site-packages
works from any directory (prompts inside the package, models in the user data folder, outputs in
./outputs), and a checkout keeps its own models/, outputs/ and prompts/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from summarizer import paths

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built as pip builds it and unpacked as pip installs it."""
    dist = tmp_path_factory.mktemp("dist")
    # Built from a copy, so the build's scratch folders never land in the checkout.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("summarizer", "prompts"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "_prompts"))
    # --no-build-isolation: use the setuptools already installed rather than fetch one.
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("summarize_news_id-*.whl")
    site = tmp_path_factory.mktemp("site-packages")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def run_installed(site: Path, cwd: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SUMMARIZE_")}
    env.update(PYTHONPATH=str(site), XDG_DATA_HOME=str(cwd / "xdg"), HF_ENDPOINT="http://127.0.0.1:9")
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "summarizer", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_wheel_carries_the_prompts_and_its_own_name(installed_wheel: Path) -> None:
    shipped = installed_wheel / "summarizer" / "_prompts"
    for template in (ROOT / "prompts").glob("*.txt"):
        assert (shipped / template.name).read_text(encoding="utf-8") == template.read_text(encoding="utf-8")
    (metadata,) = installed_wheel.glob("summarize_news_id-*.dist-info/METADATA")
    text = metadata.read_text(encoding="utf-8")
    assert "Name: summarize-news-id" in text
    assert "Requires-Python: <3.14,>=3.11" in text


def test_installed_package_puts_files_in_user_places(installed_wheel: Path, tmp_path: Path) -> None:
    code = (
        "from summarizer import paths; import summarizer.summarizers.prompts as p;"
        "print(paths.checkout_root()); print(paths.models_dir()); print(paths.outputs_dir());"
        "print(paths.prompts_dir()); print(p.load_prompt('article_summary').path)"
    )
    result = run_installed(installed_wheel, tmp_path, code=code)
    assert result.returncode == 0, result.stderr
    root, models, outputs, prompts, prompt = result.stdout.splitlines()
    assert root == "None"
    assert models == str(tmp_path / "xdg" / "summarize" / "models")
    assert outputs == str(tmp_path / "outputs")
    assert prompts == str(installed_wheel / "summarizer" / "_prompts")
    assert prompt == str(installed_wheel / "summarizer" / "_prompts" / "article_summary.txt")


def test_installed_package_briefs_from_another_directory(
    installed_wheel: Path, seeds_dir: Path, tmp_path: Path
) -> None:
    result = run_installed(
        installed_wheel, tmp_path, str(seeds_dir), "--lang", "id", "--summarizer", "extractive", "-q"
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "outputs" / "seeds" / "briefing.md").is_file()
    assert not (installed_wheel / "outputs").exists()  # nothing written inside site-packages
    listing = run_installed(installed_wheel, tmp_path, "models", "list")
    assert listing.stdout.splitlines()[0] == f"models in {tmp_path / 'xdg' / 'summarize' / 'models'}"


def test_a_checkout_keeps_its_own_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (paths.MODELS_ENV, paths.OUTPUTS_ENV, paths.PROMPTS_ENV):
        monkeypatch.delenv(name, raising=False)
    assert paths.checkout_root() == ROOT
    assert paths.models_dir() == ROOT / "models"
    assert paths.outputs_dir() == ROOT / "outputs"
    assert paths.prompts_dir() == ROOT / "prompts"


def test_overrides_win_over_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.MODELS_ENV, str(tmp_path / "m"))
    assert paths.models_dir() == tmp_path / "m"
    assert paths.models_dir(tmp_path / "explicit") == tmp_path / "explicit"
    monkeypatch.setenv(paths.OUTPUTS_ENV, str(tmp_path / "o"))
    assert paths.outputs_dir() == tmp_path / "o"
