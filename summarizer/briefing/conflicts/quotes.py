"""Quotations the outlets give differently: one remark by one speaker, in two outlets.

A quotation is the words between quotation marks with the speaker its sentence gives ("…,"
kata Putin; "…," ujarnya, the story's last named speaker). Two stories carry the same
quotation when most of the shorter one's words recur, in order, in the other. Then:

- **wording**: the same speaker, and inside the shared stretch one outlet has words where the
  other has different words ("dapat memberikan" vs "akan memberikan"). A quotation one outlet
  only shortens (words left out, none changed) is not a conflict;
- **date**: the same speaker, the same words, and a different day for the statement ("…," ujar
  Syafrin, Selasa (10/6/2025) vs "…," kata Syafrin Liputo, Rabu (11/6/2025)).

A quotation given to a role in one outlet and to a named person in another is read by
`people`, which holds roles against what the other outlets call that person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations

from summarizer.briefing.conflicts.dates import weekday_date_spans
from summarizer.briefing.conflicts.model import Conflict, ConflictClaim, Story, conflict_of
from summarizer.output.labels import Message
from summarizer.text.lexicon import ID_FUNCTION_WORDS, ID_NUMBER_WORDS, ID_SPOKEN_FORMS
from summarizer.text.numbers import find_numbers
from summarizer.text.speech import TITLE_WORDS, find_speaker, same_speaker

_QUOTATION = re.compile(r"[“\"](?P<q>[^“”\"]+)[”\"]")
_TOKEN = re.compile(r"\w+")
# Verbs of speech after a quotation ("…," kata X), also glued to the next word by a scraper
# ("jawabsaksi ahli"), and with "-nya" for the last speaker named ("ujarnya").
_SPEECH_VERBS = (
    "kata ujar ucap tutur ungkap imbuh tegas jelas terang papar sebut jawab sahut timpal beber tandas tambah tanya"
).split()
_AFTER_QUOTATION = re.compile(
    r"^\s*,?\s*(?P<verb>" + "|".join(_SPEECH_VERBS) + r")(?P<nya>nya\b)?\s*(?P<who>[^.;:!?()]*)",
    re.IGNORECASE,
)
_WHO_WORD = re.compile(r"[^\W\d_][\w'-]*")
MIN_QUOTATION_WORDS = 6
SAME_QUOTATION = 0.6  # share of the shorter quotation's words found, in order, in the other
SAME_WORDS = 0.9  # near-identical: for comparing the day a remark was made
# Prepositions outlets swap for one another when they transcribe ("di"/"pada", "ke"/"kepada").
_PREPOSITIONS = frozenset("di pada dalam ke kepada untuk bagi terhadap oleh dari".split())
# Spoken fillers a transcript keeps and an edited quotation drops.
_FILLERS = frozenset("ya sih kan nah deh lah dong kok pun eh loh nih tuh gitu".split())


@dataclass(frozen=True)
class Quotation:
    """The words between one pair of quotation marks, with who said them and when."""

    story: Story
    sentence_id: str
    text: str  # as written, without the quotation marks
    tokens: tuple[str, ...]  # lower-case words
    spans: tuple[tuple[int, int], ...]  # each token's place in `text`
    speaker: frozenset[str]  # lower-case words of the speaker phrase; empty when unknown
    speaker_text: str  # the speaker phrase as written
    day: str | None  # the day the sentence gives the remark, as written
    day_value: str | None  # its canonical date ("2025-06-10" or "--06-10")

    @property
    def role_only(self) -> bool:
        """Is the speaker given by a role alone ("saksi ahli"), with no name?"""
        return bool(self.speaker) and not (self.speaker - TITLE_WORDS)


def quotations(stories: list[Story]) -> list[Quotation]:
    found = []
    for story in stories:
        last_speaker: tuple[frozenset[str], str] = (frozenset(), "")
        for sentence_id, text in story.body:
            matches = [m for m in _QUOTATION.finditer(text) if len(_TOKEN.findall(m.group("q"))) >= MIN_QUOTATION_WORDS]
            speaker = _speaker(text, matches[-1].end() if matches else 0) or last_speaker
            if not matches:
                named = find_speaker(_QUOTATION.sub(" ", text), "id")
                if named and not named.pronoun:
                    last_speaker = (named.words, "")
                continue
            if speaker[0]:
                last_speaker = speaker
            day, day_value = _day(text[matches[-1].end() :])
            for match in matches:
                quoted = match.group("q")
                spans = tuple(m.span() for m in _TOKEN.finditer(quoted))
                tokens = tuple(_normal(quoted[a:b].lower()) for a, b in spans)
                found.append(Quotation(story, sentence_id, quoted, tokens, spans, *speaker, day, day_value))
    return found


def _normal(word: str) -> str:
    """One form per word for comparing wordings: "nggak" is "tidak", "tiga" is "3"."""
    if word in ID_NUMBER_WORDS:
        return str(ID_NUMBER_WORDS[word])
    return ID_SPOKEN_FORMS.get(word, word)


def _speaker(text: str, end: int) -> tuple[frozenset[str], str] | None:
    """The speaker named after a quotation, the story's last one for "-nya", or the sentence's."""
    match = _AFTER_QUOTATION.match(text[end:])
    if match and match.group("nya"):
        return None  # "ujarnya": the speaker named last
    if match:
        who = _who(match.group("who"))
        if who:
            return frozenset(w.lower() for w in _WHO_WORD.findall(who)), who
    named = find_speaker(_QUOTATION.sub(" ", text), "id")  # not a speaker inside the quotation
    if named and not named.pronoun and named.words:
        return named.words, ""
    return None


def _who(phrase: str) -> str:
    """The speaker's words: capitalised ones and role words, across a comma before a name
    ("Kepala Dinas Perhubungan DKI Jakarta, Syafrin Liputo"), up to the first other word."""
    words: list[str] = []
    for match in re.finditer(r"[^\s,]+|,", phrase):
        word = match.group(0)
        if word == ",":
            continue
        if (word[0].isupper() or word.lower() in TITLE_WORDS) and not _is_day(word):
            words.append(word)
            continue
        break
    return " ".join(words)


def _is_day(word: str) -> bool:
    return bool(weekday_date_spans(word + " (1/1)"))


def _day(after: str) -> tuple[str | None, str | None]:
    """The day given after a quotation's attribution ("…," kata X, Rabu (11/6/2025))."""
    spans = weekday_date_spans(after)
    dates = [m for m in find_numbers(after, "id") if m.kind == "date"]
    if not dates:
        return None, None
    date = dates[0]
    written = next((after[a:b] for a, b in spans if a <= date.start < b), date.text)
    value = date.value[-5:]  # month and day: the year is often left out
    return written, value


