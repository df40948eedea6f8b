"""Output writers: briefing.md, briefing.json and one articles/<id>.md per article.

Every file is written atomically (a temp file in the same folder, flushed and fsynced, then
os.replace), so a run killed mid-write leaves the previous file intact, never half of a new one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from summarizer.briefing.compose import Briefing
from summarizer.document import (
    Article,
    ArticleSummary,
    ArticleTranslation,
    Folder,
    article_of,
    parse_sentence_id,
    to_dict,
)

JSON_SCHEMA_VERSION = 1


@dataclass
class ModelInfo:
    role: str  # "translator" | "summarizer"
    name: str  # registry name or local path
    revision: str | None


@dataclass
class RunFlag:
    """A flag raised outside the translation (which keeps its own per-sentence flags)."""

    where: str  # sentence id, article id, or "" for the whole run
    code: str
    detail: str


@dataclass
class RunRecord:
    """Everything one folder's run produced, as the writers need it."""

    folder: Folder
    language: str  # the briefing language
    translations: list[ArticleTranslation]
    summaries: list[ArticleSummary]
    briefing: Briefing
    models: list[ModelInfo] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    flags: list[RunFlag] = field(default_factory=list)


def atomic_write(path: Path, write: Callable[[TextIO], None]) -> Path:
    """Write through `write(handle)` to a temp file beside `path`, then swap it in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        "w",
        encoding="utf-8",
        newline="\n",
        dir=path.parent,
        prefix=f".{path.name}.",
        suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return path


def remove_leftovers(out_dir: Path, keep_pages: set[str]) -> None:
    """Delete what earlier runs left that no longer belongs: temp files of a killed write (a kill
    can land between writing and renaming) and pages of articles that left the folder."""
    for partial in [*out_dir.glob(".*.tmp"), *out_dir.glob("articles/.*.tmp")]:
        partial.unlink(missing_ok=True)
    for page in out_dir.glob("articles/*.md"):
        if page.name not in keep_pages:
            page.unlink()


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write(path, lambda handle: handle.write(text))


def write_outputs(out_dir: Path, run: RunRecord) -> list[Path]:
    """Write the article pages, briefing.json and briefing.md; return their paths.

    Everything is rendered before the first write, so a rendering error changes no file; each
    file is then replaced atomically.
    """
    names = safe_article_names([a.id for a in run.folder.articles])
    remove_leftovers(out_dir, keep_pages={f"{name}.md" for name in names.values()})
    contents = {out_dir / "articles" / f"{names[a.id]}.md": render_article(a, run) for a in run.folder.articles}
    contents[out_dir / "briefing.json"] = (
        json.dumps(briefing_json(run), ensure_ascii=False, indent=2, default=_json_default) + "\n"
    )
    contents[out_dir / "briefing.md"] = render_briefing(run)
    return [atomic_write_text(path, text) for path, text in contents.items()]


def _json_default(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


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


# ---------------------------------------------------------------- briefing.json


def briefing_json(run: RunRecord) -> dict[str, Any]:
    """The machine-readable record: every citation resolves to translation and original."""
    translated = _translations_by_id(run.translations)
    originals = {s.id: s.text for a in run.folder.articles for s in a.sentences()}
    numbers = _source_numbers(run.briefing)
    briefing = to_dict(run.briefing)
    for point in briefing["points"]:
        point["cites"] = [_resolved(sid, translated, originals, numbers) for sid in point["cites"]]
    return {
        "schema": JSON_SCHEMA_VERSION,
        "folder": {"path": run.folder.path, "name": run.folder.name, "skipped": to_dict(run.folder.skipped),
                   "clusters": to_dict(run.folder.clusters)},
        "language": run.language,
        "models": to_dict(run.models),
        "settings": run.settings,
        "timings": run.timings,
        "articles": [_article_json(a, numbers, translated) for a in run.folder.articles],
        "translations": [
            {"article_id": t.article_id, "model": t.model, "revision": t.revision,
             "sentences": len(t.sentences), "cached": sum(s.cached for s in t.sentences)}
            for t in run.translations
        ],
        "summaries": to_dict(run.summaries),
        "briefing": briefing,
        "flags": _all_flags(run, translated),
    }  # fmt: skip


def _source_numbers(briefing: Briefing) -> dict[str, int]:
    return {m: s.number for s in briefing.sources for m in [s.article_id, *(c.article_id for c in s.copies)]}


def _translations_by_id(translations: list[ArticleTranslation]) -> dict[str, Any]:
    return {s.id: s for t in translations for s in t.sentences}


def _resolved(sid: str, translated: dict[str, Any], originals: dict[str, str], numbers: dict[str, int]):
    article_id = article_of(sid)
    translation = translated.get(sid)
    return {
        "id": sid,
        "article_id": article_id,
        "source": numbers.get(article_id),
        "original": originals.get(sid),
        "translation": translation.text if translation else None,
    }


def _article_json(article: Article, numbers: dict[str, int], translated: dict[str, Any]) -> dict[str, Any]:
    sentences = []
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            translation = translated.get(sentence.id)
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
        "number": numbers.get(article.id),
        "source": to_dict(article.source),
        "metadata": to_dict(article.metadata),
        "language": article.language,
        "language_detected": article.language_detected,
        "removals": to_dict(article.removals),
        "repairs": to_dict(article.repairs),
        "notes": article.notes,
        "sentences": sentences,
    }


def _all_flags(run: RunRecord, translated: dict[str, Any]) -> list[dict[str, str]]:
    flags = [
        {"where": sid, "code": flag.code, "detail": flag.detail}
        for sid, sentence in translated.items()
        for flag in sentence.flags
    ]
    return flags + [to_dict(f) for f in run.flags]


# ---------------------------------------------------------------- briefing.md


def citation_marks(sources: list[int]) -> str:
    return "".join(f"[{n}]" for n in sources)


def verification_line(briefing: Briefing) -> str:
    """One line for the run report: citation precision/recall and what was repaired or dropped."""
    m = briefing.metrics
    precision = "n/a" if m.precision is None else f"{m.precision:.2f}"
    recall = "n/a" if m.recall is None else f"{m.recall:.2f}"
    return (
        f"model citations: precision {precision}, recall {recall} "
        f"({m.sentences} sentences, {m.citations} citations); {m.recited} re-cited, {m.dropped} dropped"
    )


def render_briefing(run: RunRecord) -> str:
    b = run.briefing
    stories = len(b.sources)
    articles = len(run.folder.articles)
    lines = [
        f"# {b.title}",
        "",
        *(
            [f"> ⚠ The sources differ on a value in this title: {'; '.join(b.title_disputed)}", ""]
            if b.title_disputed
            else []
        ),
        f"_{stories} stories from {articles} articles · key points by {b.model}, verified against the sources_",
        "",
    ]
    lines += ["## Key points", ""]
    lines += [f"- {p.text} {citation_marks(p.sources)}{_disputed(p.disputed)}" for p in b.points] or [
        "_No key point could be verified._"
    ]
    lines += ["", "## Figures and claims by source", ""]
    lines += _conflict_lines(b) + _figure_lines(b) or ["_No figure differs between sources._"]
    lines += ["", "## Sources", ""]
    lines += _source_lines(b)
    if b.off_topic:
        kept = all(o.kept for o in b.off_topic)
        lines += ["", "## Off-topic articles (briefed anyway)" if kept else "## Left out: off-topic articles", ""]
        lines += [f"- {_describe(o.title, o.outlet, o.date, o.file)}: {o.reason}, {o.detail}" for o in b.off_topic]
    lines += ["", "## Verification", "", verification_line(b)]
    if b.dropped:
        lines += ["", "Dropped (no source supports them):"]
        lines += [f'- "{d.text}" {citation_marks(d.sources)} — {d.reason}' for d in b.dropped]
    notes = b.notes + [f"{f.where}: {f.code}: {f.detail}" if f.where else f"{f.code}: {f.detail}" for f in run.flags]
    if notes:
        lines += ["", "Notes:"] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def _disputed(disputed: list[str]) -> str:
    return f" ⚠ _sources differ: {'; '.join(disputed)}_" if disputed else ""


def _conflict_lines(b: Briefing) -> list[str]:
    """Values the outlets contradict each other on: who said what, where (sentence id)."""
    lines: list[str] = []
    for conflict in b.conflicts:
        lines += [f"**Sources differ: {conflict.what}**", ""]
        for c in sorted(conflict.claims, key=lambda c: c.source):
            where = ", ".join(x for x in (c.outlet, c.date) if x)
            lines.append(f"- **{c.text}** — [{c.source}]" + (f" {where}" if where else "") + f" (`{c.sentence_id}`)")
            lines.append(f"  > {c.sentence}")
        lines.append("")
    return lines


def _figure_lines(b: Briefing) -> list[str]:
    lines: list[str] = []
    for group in b.figures:
        lines += [f"**{group.label}**", ""]
        for c in group.claims:
            who = c.who or "no attribution in the text"
            when = ", ".join(x for x in (c.when, f"article dated {c.article_date}" if c.article_date else None) if x)
            # "400-an" (some 400) keeps its hedge next to the plain value.
            hedge = f' (written "{c.as_written}")' if re.search(r"[^\d.,]", c.as_written) else ""
            lines.append(f"- **{c.display}**{hedge} — {who}" + (f" ({when})" if when else "") + f" [{c.source}]")
            lines.append(f"  > {c.text}")
        lines.append("")
    return lines[:-1]


def _source_lines(b: Briefing) -> list[str]:
    lines = []
    for s in b.sources:
        lines.append(f"{s.number}. {_describe(s.title, s.outlet, s.date, s.file)}")
        for c in s.copies:
            similarity = f" (similarity {c.similarity:.2f})" if c.similarity is not None else ""
            lines.append(f"   - copy: {_describe(c.title, c.outlet, c.date, c.file)}{similarity}")
    return lines


def _describe(title: str | None, outlet: str | None, date: str | None, file: str) -> str:
    parts = [f"**{title}**" if title else "(untitled)", outlet or "unknown outlet", date or "undated"]
    return " — ".join(parts) + f" — `{file}`"


# ---------------------------------------------------------------- articles/<id>.md


def render_article(article: Article, run: RunRecord) -> str:
    """One article: its summary, then each sentence's translation beside the original, with flags."""
    translated = _translations_by_id(run.translations)
    meta = article.metadata
    number = _source_numbers(run.briefing).get(article.id)
    lines = [f"# {meta.title or article.id}", ""]
    date = meta.date or meta.date_text or "undated"
    lines.append(f"[{number}] · {meta.outlet or 'unknown outlet'} · {date} · `{article.source.path}`")
    lines += ["", "## Summary", ""]
    summary = next((s for s in run.summaries if s.article_id == article.id), None)
    if summary:
        lines += [f"- {s.text}" + (f" ({', '.join(s.cites)})" if s.cites else "") for s in summary.sentences]
        lines += [f"- _note: {n}_" for n in summary.notes]
    else:
        lines.append("_No summary for this article (a copy of another story, or not summarized)._")
    lines += ["", "## Text", ""]
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            lines += _sentence_lines(sentence.id, sentence.text, translated.get(sentence.id))
    lines += [f"- _{n}_" for n in article.notes]
    return "\n".join(lines) + "\n"


def _sentence_lines(sid: str, original: str, translation: Any) -> list[str]:
    ref = parse_sentence_id(sid)
    head = f"**{ref.paragraph}.{ref.sentence}**"
    if translation is None:
        return [f"{head} {original}", ""]
    lines = [f"{head} {translation.text}", f"> {original}"]
    lines += [f"> ⚑ {flag.code}: {flag.detail}" for flag in translation.flags]
    return lines + [""]
