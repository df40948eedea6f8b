"""Build hook: ship the top-level prompts/ folder inside the wheel as summarizer/_prompts/.

prompts/ stays where users edit it (the top of the checkout, the single source of truth); an
installed package finds its copy through summarizer.paths.prompts_dir(). Everything else about
the build is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithPrompts(build_py):
    def run(self) -> None:
        super().run()
        source = HERE / "prompts"
        templates = sorted(source.glob("*.txt"))
        if not templates:
            raise SystemExit(f"no prompt templates in {source}: the package cannot summarize without them")
        target = Path(self.build_lib) / "summarizer" / "_prompts"
        target.mkdir(parents=True, exist_ok=True)
        for template in templates:
            shutil.copy2(template, target / template.name)


setup(cmdclass={"build_py": BuildPyWithPrompts})