def quotation_conflicts(stories: list[Story]) -> list[Conflict]:
    found = quotations(stories)
    conflicts = []
    for first, second in combinations(found, 2):
        if first.story.source == second.story.source or not _same_speaker(first, second):
            continue
        shared = _shared(first, second)
        if shared is None:
            continue
        (i0, i1), (j0, j1), ratio = shared
        if _reworded(first.tokens[i0:i1], second.tokens[j0:j1]):
            claims = [_wording_claim(first, i0, i1), _wording_claim(second, j0, j1)]
            what = Message("conflict.quotation", speaker=_speaker_name(first, second))
            conflicts.append(conflict_of(what, "quotation", claims))
        elif ratio >= SAME_WORDS and first.day_value and second.day_value and first.day_value != second.day_value:
            claims = [_day_claim(first), _day_claim(second)]
            what = Message("conflict.statement_day", speaker=_speaker_name(first, second))
            conflicts.append(conflict_of(what, "statement date", claims))
    return _merged(conflicts)


def shared_stretch(first: Quotation, second: Quotation) -> tuple[tuple[int, int], tuple[int, int], float] | None:
    """Where two quotations are one remark: the stretch of each they share, and how much of the
    shorter one's words it holds. None when they are different remarks."""
    return _shared(first, second)


