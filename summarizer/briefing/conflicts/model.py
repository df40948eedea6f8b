"""What every conflict finder shares: the claim and conflict records, and the briefed stories
read as (sentence id, text) pairs with the outlet's headline first."""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer.document import Folder


@dataclass
class ConflictClaim:
    """One story's version of a contested value."""

    source: int  # the story's source number [n]
    article_id: str
    outlet: str | None
    date: str | None
    sentence_id: str  # "<article id>:title" when the outlet's headline states it
    value: str  # canonical value (numbers.py), a weekday, an identifier's number, a word or a quotation
    text: str  # the value as written with what it measures, e.g. "kedalaman 13 km"
    sentence: str  # the whole original sentence


@dataclass
class Conflict:
    """A value the outlets disagree on."""

    # What is measured, e.g. "kedalaman (km)", "SV number", "weekday of 10/6" (a Message when the
    # tool words it, so each briefing language words it its own way).
    what: str
    kind: str
    claims: list[ConflictClaim] = field(default_factory=list)
    # Who or what the value belongs to, when the conflict is about a person ("role of X"): a
    # text only states the contested value when it names them too.
    subject: str | None = None

    @property
    def values(self) -> list[str]:
        return sorted({c.value for c in self.claims})


@dataclass(frozen=True)
class Story:
    """One briefed article as the conflict finders read it."""

    article_id: str
    source: int
    outlet: str | None
    date: str | None
    title: str | None
    sentences: tuple[tuple[str, str], ...]  # (sentence id, original text), the headline first

    def claim(self, sentence_id: str, value: str, text: str) -> ConflictClaim:
        sentence = dict(self.sentences).get(sentence_id, "")
        return ConflictClaim(self.source, self.article_id, self.outlet, self.date, sentence_id, value, text, sentence)

    @property
    def body(self) -> tuple[tuple[str, str], ...]:
        """The sentences without the headline."""
        return tuple(s for s in self.sentences if not s[0].endswith(":title"))


def briefed_stories(folder: Folder, numbers: dict[str, int]) -> list[Story]:
    """The articles that have a source number, in source order; the others are left out."""
    stories = []
    for article in folder.articles:
        if article.id not in numbers:
            continue
        title = article.metadata.title
        sentences = [(f"{article.id}:title", title)] if title else []
        sentences += [(s.id, s.text) for s in article.sentences()]
        meta = article.metadata
        stories.append(Story(article.id, numbers[article.id], meta.outlet, meta.date, title, tuple(sentences)))
    return sorted(stories, key=lambda s: s.source)


def conflict_of(what: str, kind: str, claims: list[ConflictClaim], subject: str | None = None) -> Conflict:
    """A conflict with its claims in source order, one per story and value."""
    seen: set[tuple[int, str]] = set()
    unique = []
    for claim in sorted(claims, key=lambda c: c.source):
        if (claim.source, claim.value) not in seen:
            seen.add((claim.source, claim.value))
            unique.append(claim)
    return Conflict(what, kind, unique, subject)
