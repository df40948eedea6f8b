"""Plain typed data passed from stage to stage.

Flow: read (RawDocument) → clean (CleanedDocument) → segment (Article) → translate
(ArticleTranslation) → summarize (ArticleSummary) → brief/cite (Briefing, in brief.py) → write.

Sentence ids are the anchor that citations point to: ``"<article id>:<paragraph>:<sentence>"``,
1-based, stable for the same file content. An article id is the file's path relative to the story
folder (POSIX separators), with ``@<n>`` appended for the n-th record of a JSON/JSONL file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

BlockKind = Literal["text", "heading"]


class SentenceRef(NamedTuple):
    """The parts of a sentence id."""

    article_id: str
    paragraph: int  # 1-based
    sentence: int  # 1-based within the paragraph


def sentence_id(article_id: str, paragraph: int, sentence: int) -> str:
    """The stable id of a sentence (1-based paragraph and sentence numbers)."""
    return f"{article_id}:{paragraph}:{sentence}"


def parse_sentence_id(sentence_id_: str) -> SentenceRef:
    """The article id, paragraph and sentence of a sentence id; ValueError if it is not one.

    Split from the right: an article id is a file path and may itself contain ":".
    """
    parts = sentence_id_.rsplit(":", 2)
    if len(parts) != 3 or not parts[0] or not parts[1].isdecimal() or not parts[2].isdecimal():
        raise ValueError(f"not a sentence id (article:paragraph:sentence): {sentence_id_!r}")
    return SentenceRef(parts[0], int(parts[1]), int(parts[2]))


def article_of(sentence_id_: str) -> str:
    """The article id part of a sentence id (the whole string when it has no paragraph part)."""
    return sentence_id_.rsplit(":", 2)[0]


@dataclass
class SourceFile:
    """Where an article came from."""

    path: str  # relative to the story folder, POSIX separators
    format: str  # txt | md | html | json | jsonl
    encoding: str  # as detected, e.g. "utf-8", "utf-8-sig", "utf-16", "cp1252"
    sha256: str  # of the file's raw bytes (of the record's canonical JSON for json/jsonl)
    record: int | None = None  # 1-based record number inside a json/jsonl file


@dataclass
class Metadata:
    """What is known about an article besides its text. Unknown fields stay None."""

    title: str | None = None
    url: str | None = None
    date: str | None = None  # ISO 8601 (date or datetime) when it could be parsed
    date_text: str | None = None  # the date as written in the source
    outlet: str | None = None  # e.g. "Kontan", "detik", "Kompas.com"
    place: str | None = None  # dateline place, e.g. "Jakarta", "Moskow"
    author: str | None = None
    editor: str | None = None
    section: str | None = None  # rubric such as "Dunia"
    syndicated_from: str | None = None  # "Artikel ini telah tayang/naik di X"
    dateline: str | None = None  # the dateline exactly as it stood in the text


@dataclass
class Removal:
    """One line or span taken out of the text, with the rule that removed it (for auditing)."""

    rule: str  # short rule name, e.g. "baca-juga", "headline-list", "editor-credit", "dateline"
    text: str  # the removed text, exactly
    line: int  # 1-based line number in the decoded file text
    kind: Literal["line", "span"] = "line"
    moved_to: str | None = None  # metadata field that received the value, if any


@dataclass
class RawDocument:
    """One article as read from disk: decoded text plus any metadata its container carried."""

    id: str
    source: SourceFile
    text: str  # decoded, NFC, "\n" line ends, no BOM
    metadata: Metadata = field(default_factory=Metadata)
    # True when the container already separated the title from the body (JSON, HTML, Markdown
    # heading), so the cleaner must not look for a title in the first line.
    title_from_container: bool = False
    # What reading noticed and the user should see (e.g. bytes read as cp1252, front matter not
    # read); the cleaner carries these into CleanedDocument.notes.
    notes: list[str] = field(default_factory=list)


@dataclass
class Block:
    """A cleaned paragraph or heading, before sentence splitting."""

    kind: BlockKind
    text: str
    line: int  # 1-based line of the decoded text where the block starts


@dataclass
class Repair:
    """One repair by the cleaner: a glued word split apart ("pesawatSaudia" → "pesawat Saudia") or
    mojibake undone ("2,5Â±1%" → "2,5±1%")."""

    text_before: str
    text_after: str
    line: int  # 1-based line number in the decoded file text
    rule: str  # "camel-join", "digit-join", "word-join" or "mojibake" (text decoded with the wrong charset)


@dataclass
class CleanedDocument:
    """The story text with boilerplate removed and moved to metadata."""

    raw: RawDocument
    metadata: Metadata
    blocks: list[Block]
    removals: list[Removal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings worth showing the user
    repairs: list[Repair] = field(default_factory=list)  # glued words split apart, for auditing


@dataclass
class Sentence:
    id: str
    text: str


@dataclass
class Paragraph:
    index: int  # 1-based
    kind: BlockKind
    sentences: list[Sentence]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


@dataclass
class Article:
    """A cleaned, segmented article: what every model stage consumes."""

    id: str
    source: SourceFile
    metadata: Metadata
    language: str  # "id" (Indonesian or Malay), "en", another ISO 639-1 code, or "und"
    language_detected: str  # the detector's own answer, e.g. "ms"
    paragraphs: list[Paragraph]
    removals: list[Removal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)  # carried over from CleanedDocument

    def sentences(self) -> Iterator[Sentence]:
        """Every sentence in reading order (headings included)."""
        for paragraph in self.paragraphs:
            yield from paragraph.sentences

    @property
    def sentence_count(self) -> int:
        return sum(len(p.sentences) for p in self.paragraphs)


@dataclass
class Skipped:
    """A file that could not be used, and the one-line reason why."""

    path: str
    reason: str


@dataclass
class DuplicateCluster:
    """Articles that are the same story (e.g. one wire story run by two outlets)."""

    original: str  # article id judged to be the original
    copies: list[str]  # article ids of the copies
    similarity: dict[str, float]  # copy id -> similarity to the original, 0..1
    reason: str  # why the original was chosen


@dataclass
class OffTopic:
    """An article judged to be about another event than the folder's story, with the evidence."""

    article_id: str
    reason: str  # "another-time" | "another-event"
    detail: str


