"""articles/<file>.md: per article, its summary, then each sentence's translation beside the original."""

from __future__ import annotations

import hashlib
import re

from summarizer.briefing.record import BriefingRecord
from summarizer.document import Article, TranslatedSentence, parse_sentence_id
from summarizer.output.labels import labels_for

FOLDER = "articles"
# Every page this writer makes; a page matching it that a run did not write is stale.
PAGES = f"{FOLDER}/*.md"


def render(record: BriefingRecord) -> dict[str, str]:
    names = safe_article_names([a.id for a in record.folder.articles])
    return {f"{FOLDER}/{names[a.id]}.md": render_article(a, record) for a in record.folder.articles}


def safe_article_names(article_ids: list[str]) -> dict[str, str]:
    """A file-system-safe, unique (case-insensitively) file stem for every article id."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for article_id in article_ids:
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", article_id).strip("._") or "article"
        if name.casefold() in taken:
            name = f"{name}-{hashlib.sha1(article_id.encode('utf-8')).hexdigest()[:8]}"
        taken.add(name.casefold())
        names[article_id] = name
    return names


def render_article(article: Article, record: BriefingRecord) -> str:
    """One article: its summary, then each sentence's translation beside the original, with flags."""
    meta = article.metadata
    t = labels_for(record.language)
    number = record.sources.number_of(article.id)
    lines = [f"# {meta.title or article.id}", ""]
    date = meta.date or meta.date_text or t.undated
    lines.append(f"[{number}] · {meta.outlet or t.unknown_outlet} · {date} · `{article.source.path}`")
    lines += ["", f"## {t.summary}", ""]
    summary = record.summary_of.get(article.id)
    if summary:
        lines += [f"- {s.text}" + (f" ({', '.join(s.cites)})" if s.cites else "") for s in summary.sentences]
        lines += [f"- _{t.note.format(note=n)}_" for n in summary.notes]
    else:
        lines.append(f"_{t.no_summary}_")
    lines += ["", f"## {t.text}", ""]
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            lines += _sentence_lines(sentence.id, sentence.text, record.translated.get(sentence.id))
    lines += [f"- _{n}_" for n in article.notes]
    return "\n".join(lines) + "\n"


def _sentence_lines(sid: str, original: str, translation: TranslatedSentence | None) -> list[str]:
    ref = parse_sentence_id(sid)
    head = f"**{ref.paragraph}.{ref.sentence}**"
    if translation is None:
        return [f"{head} {original}", ""]
    lines = [f"{head} {translation.text}", f"> {original}"]
    lines += [f"> ⚑ {flag.code}: {flag.detail}" for flag in translation.flags]
    return lines + [""]
