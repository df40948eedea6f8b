"""Chat-model summarizer (Qwen2.5-Instruct): prompted summaries and a cited briefing draft.

The model is reached through a `ChatEngine` (torch or CTranslate2, chat_engine.py); nothing here
depends on which one runs it.

Greedy decoding (do_sample=False) with an explicit max_new_tokens, so a run is reproducible.
Prompts from every article go through generate() together in left-padded batches. An article
whose prompt does not fit the context budget is summarized in parts and the part summaries
combined (map-reduce); the same goes for a briefing whose sources do not fit at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from summarizer.document import ArticleSummary, SummarySentence, parse_sentence_id
from summarizer.models.batching import plan_batches
from summarizer.output.labels import Message
from summarizer.summarizers.base import BriefingDraft, DraftSentence, SummaryInput
from summarizer.summarizers.prompts import FilledPrompt, PromptTemplate, fill_prompt, load_prompt
from summarizer.summarizers.text_parts import (
    language_name,
    pack_sentences,
    parse_cited_sentences,
    split_output_sentences,
    split_title,
    strip_citations,
)

if TYPE_CHECKING:
    from summarizer.summarizers.chat_engine import ChatEngine


@dataclass(frozen=True)
class LlmSettings:
    # Prompt plus answer, in tokens. Far below Qwen2.5's 32768 because attention cost on a CPU
    # grows with it, and small models lose track of long prompts; longer input goes in parts.
    context_tokens: int = 8192
    summary_new_tokens: int = 256  # 3-5 sentences with room to finish the last one
    briefing_new_tokens: int = 640  # a title and about ten cited sentences
    # Prompts per generate() call, at most, and padded prompt tokens per call (rows x longest).
    # A decoding step reads all the weights once however many rows it holds, so a row added to
    # a call costs far less than a call of its own: a folder's summaries share as few calls as
    # the token cap (which bounds the prefill memory) allows. The five seed articles fit one
    # call (docs/benchmarks.md, "Whole run").
    batch_size: int = 8
    batch_tokens: int = 16384
    # Speed benchmarks only: random weights never stop on their own, so every answer is made
    # exactly as long as its budget (min_new_tokens = max_new_tokens) to cost what a real one does.
    exact_new_tokens: bool = False


@dataclass
class _Job:
    """One prompt to run; ``key`` says where its answer goes."""

    key: tuple[int, int]
    prompt: FilledPrompt


class LlmSummarizer:
    """Summaries and a cited briefing draft from a chat model."""

    def __init__(self, chat: ChatEngine, settings: LlmSettings | None = None) -> None:
        self.chat = chat
        self.settings = settings or LlmSettings()
        self.name = chat.name
        self.revision = chat.revision
        self.engine = chat.engine
        self._templates: dict[str, PromptTemplate] = {}

    # -- per-article summaries -------------------------------------------------------------

    def summarize(self, inputs: list[SummaryInput], language: str) -> list[ArticleSummary]:
        parts = [self._article_parts(item, language) if item.sentences else [] for item in inputs]
        jobs = [_Job((a, p), prompt) for a, prompts in enumerate(parts) for p, prompt in enumerate(prompts)]
        answers = self._run(jobs, self.settings.summary_new_tokens)
        part_texts = {index: [answers[(index, p)] for p in range(len(prompts))] for index, prompts in enumerate(parts)}
        combined = self._combine_long_articles(inputs, part_texts, language)
        return [
            self._article_summary(item, combined.get(i, ""), len(parts[i]), language) for i, item in enumerate(inputs)
        ]

    def _article_parts(self, item: SummaryInput, language: str) -> list[FilledPrompt]:
        lang = language_name(language)
        whole = self._fill("article_summary", article=_article_block(item, item.sentences), language_name=lang)
        if self._fits(whole, self.settings.summary_new_tokens):
            return [whole]
        frame = self._fill("article_part", article=_article_block(item, []), part=99, parts=99, language_name=lang)
        # Paragraph breaks and token merges at the seams cost a little more than the sum of parts.
        budget = int(0.95 * (self._input_budget(self.settings.summary_new_tokens) - self._prompt_tokens(frame)))
        groups = pack_sentences(item.sentences, self._count_tokens, budget)
        return [
            self._fill(
                "article_part",
                article=_article_block(item, group),
                part=n,
                parts=len(groups),
                language_name=lang,
            )
            for n, group in enumerate(groups, 1)
        ]

    def _article_summary(self, item: SummaryInput, text: str, parts: int, language: str) -> ArticleSummary:
        summary = ArticleSummary(item.article_id, language, [], self.name, parts=max(parts, 1))
        if parts > 1:
            summary.notes.append(Message("summary.context_parts", tokens=self.settings.context_tokens, parts=parts))
        summary.sentences = [SummarySentence(strip_citations(s)) for s in split_output_sentences(text, language)]
        if not item.sentences:
            summary.notes.append(Message("summary.no_sentences"))
        elif not summary.sentences:
            summary.notes.append(Message("summary.empty"))
        return summary

    def _combine_long_articles(
        self, inputs: list[SummaryInput], part_texts: dict[int, list[str]], language: str
    ) -> dict[int, str]:
        """One text per article: part summaries combined, all articles' combines in one batch."""
        combined = {i: texts[0] for i, texts in part_texts.items() if len(texts) == 1}
        batchable: list[_Job] = []
        for index, texts in part_texts.items():
            if len(texts) < 2:
                continue
            make_prompt = partial(self._combine_prompt, inputs[index], language)
            if self._fits(make_prompt(texts), self.settings.summary_new_tokens):
                batchable.append(_Job((index, 0), make_prompt(texts)))
            else:  # rare: even the part summaries overflow; combine them in rounds
                combined[index] = self._reduce(texts, make_prompt, self.settings.summary_new_tokens)
        answers = self._run(batchable, self.settings.summary_new_tokens)
        combined.update({job.key[0]: answers[job.key] for job in batchable})
        return combined

    def _combine_prompt(self, item: SummaryInput, language: str, texts: list[str]) -> FilledPrompt:
        numbered = "\n\n".join(f"Part {n}:\n{text.strip()}" for n, text in enumerate(texts, 1))
        return self._fill(
            "article_combine",
            title=_title_line(item),
            part_summaries=numbered,
            parts=len(texts),
            language_name=language_name(language),
        )

    # -- briefing --------------------------------------------------------------------------

    def draft_briefing(
        self, inputs: list[SummaryInput], summaries: list[ArticleSummary], language: str
    ) -> BriefingDraft:
        by_article = {s.article_id: s for s in summaries}
        ordered = sorted(inputs, key=lambda item: item.number)
        briefed = [item for item in ordered if item.article_id in by_article]
        notes: list[str] = [
            Message("summary.none", number=item.number, article=item.article_id)
            for item in ordered
            if item.article_id not in by_article
        ]
        if not briefed:
            return BriefingDraft(title="", sentences=[], model=self.name, notes=[*notes, Message("summary.nothing")])
        numbers = ", ".join(str(item.number) for item in briefed)
        blocks = [_source_block(item, by_article[item.article_id]) for item in briefed]
        new_tokens = self.settings.briefing_new_tokens
        groups = self._group_to_fit(blocks, partial(self._briefing_prompt, numbers, language), new_tokens)
        prompts = [self._briefing_prompt(numbers, language, group) for group in groups]
        partials = self._run_all(prompts, new_tokens)
        text = partials[0]
        if len(partials) > 1:
            text = self._reduce(partials, partial(self._merge_prompt, numbers, language), new_tokens)
            notes.append(Message("summary.briefing_groups", tokens=self.settings.context_tokens, groups=len(groups)))
        title, body = split_title(text)
        sentences: list[DraftSentence] = parse_cited_sentences(body, language)
        if not sentences:
            notes.append(Message("summary.no_briefing"))
        return BriefingDraft(title=title, sentences=sentences, model=self.name, notes=notes)

    def _briefing_prompt(self, numbers: str, language: str, blocks: list[str]) -> FilledPrompt:
        return self._fill(
            "briefing",
            sources="\n\n".join(blocks),
            source_numbers=numbers,
            language_name=language_name(language),
        )

    def _merge_prompt(self, numbers: str, language: str, partials: list[str]) -> FilledPrompt:
        numbered = "\n\n".join(f"Partial briefing {n}:\n{text.strip()}" for n, text in enumerate(partials, 1))
        return self._fill(
            "briefing_combine",
            partial_briefings=numbered,
            parts=len(partials),
            source_numbers=numbers,
            language_name=language_name(language),
        )

    # -- model plumbing ---------------------------------------------------------------------

    def _fill(self, name: str, **values: object) -> FilledPrompt:
        if name not in self._templates:
            self._templates[name] = load_prompt(name)
        return fill_prompt(self._templates[name], **values)

    def _count_tokens(self, text: str) -> int:
        return self.chat.count_tokens(text)

    def _prompt_tokens(self, prompt: FilledPrompt) -> int:
        return self.chat.count_tokens(self.chat.chat_text(prompt.messages()))

    def _input_budget(self, new_tokens: int) -> int:
        context = min(self.settings.context_tokens, self.chat.max_input_tokens)
        return context - new_tokens

    def _fits(self, prompt: FilledPrompt, new_tokens: int) -> bool:
        return self._prompt_tokens(prompt) <= self._input_budget(new_tokens)

    def _reduce(self, texts: list[str], make_prompt: Callable[[list[str]], FilledPrompt], new_tokens: int) -> str:
        """Combine texts into one answer, in rounds when they do not all fit one prompt."""
        while True:
            groups = self._group_to_fit(texts, make_prompt, new_tokens)
            if len(groups) == len(texts) > 1:
                raise ValueError(
                    f"a {self.settings.context_tokens}-token context cannot hold two partial "
                    "answers; "
                    "raise LlmSettings.context_tokens"
                )
            texts = self._run_all([make_prompt(group) for group in groups], new_tokens)
            if len(texts) == 1:
                return texts[0]

    def _group_to_fit(
        self, items: list[str], make_prompt: Callable[[list[str]], FilledPrompt], new_tokens: int
    ) -> list[list[str]]:
        """Consecutive items grouped so that each group's prompt fits the context budget."""
        groups: list[list[str]] = []
        for item in items:
            if groups and self._fits(make_prompt([*groups[-1], item]), new_tokens):
                groups[-1].append(item)
            else:
                groups.append([item])
        for group in groups:
            if not self._fits(make_prompt(group), new_tokens):
                raise ValueError(
                    f"an input of {self._prompt_tokens(make_prompt(group))} prompt tokens does not "
                    f"fit the {self.settings.context_tokens}-token context; "
                    "raise LlmSettings.context_tokens"
                )
        return groups

    def _run_all(self, prompts: list[FilledPrompt], new_tokens: int) -> list[str]:
        answers = self._run([_Job((0, n), prompt) for n, prompt in enumerate(prompts)], new_tokens)
        return [answers[(0, n)] for n in range(len(prompts))]

    def _run(self, jobs: list[_Job], new_tokens: int) -> dict[tuple[int, int], str]:
        """Answers for every job, generated in batches of similar length."""
        prompts = {job.key: self.chat.encode(self.chat.chat_text(job.prompt.messages())) for job in jobs}
        keys = list(prompts)
        lengths = [len(prompts[key]) for key in keys]
        answers: dict[tuple[int, int], str] = {}
        settings = self.settings
        for batch in plan_batches(lengths, settings.batch_tokens, settings.batch_size):
            chosen = [keys[i] for i in batch]
            generated = self.chat.generate([prompts[k] for k in chosen], new_tokens, exact=settings.exact_new_tokens)
            for key, answer in zip(chosen, generated, strict=True):
                answers[key] = answer
        return answers


