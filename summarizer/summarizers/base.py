"""The summarizer interface: what every summarizer takes and returns.

Implementations: extractive.py (model-free; knows exactly which sentence ids every output
sentence comes from), chat.py (chat models prompted to cite sources with ``[n]`` markers that
the briefing stage verifies) and seq2seq.py (mT5-XLSum, distilBART: cannot cite, so the briefing
stage cites post hoc). factory.py's ``load_summarizer`` picks one. Long input is never
truncated: it is summarized in parts and the parts combined, and the ArticleSummary says so
(``parts`` > 1 and a note).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from summarizer.document import ArticleSummary


@dataclass
class SummaryInput:
    """One article as the summarizer sees it, in the language being summarized."""

    article_id: str
    number: int  # the article's source number [n] in the briefing
    title: str | None
    outlet: str | None
    date: str | None
    # (sentence id, text) in the language being summarized: English translations for
    # --lang en, originals for --lang id.
    sentences: list[tuple[str, str]]


@dataclass
class DraftSentence:
    text: str  # one sentence, citation markers stripped
    sources: list[int]  # [n] numbers the model put after it (may be empty or wrong)
    # Sentence ids, when the summarizer knows them exactly (extractive).
    cites: list[str] = field(default_factory=list)


@dataclass
class BriefingDraft:
    title: str
    sentences: list[DraftSentence]
    model: str
    notes: list[str] = field(default_factory=list)


class Summarizer(Protocol):
    name: str
    revision: str | None

    def summarize(self, inputs: list[SummaryInput], language: str) -> list[ArticleSummary]: ...

    def draft_briefing(
        self, inputs: list[SummaryInput], summaries: list[ArticleSummary], language: str
    ) -> BriefingDraft: ...
