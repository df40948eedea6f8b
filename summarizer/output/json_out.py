"""briefing.json: everything, machine-readable; every citation resolves to translation and original.

Always valid UTF-8: a lone surrogate anywhere is replaced by U+FFFD and flagged (`invalid-unicode`,
with the JSON path of the value).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarizer.briefing.record import BriefingRecord
from summarizer.document import Article, TranslatedSentence, article_of, to_dict
from summarizer.output.json_text import replaced_flags, valid_unicode

JSON_SCHEMA_VERSION = 1
FILE_NAME = "briefing.json"


def render(record: BriefingRecord) -> dict[str, str]:
    document, replaced = valid_unicode(briefing_json(record))
    document["flags"] += replaced_flags(replaced)
    return {FILE_NAME: json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"}


def _json_default(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def briefing_json(record: BriefingRecord) -> dict[str, Any]:
    """The machine-readable record: every citation resolves to translation and original."""
    briefing = to_dict(record.briefing)
    for point in briefing["points"]:
        point["cites"] = [_resolved(sid, record) for sid in point["cites"]]
    return {
        "schema": JSON_SCHEMA_VERSION,
        "folder": {"path": record.folder.path, "name": record.folder.name, "skipped": to_dict(record.folder.skipped),
                   "clusters": to_dict(record.folder.clusters)},
        "language": record.language,
        "models": to_dict(record.models),
        "settings": record.settings,
        "timings": record.timings,
        "articles": [_article_json(a, record) for a in record.folder.articles],
        "translations": [
            {"article_id": t.article_id, "model": t.model, "revision": t.revision,
             "sentences": len(t.sentences), "cached": sum(s.cached for s in t.sentences)}
            for t in record.translations
        ],
        "summaries": to_dict(record.summaries),
        "briefing": briefing,
        "flags": _all_flags(record),
    }  # fmt: skip


def _resolved(sid: str, record: BriefingRecord) -> dict[str, Any]:
    article_id = article_of(sid)
    translation = record.translated.get(sid)
    return {
        "id": sid,
        "article_id": article_id,
        "source": record.sources.number_of(article_id),
        "original": record.originals.get(sid),
        "translation": translation.text if translation else None,
    }


def _article_json(article: Article, record: BriefingRecord) -> dict[str, Any]:
    sentences = []
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            translation: TranslatedSentence | None = record.translated.get(sentence.id)
            sentences.append({
                "id": sentence.id,
                "paragraph": paragraph.index,
                "kind": paragraph.kind,
                "original": sentence.text,
                "translation": translation.text if translation else None,
                "flags": to_dict(translation.flags) if translation else [],
            })  # fmt: skip
    return {
        "id": article.id,
        "number": record.sources.number_of(article.id),
        "source": to_dict(article.source),
        "metadata": to_dict(article.metadata),
        "language": article.language,
        "language_detected": article.language_detected,
        "removals": to_dict(article.removals),
        "repairs": to_dict(article.repairs),
        "notes": article.notes,
        "sentences": sentences,
    }


def _all_flags(record: BriefingRecord) -> list[dict[str, str]]:
    flags = [
        {"where": sid, "code": flag.code, "detail": flag.detail}
        for sid, sentence in record.translated.items()
        for flag in sentence.flags
    ]
    return flags + [to_dict(f) for f in record.flags]