def _title_line(item: SummaryInput) -> str:
    details = ", ".join(x for x in (item.outlet, item.date) if x)
    title = item.title or "(untitled article)"
    return f"Title: {title}" + (f" ({details})" if details else "")


def _article_block(item: SummaryInput, sentences: list[tuple[str, str]]) -> str:
    """The article as the model reads it: a title line, then its paragraphs."""
    paragraphs: list[list[str]] = []
    last_paragraph: int | None = None
    for sentence_id, text in sentences:
        try:
            paragraph: int | None = parse_sentence_id(sentence_id).paragraph
        except ValueError:  # a caller's own sentence ids: no paragraph breaks to keep
            paragraph = None
        if paragraph != last_paragraph or not paragraphs:
            paragraphs.append([])
            last_paragraph = paragraph
        paragraphs[-1].append(text)
    body = "\n\n".join(" ".join(p) for p in paragraphs)
    return f"{_title_line(item)}\n\n{body}".rstrip()


def _source_block(item: SummaryInput, summary: ArticleSummary) -> str:
    details = ", ".join(x for x in (item.outlet, item.date) if x)
    head = f"[{item.number}] {item.title or '(untitled)'}" + (f" ({details})" if details else "")
    return head + "\n" + " ".join(s.text for s in summary.sentences)
