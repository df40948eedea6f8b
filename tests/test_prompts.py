from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.errors import PromptError
from summarizer.summarizers.prompts import fill_prompt, load_prompt, render_prompt

SHIPPED = {
    "article_summary": {"article", "language_name"},
    "article_part": {"article", "part", "parts", "language_name"},
    "article_combine": {"title", "part_summaries", "parts", "language_name"},
    "briefing": {"sources", "source_numbers", "language_name"},
    "briefing_combine": {"partial_briefings", "parts", "source_numbers", "language_name"},
}
# The placeholder carrying the input in each shipped prompt (it must come before the instructions).
INPUT_PLACEHOLDER = {
    "article_summary": "{article}",
    "article_part": "{article}",
    "article_combine": "{part_summaries}",
    "briefing": "{sources}",
    "briefing_combine": "{partial_briefings}",
}


def write_prompt(directory: Path, name: str, body: str) -> None:
    (directory / f"{name}.txt").write_text(body, encoding="utf-8")


@pytest.fixture
def prompt_dir(tmp_path: Path) -> Path:
    write_prompt(
        tmp_path,
        "demo",
        "# a comment about the file\n=== system ===\nYou are {role}.\n"
        "=== user ===\n{text}\n\nKeep {{braces}} and summarize in {language_name}.\n",
    )
    return tmp_path


def test_fill_replaces_every_placeholder_and_keeps_literal_braces(prompt_dir: Path) -> None:
    filled = render_prompt("demo", prompt_dir, role="an editor", text="Body.", language_name="English")
    assert filled.system == "You are an editor."
    assert filled.user == "Body.\n\nKeep {braces} and summarize in English."
    assert filled.messages() == [
        {"role": "system", "content": "You are an editor."},
        {"role": "user", "content": filled.user},
    ]


def test_missing_placeholder_is_a_prompt_error_naming_it(prompt_dir: Path) -> None:
    template = load_prompt("demo", prompt_dir)
    with pytest.raises(PromptError, match=r"\{language_name\}") as caught:
        fill_prompt(template, role="x", text="y")
    assert "\n" not in str(caught.value)


def test_unknown_value_is_a_prompt_error_naming_it(prompt_dir: Path) -> None:
    template = load_prompt("demo", prompt_dir)
    with pytest.raises(PromptError, match=r"does not use \{tone\}"):
        fill_prompt(template, role="x", text="y", language_name="English", tone="warm")


def test_missing_file_and_missing_section_are_prompt_errors(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="not found"):
        load_prompt("absent", tmp_path)
    write_prompt(tmp_path, "half", "=== user ===\n{text}\n")
    with pytest.raises(PromptError, match="system"):
        load_prompt("half", tmp_path)


def test_text_before_first_section_and_bad_placeholders_are_rejected(tmp_path: Path) -> None:
    write_prompt(tmp_path, "stray", "forgot the hash\n=== system ===\nx\n=== user ===\ny\n")
    with pytest.raises(PromptError, match="before its first section"):
        load_prompt("stray", tmp_path)
    write_prompt(tmp_path, "attr", "=== system ===\n{a.b}\n=== user ===\ny\n")
    with pytest.raises(PromptError, match="invalid placeholder"):
        load_prompt("attr", tmp_path)
    write_prompt(tmp_path, "brace", "=== system ===\nx {\n=== user ===\ny\n")
    with pytest.raises(PromptError, match="malformed"):
        load_prompt("brace", tmp_path)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_prompts_declare_the_placeholders_the_code_fills(name: str) -> None:
    template = load_prompt(name)
    assert template.placeholders == SHIPPED[name]
    assert template.system and template.user


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_prompts_put_the_input_before_the_instructions(name: str) -> None:
    user = load_prompt(name).user
    assert user.startswith(INPUT_PLACEHOLDER[name]) or user.index(INPUT_PLACEHOLDER[name]) < user.index("---")


def test_briefing_prompt_asks_for_title_ordering_and_citations() -> None:
    user = load_prompt("briefing").user.lower()
    assert "title" in user
    assert "more sources" in user
    assert "[1][3]" in user
    assert "quotation marks" in user
