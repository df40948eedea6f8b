"""Ingestion: a story folder on disk → a Folder of cleaned, segmented articles. No model is loaded."""

from __future__ import annotations

import logging
from pathlib import Path

from summarizer.document import Article, CleanedDocument, Folder, Skipped
from summarizer.errors import NoArticlesError
from summarizer.ingest.clean import build_vocabulary, clean
from summarizer.ingest.dedup import find_duplicates
from summarizer.ingest.language import detect_language
from summarizer.ingest.read import display_name, read_folder, story_subfolders
from summarizer.ingest.segment import segment
from summarizer.ingest.topic import find_off_topic
from summarizer.output.labels import Message

# Languages the pipeline can brief from: Indonesian (Malay folds into it) is translated, English
# passes through untranslated.
SUPPORTED_SOURCE_LANGUAGES = ("id", "en")

log = logging.getLogger(__name__)


def load_folder(folder: Path | str, *, follow_symlinks: bool = False) -> Folder:
    """Read, clean and segment every article of one story folder; find duplicate clusters.

    Bad files are listed in Folder.skipped with their reason. Raises NoArticlesError when no
    usable article remains.
    """
    folder = Path(folder)
    raws, skipped = read_folder(folder, follow_symlinks=follow_symlinks)
    vocabulary = build_vocabulary(raw.text for raw in raws)
    articles: list[Article] = []
    for raw in raws:
        try:
            cleaned = clean(raw, vocabulary)
            if not cleaned.blocks:
                skipped.append(Skipped(raw.id, Message("clean.no_text_left")))
                continue
            articles.append(_segment_with_language(cleaned))
        except Exception as error:  # a cleaning bug costs this article, never the folder
            log.error("internal error while cleaning %s: %s", raw.id, error, exc_info=True)
            detail = f"{type(error).__name__}: {error}"
            skipped.append(Skipped(raw.id, Message("clean.internal", error=detail)))
    if not articles:
        raise NoArticlesError(_no_articles_message(folder, skipped))
    topic = find_off_topic(articles)
    return Folder(
        path=display_name(str(folder)),
        name=display_name(folder.resolve().name),
        articles=articles,
        skipped=skipped,
        clusters=find_duplicates(articles),
        off_topic=topic.off_topic,
        topic_notes=topic.notes,
    )


def _segment_with_language(cleaned: CleanedDocument) -> Article:
    body = "\n".join(block.text for block in cleaned.blocks if block.kind == "text")
    language, detected = detect_language(body)
    article = segment(cleaned, language, detected)
    if language not in SUPPORTED_SOURCE_LANGUAGES:
        article.notes.append(Message("language.not_briefed", language=detected))
    return article


def _no_articles_message(folder: Path, skipped: list[Skipped]) -> str:
    stories = story_subfolders(folder)
    name = display_name(str(folder))
    if stories:
        shown = " ".join(display_name(str(folder / s.name)) for s in stories[:3]) + (" ..." if len(stories) > 3 else "")
        return (
            f"{name} holds no article, but {len(stories)} story sub-folder(s): "
            f"name one of them ({shown}), or brief them all with: summarize run {name}"
        )
    if not skipped:
        return f"no article files in {name} (supported: .txt .md .html .htm .json .jsonl)"
    return f"no usable article in {name}: all {len(skipped)} file(s) were skipped"
