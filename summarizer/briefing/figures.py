""" "Figures and claims by source": the numbers outlets report differently, with who and when.

Early reports of an event disagree (1,500 troops, then 3,000, 5,000, 10,000), and a briefing that
picks one figure hides that. Each count is read from the ORIGINAL sentence (so it works whatever
the translation quality), grouped by what is counted (the noun after the number, through a small
synonym table, plus who the count belongs to: "pasukan Korea Utara" vs "tentara Rusia"), and
shown with its attribution ("kata X", "menurut X", "X mengatakan"), its own time expression
("awal bulan ini", "Rabu lalu") and the article date. Only groups whose values differ across
stories or dates are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from summarizer.briefing.sources import SourceNumbering
from summarizer.document import Folder
from summarizer.text.lexicon import EN_DAY_NAMES, ID_DAY_NAMES, MONTH_NAMES
from summarizer.text.numbers import NumberMention, find_numbers

# What is counted: the noun after the number (Indonesian and English) → one English label.
COUNTED = {
    "troops": "tentara pasukan prajurit serdadu personel militer troop troops soldier soldiers personnel servicemen",
    "people": "orang warga penduduk jiwa people persons residents",
    "casualties": "korban casualties victims",
    "deaths": "tewas meninggal deaths dead killed",
    "passengers": "penumpang passengers",
    "pilgrims": "jemaah jamaah calon pilgrims",
    "crew": "kru awak crew",
    "aircraft": "pesawat aircraft planes jets",
    "missiles": "rudal misil missiles",
    "shells": "peluru amunisi shells rounds",
    "drones": "drone drones",
    "vehicles": "kendaraan tank tanks vehicles",
    "buildings": "rumah bangunan gedung houses homes buildings",
    "flights": "penerbangan flights",
}
_COUNTED_BY_NOUN = {noun: label for label, nouns in COUNTED.items() for noun in nouns.split()}
_DAYS = "|".join(ID_DAY_NAMES)
_EN_DAYS = "|".join(EN_DAY_NAMES)
_MONTHS = "|".join(MONTH_NAMES)
_CALENDAR_WORDS = frozenset(w.casefold() for w in f"{_DAYS}|{_EN_DAYS}|{_MONTHS}".split("|"))
_TIME_EXPRESSIONS = [
    rf"(?:(?:pada|Pada)\s+)?(?:hari\s+)?(?:{_DAYS})(?:\s+(?:pagi|siang|sore|malam))?"
    rf"(?:\s*\(\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\))?(?:\s+\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?)?"
    r"(?:\s+lalu)?",
    r"(?i:(?:awal|akhir|pertengahan)\s+(?:bulan|pekan|minggu|tahun)\s+(?:ini|lalu|depan))",
    r"(?i:(?:pekan|minggu|bulan|tahun)\s+(?:lalu|ini|depan))",
    r"(?i:kemarin|hari ini|tadi malam|semalam|baru-baru ini)",
    rf"\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?",
    rf"(?:{_MONTHS})\s+(?:lalu|ini|\d{{4}})",
    rf"(?:on\s+)?(?:{_EN_DAYS})(?:\s+(?:morning|afternoon|evening|night))?",
    r"(?i:(?:earlier|later)\s+this\s+(?:week|month|year)|(?:last|this|next)\s+(?:week|month|year))",
    r"(?i:yesterday|today|recently)",
]
_TIME = re.compile(r"\b(?:" + "|".join(_TIME_EXPRESSIONS) + r")\b")
_SPEECH_AFTER = (
    r"(?:kata|ujar|ucap|tutur|ungkap|imbuh|tegas|jelas|tambah)(?:nya)?|menurut|Menurut|"
    r"according to|According to|"
    # English puts the speaker after the verb only after a quotation or clause: '…," said X'
    r"(?:(?<=[,”\"’] )|(?<=[,”\"’]))(?:said|says|told|added)"
)
_SPEECH_BEFORE = (
    r"mengatakan|mencatat|menyatakan|menyebut(?:kan)?|memperkirakan|mengklaim|mengonfirmasi|"
    r"mengkonfirmasi|melaporkan|memberi tahu|memberitahu|menegaskan|mengungkapkan|menambahkan|"
    r"membenarkan|said|says|told|estimated|confirmed|reported|claimed"
)
_AFTER = re.compile(rf"\b(?:{_SPEECH_AFTER})\s+(?P<who>[^.;:!?]+)")
_BEFORE = re.compile(rf"(?:{_SPEECH_BEFORE})\b")
# Words that end an attribution phrase when reading backwards from its verb.
_BOUNDARY = frozenset(
    "bahwa setelah dan namun tetapi sementara karena ketika yang sehingga serta dengan oleh that "
    "and but after while which who when as with by".split()
)
# Words between a speaker and the verb ("Zelensky juga mengatakan").
_ADVERBS = frozenset("juga pun telah sudah kemudian lalu pada sebelumnya also has had then".split())
_MAX_WHO_WORDS = 8


@dataclass
class FigureClaim:
    value: str  # canonical (summarizer.text.numbers)
    display: str  # formatted for the briefing language: "1,500" / "1.500"
    as_written: str  # in the original: "1.500"
    who: str | None  # the attribution in the original sentence, if any
    when: str | None  # the sentence's own time expression, if any
    article_date: str | None
    source: int  # the story's source number [n]
    article_id: str
    sentence_id: str
    original: str  # the original sentence
    text: str  # the sentence in the briefing language


@dataclass
class FigureGroup:
    counted: str  # English label: "troops"
    qualifier: str | None  # whose: "Korea Utara" (as written in the source)
    claims: list[FigureClaim] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.counted} ({self.qualifier})" if self.qualifier else self.counted


@dataclass
class _Count:
    mention: NumberMention
    counted: str
    qualifier: str | None
    sentence_id: str
    article_id: str
    text: str


def find_figures(
    folder: Folder,
    original_texts: dict[str, str],
    sentence_texts: dict[str, str],
    sources: SourceNumbering,
    language: str,
) -> list[FigureGroup]:
    """Counts that differ between stories or dates, grouped by what is counted."""
    # Originals first, so a figure a copy repeats is shown from the original.
    articles = sorted(folder.articles, key=lambda a: a.id in sources.copies)
    counts = [c for article in articles for c in _article_counts(article, original_texts)]
    _resolve_qualifiers(counts)
    groups: dict[tuple[str, str | None], FigureGroup] = {}
    seen: set[tuple[str, int, str | None]] = set()
    for count in counts:
        claim = _claim(folder, count, sentence_texts, sources.numbers, language)
        key = (claim.value, claim.source, claim.when)
        if key in seen:  # the same figure repeated within a story (or by its copy)
            continue
        seen.add(key)
        qualifier = count.qualifier.casefold() if count.qualifier else None
        group = groups.setdefault((count.counted, qualifier), FigureGroup(count.counted, count.qualifier))
        group.claims.append(claim)
    shown = [g for g in groups.values() if _differs(g)]
    for group in shown:
        group.claims.sort(key=lambda c: (Decimal(c.value), c.source))
    return shown


def _article_counts(article, original_texts: dict[str, str]) -> list[_Count]:
    language = "en" if article.language == "en" else "id"
    counts = []
    for sentence in article.sentences():
        text = original_texts.get(sentence.id, sentence.text)
        for mention in find_numbers(text, language):
            if mention.kind != "number":
                continue
            counted, qualifier = _what_is_counted(text, mention, language)
            if counted:
                counts.append(_Count(mention, counted, qualifier, sentence.id, article.id, text))
    return counts


_NOUNS = "|".join(sorted(_COUNTED_BY_NOUN, key=len, reverse=True))
# English: "1,500 (elite) (North Korean) (elite) troops"; the noun must be one the table knows,
# so the optional words before it are tried until one is.
_EN_COUNT = re.compile(
    rf"(?:-odd|\+)?\s+(?:[a-z-]+\s+)??(?P<q>(?:[A-Z][\w'-]*\s+){{0,3}}?)(?:[a-z-]+\s+)??(?P<noun>{_NOUNS})\b"
)
# "400-an jemaah": some four hundred pilgrims.
_ID_COUNT = re.compile(rf"(?:-an)?\s+(?P<noun>{_NOUNS})\b(?:\s+[a-z]+)??(?P<q>(?:\s+[A-Z][\w'-]*){{0,3}})")


def _what_is_counted(text: str, mention: NumberMention, language: str) -> tuple[str | None, str | None]:
    """The counted noun's label and, when written next to it, whose it is."""
    pattern = _EN_COUNT if language == "en" else _ID_COUNT
    match = pattern.match(text, mention.end)
    if not match:
        return None, None
    label = _COUNTED_BY_NOUN[match["noun"]]
    words = [w for w in match["q"].split() if w.casefold() not in _CALENDAR_WORDS]
    return label, " ".join(words) or None


