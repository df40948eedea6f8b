"""briefing.html: one self-contained page whose citation markers open the cited sentences.

Article text is untrusted, so the page is rendered by Jinja2 with autoescaping on, and a
Content-Security-Policy allows nothing but this page's own inline style and script (by hash): no
request can leave the page, and injected markup could not run even if it escaped. Links are only
made to anchors inside the page and, for an article's own URL, to http(s) addresses.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from summarizer.briefing.conflicts import Conflict
from summarizer.briefing.figures import FigureGroup
from summarizer.briefing.record import BriefingRecord
from summarizer.document import Article, Flag, TranslatedSentence, article_of
from summarizer.output.labels import Labels, labels_for
from summarizer.output.wording import (
    briefed_line,
    citation_change_lines,
    claim_context,
    date_of,
    flag_text,
    ratio,
    verification_line,
)

FILE_NAME = "briefing.html"
TEMPLATES = "templates"


@dataclass
class CitedSentence:
    """One cited sentence as a citation panel shows it."""

    anchor: str  # id of its row in the article view
    label: str  # "paragraph.sentence"
    translation: str | None
    original: str
    original_lang: str
    flags: list[Flag]
    outlet: str
    date: str
    file: str


@dataclass
class Citation:
    """One [n] marker of a key point and the sentences of story n that support the point."""

    number: int
    panel: str  # id of the panel the marker opens
    source: str  # the story's outlet (or file)
    sentences: list[CitedSentence]


@dataclass
class Point:
    text: str
    origin: str  # "model" | "extractive"
    citations: list[Citation]


@dataclass
class Claim:
    """One figure of a "figures and claims" group."""

    display: str
    hedge: str
    who: str
    when: str
    number: int
    text: str
    anchor: str


@dataclass
class Figures:
    label: str
    values: int  # how many different values the stories report
    claims: list[Claim]


@dataclass
class ContestedClaim:
    """One outlet's version of a value the outlets contradict each other on."""

    text: str
    number: int
    outlet: str
    date: str
    sentence: str
    anchor: str  # the sentence in the article view; the article itself when the headline states it


@dataclass
class Contested:
    what: str
    claims: list[ContestedClaim]


@dataclass
class Row:
    """One sentence of an article: its translation beside the original."""

    anchor: str
    label: str
    original: str
    translation: str | None
    flags: list[Flag]


@dataclass
class SummaryLine:
    text: str
    cites: list[tuple[str, str]]  # (label, anchor) of the sentences it draws on


@dataclass
class ArticleView:
    anchor: str
    number: int | None
    title: str
    outlet: str
    date: str
    file: str
    url: str | None  # only an http(s) address becomes a link
    lang: str
    summary: list[SummaryLine] | None
    summary_notes: list[str]
    rows: list[Row]
    translated: bool  # the article view has a translation column
    notes: list[str]


@dataclass
class _Anchors:
    """Page anchors of articles and sentences, and sentence labels, by id."""

    article: dict[str, str]
    sentence: dict[str, str]
    label: dict[str, str]


def render(record: BriefingRecord) -> dict[str, str]:
    return {FILE_NAME: render_html(record)}


def render_html(record: BriefingRecord) -> str:
    """The whole page; everything variable is escaped by the template engine."""
    css, script = _asset("briefing.css"), _asset("briefing.js")
    anchors = _anchors(record)
    b = record.briefing
    t = labels_for(record.language)
    return _template().render(
        lang=record.language,
        title=b.title,
        briefed=briefed_line(record),
        readable_date=lambda date: date_of(date, None, record.language),
        models=[f"{t.code(m.role)} {m.name}" + (f" ({m.revision[:12]})" if m.revision else "") for m in record.models],
        points=[_point(i, p.text, p.origin, p.sources, p.cites, record, anchors) for i, p in enumerate(b.points, 1)],
        figures=[_figures(g, anchors, record.language) for g in b.figures],
        conflicts=[_contested(c, anchors, record.language) for c in b.conflicts],
        title_disputed=t.say_all(b.title_disputed),
        disputed=[t.say_all(p.disputed) for p in b.points],
        off_topic=b.off_topic,
        sources=b.sources,
        article_anchors=anchors.article,
        skipped=record.folder.skipped,
        not_briefed=[(f.where, flag_text(f, t)) for f in record.flags],
        metrics=b.metrics,
        shown=b.shown_metrics,
        t=t,
        say=t.say,
        ratio=lambda value: ratio(value, t),
        changes=citation_change_lines(b),
        verification=verification_line(b),
        dropped=b.dropped,
        notes=t.say_all(b.notes),
        articles=[_article(a, record, anchors) for a in record.folder.articles],
        css=css,
        script=script,
        csp=content_security_policy(css, script),
    )


def content_security_policy(css: str, script: str) -> str:
    """Nothing may be fetched or sent; only this page's own style and script may apply or run."""
    return (
        f"default-src 'none'; style-src '{_sha256(css)}'; script-src '{_sha256(script)}'; "
        "base-uri 'none'; form-action 'none'"
    )


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@cache
def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer.output", TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("briefing.html.j2")