@dataclass
class Folder:
    """A story folder after ingestion: its articles, the files skipped and duplicate clusters."""

    path: str
    name: str
    articles: list[Article]
    skipped: list[Skipped] = field(default_factory=list)
    clusters: list[DuplicateCluster] = field(default_factory=list)
    # Articles about another event (left out of the briefing unless asked), and notes on
    # articles kept although they may be off-topic.
    off_topic: list[OffTopic] = field(default_factory=list)
    topic_notes: list[str] = field(default_factory=list)

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)


@dataclass
class Flag:
    """Something a stage noticed about one sentence; always shown in the run report."""

    code: str  # e.g. "number-missing", "degenerate", "split-long", "passthrough-en"
    detail: str


@dataclass
class TranslatedSentence:
    id: str  # the id of the source sentence it translates
    source: str
    text: str
    flags: list[Flag] = field(default_factory=list)
    cached: bool = False


@dataclass
class ArticleTranslation:
    """English sentences aligned 1:1 with an article's sentences."""

    article_id: str
    model: str  # registry name or local path
    revision: str | None
    sentences: list[TranslatedSentence]

    def by_id(self) -> dict[str, TranslatedSentence]:
        return {s.id: s for s in self.sentences}


@dataclass
class SummarySentence:
    text: str
    cites: list[str] = field(default_factory=list)  # sentence ids it draws on


@dataclass
class ArticleSummary:
    article_id: str
    language: str
    sentences: list[SummarySentence]
    model: str
    parts: int = 1  # >1 when the article was summarized in parts and the parts combined
    notes: list[str] = field(default_factory=list)


def to_dict(obj: Any) -> Any:
    """A JSON-ready copy of any of the dataclasses above (or lists/dicts of them)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    return obj
