"""Human-readable rendering of an ingested folder for `summarize inspect`."""

from __future__ import annotations

from collections.abc import Iterator

from summarizer.document import Article, Folder, Metadata

_METADATA_FIELDS = (
    "title",
    "outlet",
    "date",
    "date_text",
    "place",
    "author",
    "editor",
    "section",
    "syndicated_from",
    "url",
    "dateline",
)


def render_folder(folder: Folder) -> str:
    """The full inspection report: every article, its removals, duplicates and skipped files."""
    return "\n".join(_folder_lines(folder)) + "\n"


def _folder_lines(folder: Folder) -> Iterator[str]:
    yield f"Folder: {folder.path}  ({len(folder.articles)} articles, {len(folder.skipped)} skipped)"
    for number, article in enumerate(folder.articles, start=1):
        yield ""
        yield from _article_lines(number, article)
    yield ""
    yield from _cluster_lines(folder)
    yield ""
    yield from _off_topic_lines(folder)
    if folder.skipped:
        yield ""
        yield "Skipped files:"
        for skipped in folder.skipped:
            yield f"  {skipped.path}: {skipped.reason}"


def _article_lines(number: int, article: Article) -> Iterator[str]:
    headings = sum(1 for p in article.paragraphs if p.kind == "heading")
    yield f"[{number}] {article.id}  ({article.source.format}, {article.source.encoding})"
    yield from _metadata_lines(article.metadata)
    yield f"    language: {article.language} (detected: {article.language_detected})"
    yield (
        f"    paragraphs: {len(article.paragraphs) - headings}, headings: {headings}, "
        f"sentences: {article.sentence_count}"
    )
    if article.removals:
        yield f"    removed ({len(article.removals)}):"
        for removal in article.removals:
            target = f" -> {removal.moved_to}" if removal.moved_to else ""
            yield f"      line {removal.line} [{removal.rule}{target}] {removal.text!r}"
    for repair in getattr(article, "repairs", []) or []:
        yield f"    repaired line {repair.line} [{repair.rule}] {repair.text_before!r} -> {repair.text_after!r}"
    for note in article.notes:
        yield f"    note: {note}"


def _metadata_lines(metadata: Metadata) -> Iterator[str]:
    for name in _METADATA_FIELDS:
        value = getattr(metadata, name)
        if value:
            yield f"    {name}: {value}"


def _cluster_lines(folder: Folder) -> Iterator[str]:
    if not folder.clusters:
        yield "Duplicate clusters: none"
        return
    yield "Duplicate clusters:"
    for cluster in folder.clusters:
        yield f"  original: {cluster.original}  ({cluster.reason})"
        for copy in cluster.copies:
            yield f"    copy: {copy}  similarity {cluster.similarity[copy]:.2f}"


def _off_topic_lines(folder: Folder) -> Iterator[str]:
    if not folder.off_topic and not folder.topic_notes:
        yield "Off-topic articles: none"
        return
    yield "Off-topic articles (left out of the briefing unless --keep-off-topic):"
    for item in folder.off_topic:
        yield f"  {item.article_id}: {item.reason}: {item.detail}"
    for note in folder.topic_notes:
        yield f"  note: {note}"
