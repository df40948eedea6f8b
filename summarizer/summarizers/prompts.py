"""Prompt templates kept as files in the prompts folder (paths.prompts_dir()), filled strictly.

File format (also documented at the top of every prompt file):

* Lines starting with ``#`` before the first section marker are comments and are ignored.
* ``=== system ===`` starts the system part, ``=== user ===`` the user part; both are required.
* ``{name}`` is a placeholder; ``{{`` and ``}}`` stand for literal braces.

Filling is strict in both directions, so a prompt edited out of step with the code fails loudly
instead of sending a model a half-empty prompt: a placeholder the file uses but the caller did
not supply, or a value the caller supplied that the file never uses, is a PromptError naming it.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import PromptError
from summarizer.paths import prompts_dir

SECTION_MARKER = re.compile(r"^===\s*(system|user)\s*===\s*$", re.MULTILINE)
PLACEHOLDER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class PromptTemplate:
    """A prompt as read from its file: a system part and a user part with named placeholders."""

    name: str
    path: Path
    system: str
    user: str
    placeholders: frozenset[str]


@dataclass(frozen=True)
class FilledPrompt:
    """A prompt ready for a chat template."""

    system: str
    user: str

    def messages(self) -> list[dict[str, str]]:
        """The prompt as chat messages (the format tokenizer.apply_chat_template takes)."""
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]


def load_prompt(name: str, directory: Path | str | None = None) -> PromptTemplate:
    """Read ``<prompts dir>/<name>.txt``; a missing or malformed file is a PromptError."""
    path = prompts_dir(directory) / f"{name}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"prompt file {path} not found") from None
    system, user = _split_sections(text, path)
    placeholders = frozenset(_placeholders(system, path) | _placeholders(user, path))
    return PromptTemplate(name=name, path=path, system=system, user=user, placeholders=placeholders)


def fill_prompt(template: PromptTemplate, **values: object) -> FilledPrompt:
    """Fill every placeholder; missing or unused values are a PromptError naming them."""
    used = template.placeholders
    missing = sorted(used - values.keys())
    unused = sorted(values.keys() - used)
    if missing:
        raise PromptError(f"prompt {template.path} needs {_names(missing)} but the caller did not supply it")
    if unused:
        raise PromptError(f"prompt {template.path} does not use {_names(unused)} that the caller supplied")
    text_values = {key: str(value) for key, value in values.items()}
    return FilledPrompt(
        system=template.system.format_map(text_values),
        user=template.user.format_map(text_values),
    )


def render_prompt(name: str, directory: Path | str | None = None, **values: object) -> FilledPrompt:
    """Load and fill a prompt in one call."""
    return fill_prompt(load_prompt(name, directory), **values)


def _split_sections(text: str, path: Path) -> tuple[str, str]:
    markers = list(SECTION_MARKER.finditer(text))
    kinds = [m.group(1) for m in markers]
    if sorted(kinds) != ["system", "user"]:
        raise PromptError(f"prompt {path} must have exactly one '=== system ===' and one '=== user ===' line")
    preamble = text[: markers[0].start()]
    stray = [line for line in preamble.splitlines() if line.strip() and not line.startswith("#")]
    if stray:
        raise PromptError(f"prompt {path} has text before its first section: {stray[0]!r}")
    sections: dict[str, str] = {}
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        sections[marker.group(1)] = text[marker.end() : end].strip("\n")
    return sections["system"].strip(), sections["user"].strip()


def _placeholders(text: str, path: Path) -> set[str]:
    names: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:  # e.g. a single unmatched "{"
        raise PromptError(f"prompt {path} is malformed: {error} (write {{{{ for a literal brace)") from None
    for _literal, field_name, format_spec, conversion in parsed:
        if field_name is None:
            continue
        if not PLACEHOLDER_NAME.match(field_name) or format_spec or conversion:
            raise PromptError(f"prompt {path} has an invalid placeholder {{{field_name}}}")
        names.add(field_name)
    return names


def _names(names: list[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in names)