@cache
def _asset(name: str) -> str:
    """An inline asset; it must not be able to end its own <style>/<script> element early."""
    text = resources.files("summarizer.output").joinpath(TEMPLATES, name).read_text(encoding="utf-8")
    if "</" in text:
        raise ValueError(f"{name} must not contain '</': it is inlined into the page")
    return text


def _anchors(record: BriefingRecord) -> _Anchors:
    article, sentence, label = {}, {}, {}
    for i, a in enumerate(record.folder.articles, 1):
        article[a.id] = f"a{i}"
        for paragraph in a.paragraphs:
            for j, s in enumerate(paragraph.sentences, 1):
                sentence[s.id] = f"a{i}-{paragraph.index}-{j}"
                label[s.id] = f"{paragraph.index}.{j}"
    return _Anchors(article, sentence, label)


def _point(
    index: int, text: str, origin: str, numbers: list[int], cites: list[str], record: BriefingRecord, anchors: _Anchors
) -> Point:
    """A key point with one citation per [n], each holding the sentences of story n it cites."""
    by_number: dict[int, list[str]] = {}
    for sid in cites:
        number = record.sources.number_of(article_of(sid))
        if number is not None:
            by_number.setdefault(number, []).append(sid)
    entries = {s.number: s for s in record.briefing.sources}
    citations = []
    for n in numbers:
        entry = entries.get(n)
        source = (entry.outlet or entry.file) if entry else labels_for(record.language).source_fallback.format(number=n)
        cited = [_cited(sid, record, anchors) for sid in by_number.get(n, [])]
        citations.append(Citation(n, f"cite-{index}-{n}", source, cited))
    return Point(text, origin, citations)


def _cited(sid: str, record: BriefingRecord, anchors: _Anchors) -> CitedSentence:
    article = record.folder.article(article_of(sid))
    translation = record.translated.get(sid)
    return CitedSentence(
        anchor=anchors.sentence[sid],
        label=anchors.label[sid],
        translation=translation.text if translation else None,
        original=record.originals[sid],
        original_lang=article.language,
        flags=_flags(translation, labels_for(record.language)),
        outlet=article.metadata.outlet or labels_for(record.language).unknown_outlet,
        date=_date(article, record.language),
        file=article.source.path,
    )


def _figures(group: FigureGroup, anchors: _Anchors, language: str) -> Figures:
    claims = []
    for c in group.claims:
        who, when, hedge = claim_context(c, language)
        claims.append(Claim(c.display, hedge, who, when, c.source, c.text, anchors.sentence[c.sentence_id]))
    label = labels_for(language).count_label(group.counted, group.qualifier)
    return Figures(label, len({c.value for c in group.claims}), claims)


def _contested(conflict: Conflict, anchors: _Anchors, language: str) -> Contested:
    t = labels_for(language)
    claims = [
        ContestedClaim(
            c.text,
            c.source,
            c.outlet or t.unknown_outlet,
            date_of(c.date, None, language),
            c.sentence,
            anchors.sentence.get(c.sentence_id, anchors.article[c.article_id]),
        )
        for c in sorted(conflict.claims, key=lambda c: c.source)
    ]
    return Contested(t.say(conflict.what), claims)


def _article(article: Article, record: BriefingRecord, anchors: _Anchors) -> ArticleView:
    meta = article.metadata
    t = labels_for(record.language)
    summary = record.summary_of.get(article.id)
    rows = []
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            translation = record.translated.get(sentence.id)
            flags = _flags(translation, t)
            text = translation.text if translation else None
            rows.append(Row(anchors.sentence[sentence.id], anchors.label[sentence.id], sentence.text, text, flags))
    return ArticleView(
        anchor=anchors.article[article.id],
        number=record.sources.number_of(article.id),
        title=meta.title or article.id,
        outlet=meta.outlet or t.unknown_outlet,
        date=_date(article, record.language),
        file=article.source.path,
        url=meta.url if meta.url and urlsplit(meta.url).scheme in ("http", "https") else None,
        lang=article.language,
        summary=_summary_lines(summary.sentences, anchors) if summary else None,
        summary_notes=t.say_all(summary.notes) if summary else [],
        rows=rows,
        translated=any(r.translation is not None for r in rows),
        notes=t.say_all(article.notes),
    )


def _flags(translation: TranslatedSentence | None, t: Labels) -> list[Flag]:
    """A translated sentence's flags as the briefing's language words them."""
    return [Flag(t.code(f.code), t.say(f.detail)) for f in translation.flags] if translation else []


def _summary_lines(sentences: list[Any], anchors: _Anchors) -> list[SummaryLine]:
    return [
        SummaryLine(s.text, [(anchors.label[sid], anchors.sentence[sid]) for sid in s.cites if sid in anchors.sentence])
        for s in sentences
    ]


def _date(article: Article, language: str) -> str:
    return date_of(article.metadata.date, article.metadata.date_text, language)
