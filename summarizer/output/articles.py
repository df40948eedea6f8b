"""articles/<file>.md: per article, its summary, then each sentence's translation beside the original.

Article text and metadata go through md_text/md_code where they are put into a line (see mdtext).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import PurePosixPath

from summarizer.briefing.record import BriefingRecord
from summarizer.document import Article, TranslatedSentence, parse_sentence_id
from summarizer.output.labels import Labels, labels_for
from summarizer.output.mdtext import md_code, md_text
from summarizer.output.wording import date_of

FOLDER = "articles"
# Every page this writer makes; a page matching it that a run did not write is stale.


def render(record: BriefingRecord) -> dict[str, str]:
    names = safe_article_names([a.id for a in record.folder.articles])
    return {f"{FOLDER}/{names[a.id]}.md": render_article(a, record) for a in record.folder.articles}


def safe_article_names(article_ids: list[str]) -> dict[str, str]:
    """A readable, file-system-safe, unique (case-insensitively) page stem for every article id:
    the file name without its extension (`000_berita.txt` → `000_berita`), a record number kept
    (`feed.jsonl@2` → `feed_2`). Two articles that would share a stem are told apart by their
    extension (`berita-html`), and only if that still clashes by a short hash."""
    stems = {article_id: _stem(article_id) for article_id in article_ids}
    shared = Counter(stem.casefold() for stem in stems.values())
    names: dict[str, str] = {}
    taken: set[str] = set()
    for article_id in article_ids:
        name = stems[article_id]
        if shared[name.casefold()] > 1:
            extension = PurePosixPath(article_id.split("@", 1)[0]).suffix.lstrip(".")
            name = _safe(f"{name}-{extension}") if extension else name
        if name.casefold() in taken:
            name = f"{name}-{hashlib.sha1(article_id.encode('utf-8')).hexdigest()[:8]}"
        taken.add(name.casefold())
        names[article_id] = name
    return names


def _stem(article_id: str) -> str:
    path, _, record = article_id.partition("@")
    stem = str(PurePosixPath(path).with_suffix("")) if PurePosixPath(path).suffix else path
    return _safe(f"{stem}_{record}" if record else stem)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "article"


def render_article(article: Article, record: BriefingRecord) -> str:
    """One article: its summary, then each sentence's translation beside the original, with flags."""
    meta = article.metadata
    t = labels_for(record.language)
    number = record.sources.number_of(article.id)
    lines = [f"# {md_text(meta.title or article.id)}", ""]
    date = date_of(meta.date, meta.date_text, record.language)
    # An article left out of the briefing (off-topic, another language) has no source number.
    cited_as = f"[{number}] · " if number is not None else ""
    outlet = md_text(meta.outlet or t.unknown_outlet)
    lines.append(f"{cited_as}{outlet} · {md_text(date)} · {md_code(article.source.path)}")
    lines += ["", f"## {t.summary}", ""]
    summary = record.summary_of.get(article.id)
    if summary:
        lines += [f"- {md_text(s.text)}" + _references(s.cites, article.id, record, t) for s in summary.sentences]
        lines += [f"- _{md_text(t.note.format(note=n))}_" for n in t.say_all(summary.notes)]
    else:
        lines.append(f"_{t.no_summary}_")
    lines += ["", f"## {t.text}", ""]
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            lines += _sentence_lines(sentence.id, sentence.text, record.translated.get(sentence.id), t)
    lines += [f"- _{md_text(n)}_" for n in t.say_all(article.notes)]
    return "\n".join(lines) + "\n"


def _references(cites: list[str], article_id: str, record: BriefingRecord, t: Labels) -> str:
    """Cited sentences as the reader finds them below: "(sentences 2.1, 3.4)", by paragraph and
    sentence number as the text is numbered; a sentence of another article carries its [n]."""
    labels = []
    for sid in cites:
        try:
            ref = parse_sentence_id(sid)
        except ValueError:
            continue
        label = f"{ref.paragraph}.{ref.sentence}"
        if ref.article_id != article_id:
            number = record.sources.number_of(ref.article_id)
            label = f"[{number}] {label}" if number is not None else label
        labels.append(label)
    if not labels:
        return ""
    if len(labels) == 1:
        return f" ({t.sentence_ref.format(label=labels[0])})"
    return f" ({t.sentences_ref.format(labels=', '.join(labels))})"


def _sentence_lines(sid: str, original: str, translation: TranslatedSentence | None, t: Labels) -> list[str]:
    ref = parse_sentence_id(sid)
    head = f"**{ref.paragraph}.{ref.sentence}**"
    if translation is None:
        return [f"{head} {md_text(original)}", ""]
    lines = [f"{head} {md_text(translation.text)}", f"> {md_text(original)}"]
    lines += [f"> ⚑ {md_text(f'{t.code(flag.code)}: {t.say(flag.detail)}')}" for flag in translation.flags]
    return lines + [""]
