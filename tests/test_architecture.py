"""The package's shape: no import cycles between its modules, and importing it does no heavy work."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "summarizer"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported_modules(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every package module that `path` imports, at the top or inside a function (a cycle through a
    function-level import is still a cycle: it only moves the failure to run time)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from summarizer.models import registry` imports the module summarizer.models.registry.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name in modules}


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: imported_modules(path, modules) - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_cycle_through_three_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 30, "the package's modules were not found"
    assert cycles(graph) == []


def test_importing_the_package_and_cli_loads_no_model_library() -> None:
    code = (
        "import sys, summarizer, summarizer.cli\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'ctranslate2', 'trafilatura') if m in sys.modules)\n"
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_the_public_api_is_importable_from_the_package() -> None:
    import summarizer
    from summarizer.ingest.folder import load_folder
    from summarizer.run.batch import run_batch
    from summarizer.run.pipeline import RunOptions

    assert summarizer.load_folder is load_folder
    assert summarizer.run_batch is run_batch
    assert summarizer.RunOptions is RunOptions
    assert callable(summarizer.brief)
    assert set(summarizer.__all__) >= {"load_folder", "brief", "run_batch", "RunOptions"}


def test_the_readme_python_example_runs(tmp_path: Path) -> None:
    """The README's library example is real code: it runs as written, without any model."""
    import re
    import shutil

    root = PACKAGE.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Using it from Python") :]
    example = re.search(r"```python\n(.*?)```", section, re.S)
    assert example is not None
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    done = subprocess.run(
        [sys.executable, "-c", example.group(1)], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "{'briefed': 1, 'unchanged': 0, 'failed': 0}" in done.stdout
    assert (tmp_path / "outputs" / "seeds" / "briefing.md").is_file()