def _resolve_qualifiers(counts: list[_Count]) -> None:
    """An unqualified count takes its sentence's qualifier for the same thing, or a known one."""
    known: dict[str, set[str]] = {}
    for count in counts:
        if count.qualifier:
            known.setdefault(count.counted, set()).add(count.qualifier)
    for count in counts:
        if count.qualifier:
            continue
        same_sentence = [
            c.qualifier
            for c in counts
            if c.sentence_id == count.sentence_id and c.counted == count.counted and c.qualifier
        ]
        if same_sentence:
            count.qualifier = same_sentence[0]
            continue
        count.qualifier = _nearest_known(count, known.get(count.counted, set()))


def _nearest_known(count: _Count, qualifiers: set[str]) -> str | None:
    """A qualifier used elsewhere for the same thing and named in this sentence, preceding first."""
    start = count.mention.start
    found = [(m.start(), q) for q in qualifiers for m in re.finditer(re.escape(q), count.text)]
    before = [f for f in found if f[0] < start]
    if before:
        return max(before)[1]
    return min(found)[1] if found else None


def _claim(folder: Folder, count: _Count, sentence_texts, numbers, language) -> FigureClaim:
    article = folder.article(count.article_id)
    source_language = "en" if article.language == "en" else "id"
    return FigureClaim(
        value=count.mention.value,
        display=format_value(count.mention.value, language),
        as_written=count.mention.text + ("-an" if count.text.startswith("-an", count.mention.end) else ""),
        who=attribution(count.text, count.mention.start),
        when=_time_of(count, source_language),
        article_date=article.metadata.date or article.metadata.date_text,
        source=numbers[count.article_id],
        article_id=count.article_id,
        sentence_id=count.sentence_id,
        original=count.text,
        text=sentence_texts.get(count.sentence_id, count.text),
    )


