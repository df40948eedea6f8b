"""The briefing language: which language a briefing is written in, and what that implies.

Only languages whose citations the verifier can check against the sources are offered: English
(checked against the translations) and Indonesian (checked against the originals).
"""

from __future__ import annotations

from typing import Literal

from summarizer.errors import SummarizerError

BriefingLanguage = Literal["en", "id"]
SUPPORTED_LANGUAGES: tuple[BriefingLanguage, ...] = ("en", "id")


def needs_translation(lang: BriefingLanguage) -> bool:
    """Whether a briefing in `lang` is written from translations rather than the originals.

    The sources are Indonesian, so an English briefing reads their English translations; an
    Indonesian one reads the articles as written.
    """
    return lang == "en"


class UnsupportedLanguageError(SummarizerError):
    """A briefing language that is not offered (a usage error)."""

    def __init__(self, value: str) -> None:
        super().__init__(
            f"--lang {value!r} is not supported: briefings can be written in "
            f"{', '.join(SUPPORTED_LANGUAGES)} (the languages whose citations can be verified)"
        )


def parse_briefing_language(value: str) -> BriefingLanguage:
    """`value` as a briefing language, case-insensitively ("EN" → "en")."""
    lang = value.strip().lower()
    for supported in SUPPORTED_LANGUAGES:
        if lang == supported:
            return supported
    raise UnsupportedLanguageError(value)
