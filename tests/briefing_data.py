"""Test data for the briefing stage: a small bilingual story folder and a scripted summarizer.

The articles are real seed sentences (shortened) with hand-made English translations, so the
verification can be tested on the English path without a translation model. bbc.txt has a
near-duplicate copy, detik.txt, as the dedup stage would report it. make_record() is that folder
briefed from the scripted draft, as every writer receives it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from summarizer.briefing.compose import compose_briefing, summary_inputs
from summarizer.briefing.record import BriefingRecord, ModelInfo, RunFlag
from summarizer.briefing.sources import number_sources
from summarizer.document import (
    Article,
    ArticleSummary,
    ArticleTranslation,
    DuplicateCluster,
    Flag,
    Folder,
    Metadata,
    Paragraph,
    Sentence,
    SourceFile,
    SummarySentence,
    TranslatedSentence,
    sentence_id,
)
from summarizer.summarizers.base import BriefingDraft, DraftSentence, SummaryInput

NK_DEPLOYED = (
    "Pasukan Korea Utara telah dikerahkan ke Rusia dan beroperasi di wilayah perbatasan Kursk, kata NATO.",
    "North Korean troops have been deployed to Russia and are operating in the Kursk border region, NATO said.",
)
ARTICLES: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "bbc.txt": ("BBC", "2024-10-28", [
        NK_DEPLOYED,
        ("Badan mata-mata Korea Selatan mengatakan awal bulan ini bahwa setidaknya 1.500 tentara Korea "
         "Utara telah tiba di Rusia.",
         "South Korea's spy agency said earlier this month that at least 1,500 North Korean soldiers had "
         "arrived in Russia."),
        ("“Ini adalah keputusan berdaulat kami,” kata Putin.", "“This is our sovereign decision,” Putin said."),
        ("Rutte mengatakan penempatan tersebut merupakan “eskalasi signifikan”.",
         "Rutte said the deployment was a “significant escalation”."),
    ]),
    "kontan.txt": ("Kontan", "2024-10-29", [
        ("Pentagon mengonfirmasi bahwa sekitar 10.000 tentara Korea Utara dikirim ke Rusia untuk mengikuti "
         "pelatihan.",
         "The Pentagon confirmed that about 10,000 North Korean troops were sent to Russia for training."),
        ("Menurut juru bicara Pentagon, Sabrina Singh, sebagian pasukan sudah berada dekat perbatasan Ukraina.",
         "According to Pentagon spokeswoman Sabrina Singh, some of the troops are already close to the "
         "Ukrainian border."),
    ]),
    "sindo.txt": ("Sindonews", "2024-10-29", [
        ("Menteri Luar Negeri Korea Utara Choe Son Hui tiba di timur jauh Rusia pada hari Selasa.",
         "North Korean Foreign Minister Choe Son Hui arrived in Russia's far east on Tuesday."),
        ("Pentagon memperkirakan 10.000 pasukan Korea Utara telah dikerahkan ke Rusia timur untuk pelatihan, "
         "naik dari perkiraan 3.000 pasukan Rabu lalu.",
         "The Pentagon estimated that 10,000 North Korean troops had been deployed to eastern Russia for "
         "training, up from an estimate of 3,000 last Wednesday."),
    ]),
    "detik.txt": ("detik", "2024-10-28", [NK_DEPLOYED]),
}  # fmt: skip


def story_folder() -> tuple[Folder, dict[str, str], dict[str, str]]:
    """The folder, sentence id → English translation, and sentence id → Indonesian original."""
    articles, english, original = [], {}, {}
    for article_id, (outlet, date, pairs) in ARTICLES.items():
        paragraphs = []
        for index, (indonesian, translation) in enumerate(pairs, 1):
            sid = sentence_id(article_id, index, 1)
            paragraphs.append(Paragraph(index, "text", [Sentence(sid, indonesian)]))
            english[sid], original[sid] = translation, indonesian
        metadata = Metadata(title=f"{outlet}: Korea Utara kirim pasukan", outlet=outlet, date=date)
        source = SourceFile(article_id, "txt", "utf-8", "0" * 64)
        articles.append(Article(article_id, source, metadata, "id", "id", paragraphs))
    cluster = DuplicateCluster("bbc.txt", ["detik.txt"], {"detik.txt": 0.97}, "earliest, most complete")
    return Folder("/stories/korea", "korea", articles, clusters=[cluster]), english, original


# What the scripted summarizer writes, one sentence for each way a model can go wrong.
SUPPORTED = DraftSentence("North Korean troops are operating in the Kursk border region, NATO said.", [1])
INVENTED = DraftSentence("Russia announced a ceasefire with Ukraine after the talks.", [2])
MISCITED = DraftSentence("The Pentagon said about 10,000 North Korean troops were sent to Russia for training.", [1])
NUMBER_ALTERED = DraftSentence(
    "South Korea's spy agency said at least 15,000 North Korean soldiers had arrived in Russia.", [1]
)
FAKE_QUOTE = DraftSentence("Rutte called the deployment “a reckless gamble”.", [1])
UNCITED = DraftSentence("Choe Son Hui arrived in Russia's far east on Tuesday.", [])
EXTRACTIVE = DraftSentence(
    "The Pentagon confirmed that about 10,000 North Korean troops were sent to Russia for training.",
    [2],
    ["kontan.txt:1:1"],
)
SCRIPT = [SUPPORTED, INVENTED, MISCITED, NUMBER_ALTERED, FAKE_QUOTE, UNCITED, EXTRACTIVE]


class ScriptedSummarizer:
    """A Summarizer that writes a fixed draft, whatever it is given."""

    name = "scripted"
    revision = None

    def __init__(self, sentences: list[DraftSentence], title: str = "North Korean troops in Kursk") -> None:
        self.sentences = sentences
        self.title = title

    def summarize(self, inputs: list[SummaryInput], language: str) -> list[ArticleSummary]:
        return []

    def draft_briefing(
        self, inputs: list[SummaryInput], summaries: list[ArticleSummary], language: str
    ) -> BriefingDraft:
        return BriefingDraft(self.title, list(self.sentences), self.name)


def make_record(**overrides: Any) -> BriefingRecord:
    """The story folder briefed from SCRIPT, with translations (one flagged) and run data."""
    folder, english, original = story_folder()
    sources = number_sources(folder)
    draft = ScriptedSummarizer(SCRIPT).draft_briefing(summary_inputs(folder, english, sources), [], "en")
    summaries = [
        ArticleSummary("bbc.txt", "en", [SummarySentence("NATO confirms the troops.", ["bbc.txt:1:1"])], "scripted")
    ]
    briefing = compose_briefing(folder, sources, english, original, draft, summaries, "en")
    translations = [
        ArticleTranslation(
            article.id,
            "opus-mt-id-en",
            "rev123",
            [
                TranslatedSentence(
                    s.id,
                    s.text,
                    english[s.id],
                    [Flag("number-missing", "1.500")] if s.id == "bbc.txt:2:1" else [],
                )
                for s in article.sentences()
            ],
        )
        for article in folder.articles
    ]
    fields = dict(
        folder=folder,
        language="en",
        sources=sources,
        translations=translations,
        summaries=summaries,
        briefing=briefing,
        models=[
            ModelInfo("translator", "opus-mt-id-en", "rev123"),
            ModelInfo("summarizer", "scripted", None),
        ],
        settings={"lang": "en", "output": Path("/tmp/out")},
        timings={"translate": 1.5, "summarize": 2.0},
        flags=[RunFlag("kontan.txt", "paywall", "page 1 of 2")],
    )
    fields.update(overrides)
    return BriefingRecord(**fields)