def format_value(value: str, language: str) -> str:
    """A canonical value written the briefing language's way: 1,500 (en) or 1.500 (id)."""
    integer, _, fraction = value.partition(".")
    grouped = f"{int(integer):,}"
    if language == "id":
        return grouped.replace(",", ".") + (f",{fraction}" if fraction else "")
    return grouped + (f".{fraction}" if fraction else "")


def time_expressions(text: str) -> list[re.Match[str]]:
    return list(_TIME.finditer(text))


def _time_of(count: _Count, language: str) -> str | None:
    """The time expression nearest the number, not reaching past another count of the same thing."""
    others = [
        m.start for m in find_numbers(count.text, language) if m.start != count.mention.start and m.kind == "number"
    ]
    low = max((s for s in others if s < count.mention.start), default=0)
    high = min((s for s in others if s > count.mention.start), default=len(count.text))
    inside = [m for m in time_expressions(count.text) if low <= m.start() and m.end() <= high]
    if not inside:
        return None
    nearest = min(inside, key=lambda m: abs(m.start() - count.mention.start))
    return nearest.group(0).strip()


def attribution(text: str, position: int) -> str | None:
    """Who a sentence attributes its claim to, nearest to `position` ("kata X", "X mengatakan")."""
    masked = _TIME.sub(lambda m: " " * len(m.group(0)), text)
    found = [(m.start(), _clean_who(m["who"])) for m in _AFTER.finditer(masked)]
    found += [(m.start(), _speaker_before(masked[: m.start()])) for m in _BEFORE.finditer(masked)]
    found = [(start, who) for start, who in found if who and not who[0].isdigit()]
    if not found:
        return None
    return min(found, key=lambda f: abs(f[0] - position))[1]


def _clean_who(phrase: str) -> str | None:
    """The speaker after "kata"/"menurut": its words up to where the clause goes on.

    It ends at a comma followed by lower case, a number, a quotation mark, or the first
    lower-case word after a name ("menurut analisis BBC Rusia lebih dari ...").
    """
    phrase = re.split(r",\s+(?=[a-z])|\s+(?:bahwa|kepada|that|to)\s+|[“”\"]|\s(?=\d)", phrase)[0]
    words: list[str] = []
    for word in phrase.strip(" ,").split()[:_MAX_WHO_WORDS]:
        if word[0].islower() and any(w[0].isupper() for w in words):
            break
        words.append(word)
    return " ".join(words).strip(" ,") or None


def _speaker_before(before: str) -> str | None:
    """The speaker read backwards from the verb, to a clause boundary or punctuation."""
    words = before.split()
    # Only lower-case words are function words: "AS" is the United States, not "as".
    while words and words[-1] in _ADVERBS:
        words.pop()
    speaker: list[str] = []
    for word in reversed(words):
        if word in _BOUNDARY or len(speaker) == _MAX_WHO_WORDS:
            break
        if word[-1] in ',.;:“”"':
            break
        speaker.insert(0, word)
    return " ".join(speaker).strip("“”\"'") or None


def _differs(group: FigureGroup) -> bool:
    """Two claims with different values from different stories or different times."""
    for a in group.claims:
        for b in group.claims:
            if a.value != b.value and (a.source != b.source or (a.when, a.article_date) != (b.when, b.article_date)):
                return True
    return False