def _shared(first: Quotation, second: Quotation) -> tuple[tuple[int, int], tuple[int, int], float] | None:
    matcher = SequenceMatcher(None, first.tokens, second.tokens, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= 2]
    matched = sum(b.size for b in blocks)
    shorter = min(len(first.tokens), len(second.tokens))
    if not blocks or matched < MIN_QUOTATION_WORDS or matched / shorter < SAME_QUOTATION:
        return None
    i0, j0 = blocks[0].a, blocks[0].b
    i1, j1 = blocks[-1].a + blocks[-1].size, blocks[-1].b + blocks[-1].size
    return (i0, i1), (j0, j1), matched / shorter


def _reworded(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Does one stretch have words where the other has different ones (not only words left out,
    fillers, or another spelling or form of the same word: "nggak"/"enggak", "jadi"/"menjadi")?"""
    removed = inserted = False
    for tag, a0, a1, b0, b1 in SequenceMatcher(None, first, second, autojunk=False).get_opcodes():
        gone = [w for w in first[a0:a1] if w not in _FILLERS]
        new = [w for w in second[b0:b1] if w not in _FILLERS]
        if tag == "replace":
            gone, new = _unmatched(gone, new), _unmatched(new, gone)
            if gone and new and not set(gone + new) <= _PREPOSITIONS:
                return True
        # Words left out on one side and added on the other: a change only when both are content.
        removed |= any(w not in ID_FUNCTION_WORDS for w in gone) and tag in ("delete", "replace")
        inserted |= any(w not in ID_FUNCTION_WORDS for w in new) and tag in ("insert", "replace")
    return removed and inserted


def _unmatched(words: list[str], others: list[str]) -> list[str]:
    """The words of `words` with no form or spelling of theirs among `others`."""
    return [w for w in words if not any(_same_word(w, o) for o in others)]


# Verb and noun prefixes ("menjadi", "dijadikan", "pejabat"): a word with one is a form of its root.
_PREFIX = re.compile(r"^(?:meng|meny|mem|men|me|peng|peny|pem|pen|pe|di|ber|be|ter|ke|se)(?=\w{3,})")


def _same_word(first: str, second: str) -> bool:
    if first == second or _PREFIX.sub("", first) == _PREFIX.sub("", second):
        return True
    shorter = min(len(first), len(second))
    return shorter >= 4 and _close(first, second, 1 if shorter < 8 else 2)


def _close(first: str, second: str, limit: int) -> bool:
    """Edit distance at most `limit` (a spelling variant: "menterjemahkan"/"menerjemahkan")."""
    if abs(len(first) - len(second)) > limit:
        return False
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1] <= limit


def _same_speaker(first: Quotation, second: Quotation) -> bool:
    if not first.speaker or not second.speaker:
        return False
    return same_speaker(first.speaker, second.speaker) or same_speaker(second.speaker, first.speaker)


def _speaker_name(first: Quotation, second: Quotation) -> str:
    texts = [q.speaker_text for q in (first, second) if q.speaker_text]
    if texts:
        return min(texts, key=len)
    return " ".join(w.capitalize() for w in sorted(first.speaker - TITLE_WORDS)) or " ".join(sorted(first.speaker))


def _wording_claim(quotation: Quotation, start: int, end: int) -> ConflictClaim:
    begin, finish = quotation.spans[start][0], quotation.spans[end - 1][1]
    value = " ".join(quotation.tokens)
    return quotation.story.claim(quotation.sentence_id, value, quotation.text[begin:finish])


def _day_claim(quotation: Quotation) -> ConflictClaim:
    assert quotation.day_value is not None
    return quotation.story.claim(quotation.sentence_id, quotation.day_value, quotation.day or "")


def _merged(conflicts: list[Conflict]) -> list[Conflict]:
    """One conflict per remark: pairs that share a claim are one remark given several ways."""
    merged: list[Conflict] = []
    for conflict in conflicts:
        keys = {(c.source, c.sentence_id) for c in conflict.claims}
        for other in merged:
            if other.kind == conflict.kind and keys & {(c.source, c.sentence_id) for c in other.claims}:
                other.claims = conflict_of(other.what, other.kind, other.claims + conflict.claims).claims
                break
        else:
            merged.append(conflict)
    return merged
