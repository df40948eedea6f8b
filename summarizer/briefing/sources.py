"""Source numbers [n], computed once per folder and passed to every stage that cites or shows them.

Numbering is per story, not per file: near-duplicates (the folder's duplicate clusters) share the
original's number and are listed under it, so a briefing cites the original, not a syndicated
copy. Stories are numbered in folder order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer.document import Article, Folder


@dataclass
class SourceGroup:
    """One story: its source number, its original article and its near-duplicate copies."""

    number: int
    original: str
    copies: list[str] = field(default_factory=list)

    @property
    def members(self) -> list[str]:
        return [self.original, *self.copies]


@dataclass
class SourceNumbering:
    """Every story's number, and every article's (copies get their original's number)."""

    groups: list[SourceGroup]
    numbers: dict[str, int]  # article id → source number
    originals: frozenset[str]  # article ids that head a story
    copies: frozenset[str]  # article ids counted under another article's number

    def number_of(self, article_id: str) -> int | None:
        return self.numbers.get(article_id)


def number_sources(folder: Folder) -> SourceNumbering:
    """Source numbers in folder order, one per story; copies join their original's number."""
    copy_of = {c: cluster.original for cluster in folder.clusters for c in cluster.copies}
    groups: dict[str, SourceGroup] = {}
    for article in folder.articles:
        if article.id not in copy_of:
            groups[article.id] = SourceGroup(len(groups) + 1, article.id)
    for article in folder.articles:
        original = copy_of.get(article.id)
        if original in groups:
            groups[original].copies.append(article.id)
        elif original is not None:  # a copy whose original is not in the folder stands alone
            groups[article.id] = SourceGroup(len(groups) + 1, article.id)
    ordered = sorted(groups.values(), key=lambda g: g.number)
    return SourceNumbering(
        groups=ordered,
        numbers={member: g.number for g in ordered for member in g.members},
        originals=frozenset(g.original for g in ordered),
        copies=frozenset(c for g in ordered for c in g.copies),
    )


@dataclass
class SourceCopy:
    article_id: str
    title: str | None
    outlet: str | None
    date: str | None
    file: str
    similarity: float | None = None


@dataclass
class SourceEntry:
    """One line of the briefing's source list: the story's original and its copies."""

    number: int
    article_id: str
    title: str | None
    outlet: str | None
    date: str | None
    file: str
    copies: list[SourceCopy] = field(default_factory=list)


def source_entries(folder: Folder, sources: SourceNumbering) -> list[SourceEntry]:
    """The source list shown with the briefing, one entry per story in number order."""
    similarity = {c: s for cluster in folder.clusters for c, s in cluster.similarity.items()}
    entries = []
    for group in sources.groups:
        article = folder.article(group.original)
        meta = article.metadata
        copies = [_source_copy(folder.article(c), similarity.get(c)) for c in group.copies]
        entries.append(
            SourceEntry(group.number, article.id, meta.title, meta.outlet, meta.date, article.source.path, copies)
        )
    return entries


def _source_copy(article: Article, similarity: float | None) -> SourceCopy:
    meta = article.metadata
    return SourceCopy(article.id, meta.title, meta.outlet, meta.date, article.source.path, similarity)
