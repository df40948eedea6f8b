"""The briefing record: everything one folder's briefing produced, computed once, for every writer.

`summarizer.run.pipeline.brief` returns it without touching the disk; each output format only
formats it. The sentence lookups are built once, here, so no writer rebuilds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from summarizer.briefing.compose import Briefing
from summarizer.briefing.sources import SourceNumbering
from summarizer.document import ArticleSummary, ArticleTranslation, Folder, TranslatedSentence
from summarizer.lang import BriefingLanguage


@dataclass
class ModelInfo:
    role: str  # "translator" | "summarizer"
    name: str  # registry name or local path
    revision: str | None


@dataclass
class RunFlag:
    """A flag raised outside the translation (which keeps its own per-sentence flags)."""

    where: str  # sentence id, article id, or "" for the whole run
    code: str
    detail: str


@dataclass
class BriefingRecord:
    """One folder's briefing and everything behind it, as the writers need it."""

    folder: Folder  # every article read, including those not briefed (see `flags`)
    language: BriefingLanguage
    sources: SourceNumbering  # of the briefed articles
    translations: list[ArticleTranslation]
    summaries: list[ArticleSummary]
    briefing: Briefing
    models: list[ModelInfo] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    flags: list[RunFlag] = field(default_factory=list)
    translation_cache_hits: int = 0  # sentences whose translation came from the cache in this run
    summaries_cached: int = 0  # article summaries taken from the cache in this run
    # Lookups by sentence id and article id, derived from the fields above.
    originals: dict[str, str] = field(init=False)
    translated: dict[str, TranslatedSentence] = field(init=False)
    summary_of: dict[str, ArticleSummary] = field(init=False)

    def __post_init__(self) -> None:
        self.originals = {s.id: s.text for a in self.folder.articles for s in a.sentences()}
        self.translated = {s.id: s for t in self.translations for s in t.sentences}
        self.summary_of = {s.article_id: s for s in self.summaries}
