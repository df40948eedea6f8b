"""Seq2seq summarizers (mT5-XLSum, distilBART-CNN) with their published generation settings.

These models take a fixed input window (512 tokens mT5, 1024 BART) and cannot cite sources.
Input longer than the window is cut at sentence boundaries into parts, every part is summarized,
and the part summaries are summarized again until one text remains; nothing is truncated.
The briefing draft summarizes the per-article summaries the same way and carries no citations:
the briefing stage attaches them afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summarizer.document import ArticleSummary, SummarySentence
from summarizer.errors import SummarizerError
from summarizer.models.families import get_family
from summarizer.models.loading import generate
from summarizer.output.labels import Message
from summarizer.summarizers.base import BriefingDraft, DraftSentence, SummaryInput
from summarizer.summarizers.extractive import ExtractiveSummarizer
from summarizer.summarizers.text_parts import pack_sentences, split_output_sentences

if TYPE_CHECKING:
    from summarizer.models.loading import LoadedModel

WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Seq2SeqSettings:
    batch_size: int = 4  # inputs per generate() call (beam search multiplies the memory)


@dataclass
class _Summarized:
    text: str
    parts: int  # how many input windows the first round needed


class Seq2SeqSummarizer:
    """Per-article summaries and an uncited briefing draft from a seq2seq summarization model."""

    def __init__(self, loaded: LoadedModel, settings: Seq2SeqSettings | None = None) -> None:
        self.loaded = loaded
        self.settings = settings or Seq2SeqSettings()
        self.name = loaded.name
        self.revision = loaded.revision

    def summarize(self, inputs: list[SummaryInput], language: str) -> list[ArticleSummary]:
        self._check_language(language)
        results = self._summarize_texts([item.sentences for item in inputs])
        return [self._article_summary(item, result, language) for item, result in zip(inputs, results, strict=True)]

    def draft_briefing(
        self, inputs: list[SummaryInput], summaries: list[ArticleSummary], language: str
    ) -> BriefingDraft:
        self._check_language(language)
        by_article = {s.article_id: s for s in summaries}
        ordered = [i for i in sorted(inputs, key=lambda item: item.number) if i.article_id in by_article]
        notes: list[str] = [
            Message("summary.none", number=i.number, article=i.article_id)
            for i in inputs
            if i.article_id not in by_article
        ]
        sentences = [
            (f"{item.article_id}:summary:{n}", s.text)
            for item in ordered
            for n, s in enumerate(by_article[item.article_id].sentences, 1)
        ]
        if not sentences:
            return BriefingDraft(title="", sentences=[], model=self.name, notes=[*notes, Message("summary.nothing")])
        result = self._summarize_texts([sentences])[0]
        if result.parts > 1:
            notes.append(Message("summary.briefing_parts", tokens=self.loaded.max_input_tokens, parts=result.parts))
        drafted = [DraftSentence(text=t, sources=[]) for t in split_output_sentences(result.text, language)]
        return BriefingDraft(
            title=_central_title(ordered, by_article, language),
            sentences=drafted,
            model=self.name,
            notes=notes,
        )

    def _check_language(self, language: str) -> None:
        # distilBART writes English only; mT5-XLSum writes whatever language it reads.
        if get_family(self.loaded.family).english_only and language != "en":
            raise SummarizerError(f"model '{self.name}' writes English only; use --lang en or another summarizer")

    def _article_summary(self, item: SummaryInput, result: _Summarized, language: str) -> ArticleSummary:
        summary = ArticleSummary(item.article_id, language, [], self.name, parts=result.parts)
        summary.sentences = [SummarySentence(t) for t in split_output_sentences(result.text, language)]
        if result.parts > 1:
            summary.notes.append(
                Message("summary.article_parts", tokens=self.loaded.max_input_tokens, parts=result.parts)
            )
        if not item.sentences:
            summary.notes.append(Message("summary.no_sentences"))
        elif not summary.sentences:
            summary.notes.append(Message("summary.empty"))
        return summary

    def _summarize_texts(self, documents: list[list[tuple[str, str]]]) -> list[_Summarized]:
        """One summary per document; windows of every document are batched together."""
        windows = [self._windows(document) for document in documents]
        first_round = iter(self._generate([w for ws in windows for w in ws]))
        results = []
        for document_windows in windows:
            outputs = [next(first_round) for _ in document_windows]
            text = outputs[0] if len(outputs) == 1 else self._combine(outputs)
            results.append(_Summarized(text=text, parts=len(document_windows)))
        return results

    def _combine(self, outputs: list[str]) -> str:
        """Summarize the concatenated part summaries, in rounds while they exceed one window."""
        while len(outputs) > 1:
            windows = self._windows([(str(n), text) for n, text in enumerate(outputs)])
            if len(windows) >= len(outputs):
                raise ValueError(
                    f"{self.name}: part summaries do not shrink below its "
                    f"{self.loaded.max_input_tokens}-token "
                    "input; check the model's generation max_length"
                )
            outputs = self._generate(windows)
        return outputs[0]

    def _windows(self, sentences: list[tuple[str, str]]) -> list[str]:
        """The text cut at sentence boundaries into inputs that fit the model's window."""
        cleaned = [(sid, WHITESPACE.sub(" ", text).strip()) for sid, text in sentences]
        cleaned = [(sid, text) for sid, text in cleaned if text]
        if not cleaned:
            return [""]
        tokenizer = self.loaded.tokenizer
        budget = self.loaded.max_input_tokens - tokenizer.num_special_tokens_to_add()
        parts = pack_sentences(cleaned, self._count_tokens, budget)
        return [" ".join(text for _, text in part) for part in parts]

    def _count_tokens(self, text: str) -> int:
        return len(self.loaded.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    def _generate(self, texts: list[str]) -> list[str]:
        outputs: list[str] = []
        size = self.settings.batch_size
        for start in range(0, len(texts), size):
            outputs += self._generate_batch(texts[start : start + size])
        return outputs

    def _generate_batch(self, texts: list[str]) -> list[str]:
        import torch

        nonempty = [text for text in texts if text]
        if not nonempty:
            return ["" for _ in texts]
        tokenizer = self.loaded.tokenizer
        # Windows were sized with the tokenizer, so truncation=False can never cut anything.
        batch = tokenizer(nonempty, padding=True, truncation=False, return_tensors="pt").to(self.loaded.device)
        with torch.inference_mode():
            output = generate(self.loaded.model, **batch, generation_config=self.loaded.generation_config)
        decoded = iter(text.strip() for text in tokenizer.batch_decode(output, skip_special_tokens=True))
        return [next(decoded) if text else "" for text in texts]


def _central_title(ordered: list[SummaryInput], by_article: dict[str, ArticleSummary], language: str) -> str:
    """A headline: the summary sentence that most articles' summaries agree with."""
    as_inputs = [
        SummaryInput(
            article_id=item.article_id,
            number=item.number,
            title=None,
            outlet=None,
            date=None,
            sentences=[
                (f"{item.article_id}:summary:{n}", s.text)
                for n, s in enumerate(by_article[item.article_id].sentences, 1)
            ],
        )
        for item in ordered
    ]
    return ExtractiveSummarizer().draft_briefing(as_inputs, [], language).title
