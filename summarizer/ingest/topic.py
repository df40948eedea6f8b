"""Off-topic articles: a page about another event, or the same kind of event at another time.

Judged from the folder itself, never from a topic list:

- **another time**: the articles' dates (publication dates, else the dates their text gives)
  form one run of days; an article dated well outside it whose text names no day of that run
  reports an earlier or later event ("a magnitude 5.0 quake on Monday 9 June" in a folder about
  the 18 June quake, a similar accident ten years before);
- **another event**: an article that shares almost no weighted content words (names, places,
  figures, topic words) with any other article of the folder.

A folder that does not show a clear majority (fewer than three articles, no dated run holding
most of them) decides nothing. When only a weak signal is there the article is kept and a note
says why it may be off-topic: an on-topic article must never be dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from summarizer.document import Article, OffTopic
from summarizer.output.labels import Message
from summarizer.text.numbers import find_numbers
from summarizer.text.similarity import tfidf_matrix, tokens

# Days between two articles' dates that still belong to one run of coverage (follow-ups come
# over several days; a different event of the same kind is usually further away).
SAME_RUN_DAYS = 3
# Highest TF-IDF cosine to any other article below which an article shares no story with the
# folder. On the corpus, on-topic articles reach 0.18 or more with some other article; a page
# from another story reaches 0.05.
UNRELATED = 0.08
# Between UNRELATED and this, the article is kept with a note.
WEAKLY_RELATED = 0.12
MIN_ARTICLES = 3


@dataclass
class TopicCheck:
    off_topic: list[OffTopic]
    notes: list[str]  # articles kept although one signal says they may be off-topic


def find_off_topic(articles: list[Article]) -> TopicCheck:
    """The off-topic articles of a story folder, and notes on the doubtful ones."""
    if len(articles) < MIN_ARTICLES:
        return TopicCheck([], [])
    off: list[OffTopic] = []
    notes: list[str] = []
    similarity = _max_similarity(articles)
    for article, best in zip(articles, similarity, strict=True):
        if best < UNRELATED:
            detail = Message("topic.another_event", best=float(best))
            off.append(OffTopic(article.id, "another-event", detail))
        elif best < WEAKLY_RELATED:
            notes.append(Message("topic.kept_unrelated", article=article.id, best=float(best)))
    flagged = {o.article_id for o in off}
    remaining = [a for a in articles if a.id not in flagged]
    timing, timing_notes = _another_time(remaining)
    return TopicCheck(off + timing, notes + timing_notes)


def _max_similarity(articles: list[Article]) -> list[float]:
    texts = [
        tokens(" ".join([a.metadata.title or "", *(s.text for s in a.sentences())]), _language(a)) for a in articles
    ]
    matrix = tfidf_matrix(texts)
    similarity = matrix @ matrix.T
    np.fill_diagonal(similarity, 0.0)
    return [float(row.max()) for row in similarity]


def _language(article: Article) -> str:
    return "en" if article.language == "en" else "id"


def _another_time(articles: list[Article]) -> tuple[list[OffTopic], list[str]]:
    """Articles dated outside the folder's main run of days whose text names no day of it."""
    days = {a.id: _article_day(a) for a in articles}
    dated = sorted((d, aid) for aid, d in days.items() if d is not None)
    if len(dated) < MIN_ARTICLES:
        return [], []
    runs: list[list[tuple[date, str]]] = [[dated[0]]]
    for item in dated[1:]:
        if (item[0] - runs[-1][-1][0]).days <= SAME_RUN_DAYS:
            runs[-1].append(item)
        else:
            runs.append([item])
    main = max(runs, key=len)
    if len(main) * 2 <= len(dated) or sum(len(r) == len(main) for r in runs) > 1:
        return [], []  # no clear majority of dates: decide nothing
    first, last = main[0][0], main[-1][0]
    off: list[OffTopic] = []
    notes: list[str] = []
    by_id = {a.id: a for a in articles}
    for run in runs:
        if run is main:
            continue
        for day, aid in run:
            mentioned = _mentioned_days(by_id[aid], day.year)
            gap = (first - day).days if day < first else (day - last).days
            span = f"{first.isoformat()}..{last.isoformat()}" if first != last else first.isoformat()
            if any(first <= d <= last for d in mentioned):
                notes.append(Message("topic.kept_dated", article=aid, day=day.isoformat(), gap=gap, span=span))
                continue
            told = ", ".join(sorted({d.isoformat() for d in mentioned})) or Message("topic.no_other_date")
            detail = Message("topic.another_time", day=day.isoformat(), gap=gap, count=len(main), span=span, told=told)
            off.append(OffTopic(aid, "another-time", detail))
    return off, notes


def _article_day(article: Article) -> date | None:
    value = article.metadata.date
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _mentioned_days(article: Article, year: int) -> set[date]:
    """Days the text names ("Rabu (18/6/2025)", "18 Juni 2025", "Kamis (19/6)")."""
    found: set[date] = set()
    for sentence in article.sentences():
        for mention in find_numbers(sentence.text, "id"):
            if mention.kind != "date":
                continue
            for value in mention.values:
                day = _as_day(value, year)
                if day:
                    found.add(day)
    return found


def _as_day(value: str, year: int) -> date | None:
    """A canonical date value ("2025-06-18", or "--06-18" without a year) as a day."""
    try:
        if value.startswith("--"):
            return date(year, int(value[2:4]), int(value[5:7]))
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        return None
    return None
