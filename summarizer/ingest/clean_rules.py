"""The anchored patterns the cleaner uses to tell boilerplate from story text.

Every pattern here matches a whole line (or a span at a fixed place: the start of the body, a
"Baca juga" insert, the end of a line), never a phrase inside a sentence, so real sentences that
happen to contain "breaking news" or "editor" survive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Words Indonesian title case leaves in lowercase (PUEBI: prepositions, conjunctions, particles).
HEADLINE_LOWER = frozenset(
    "di ke dari dan yang akan untuk pada dengan atau oleh dalam bagi tentang kepada terhadap serta "
    "hingga sampai karena agar seperti sebagai vs per antara soal ala pun lewat demi via sejak "
    "tanpa atas bersama".split()
)

# Section names that outlets print as a rubric line above the story.
RUBRICS = frozenset(
    "dunia nasional internasional global ekonomi bisnis keuangan finansial market pasar olahraga "
    "sport bola teknologi tekno politik hukum kriminal megapolitan metro regional daerah nusantara "
    "travel wisata hiburan seleb otomotif kesehatan health sains lifestyle news berita "
    "opini edukasi pendidikan properti haji umrah jabodetabek".split()
) | {"gaya hidup", "luar negeri", "dalam negeri"}

# Canonical outlet names for the spellings used in datelines and date lines.
OUTLETS = {
    "kontan.co.id": "Kontan",
    "kompas.com": "Kompas.com",
    "liputan6.com": "Liputan6.com",
    "tempo.co": "Tempo",
    "republika.co.id": "Republika",
    "tribunnews.com": "Tribunnews.com",
    "antara": "Antara",
    "antaranews.com": "Antara",
    "cnn indonesia": "CNN Indonesia",
    "cnnindonesia.com": "CNN Indonesia",
    "okezone.com": "Okezone",
    "detikcom": "detik",
    "suara.com": "Suara.com",
    "viva.co.id": "VIVA",
    "bisnis.com": "Bisnis.com",
    "kumparan": "kumparan",
    "jpnn.com": "JPNN.com",
    "sindonews.com": "SINDOnews",
    "inews.id": "iNews",
}

_MIN_RELATED_WORDS = 5  # the seeds' related headlines have 8-12 words; "- Joko Widodo" is a list item
_TERMINAL = tuple('.!?…:;"”’»')
_BULLET_RE = re.compile(r"^(?P<marker>[-–•*·]\s+)(?P<text>\S.*)$")


def canonical_outlet(name: str) -> str:
    """The outlet's usual name ("KONTAN.CO.ID" → "Kontan"); unknown names are kept as written."""
    return OUTLETS.get(name.strip().lower(), name.strip())


def bullet(text: str) -> tuple[str, str] | None:
    """(marker, text) when the line is a list item such as "- Bentrokan ...", else None."""
    match = _BULLET_RE.match(text)
    return (match.group("marker"), match.group("text")) if match else None


def _core(token: str) -> str:
    return token.strip("\"'“”‘’()[]{},.:;!?«»")


def is_capitalised(token: str) -> bool:
    core = _core(token)
    return bool(core) and (core[0].isupper() or core[0].isdigit())


def is_ordinary_lowercase(token: str) -> bool:
    """A lowercase word that Indonesian title case would have capitalised: a sign of prose."""
    core = _core(token)
    return bool(core) and core[0].islower() and core.lower() not in HEADLINE_LOWER


def looks_like_headline(text: str, min_words: int = 2, max_words: int = 20) -> bool:
    """Title Case, no sentence-final period, headline length ("Potret Pemuda Masa Kini: ...")."""
    words = text.split()
    if not min_words <= len(words) <= max_words or text.rstrip().endswith("."):
        return False
    return not any(is_ordinary_lowercase(w) for w in words) and is_capitalised(words[0])


def looks_like_related_headline(text: str) -> bool:
    """A link to another story: a headline long enough not to be a list of names or places."""
    return looks_like_headline(text, min_words=_MIN_RELATED_WORDS)


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)


def looks_like_heading(text: str) -> bool:
    """A section heading: short, no final punctuation, Title Case, ALL CAPS or just a few words."""
    words = text.split()
    if not words or len(words) > 12 or len(text) > 90 or ends_sentence(text) or text.endswith(","):
        return False
    if not is_capitalised(words[0]) or _core(words[0])[:1].isdigit():
        return False
    return looks_like_headline(text) or text.isupper() or len(words) <= 6


def is_title(text: str) -> bool:
    """A first line that reads as a headline: short and not a finished sentence."""
    words = text.split()
    if not 2 <= len(words) <= 25 or len(text) > 200:
        return False
    if text.rstrip().endswith(("?", "!")):
        return looks_like_headline(text.rstrip("?! "), max_words=25)
    return not ends_sentence(text) and not text.endswith(",")


# ---- whole-line boilerplate -------------------------------------------------------------------


@dataclass
class LineMatch:
    """A boilerplate line: the rule that matched and any metadata values it carries."""

    rule: str
    values: dict[str, str] = field(default_factory=dict)


_PAGINATION = re.compile(
    r"(?:Halaman|Page)\s+\d+(?:\s+(?:dari|of)\s+\d+|(?:\s*[,|/]?\s*\d+)*)"
    r"(?:\s+(?:Selanjutnya|Berikutnya|Next|»|>))?"
    r"|(?:Halaman|Artikel)\s+(?:selanjutnya|berikutnya)|(?:Selanjutnya|Next|Berikutnya)\s*[»>]",
    re.IGNORECASE,
)

_LINE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("scroll-prompt", re.compile(r"SCROLL TO CONTINUE WITH CONTENT", re.IGNORECASE)),
    ("advertisement", re.compile(r"advertisement|iklan|ads", re.IGNORECASE)),
    ("related-label", re.compile(
        r"(?:Baca|Lihat)\s+(?:Juga|Selengkapnya)\s*:?|(?:Berita|Artikel)\s+Terkait\s*:?", re.IGNORECASE)),
    ("rule-line", re.compile(r"[-–—_=*~•.·]{3,}")),
    ("video-embed", re.compile(r"\[\s*Gambas:[^\]]*\]", re.IGNORECASE)),
    ("video-teaser", re.compile(
        r"(?:Simak|Tonton|Saksikan)\s+(?:juga\s+)?(?:video|videonya|selengkapnya|live|infografis|juga)\b.*",
        re.IGNORECASE)),
    ("see-also", re.compile(r"Lihat\s+(?:juga|video)\b.*", re.IGNORECASE)),
    ("editor-picks", re.compile(r"Pilihan\s+Editor\s*:.*", re.IGNORECASE)),
    ("promo", re.compile(
        r"(?:Dapatkan|Ikuti|Gabung|Follow|Download|Unduh)\b.{0,200}\b(?:berita|channel|Telegram|"
        r"WhatsApp|Google News|aplikasi|update|Instagram|Twitter|Facebook|TikTok|YouTube)\b.*",
        re.IGNORECASE)),
    ("pagination", _PAGINATION),
    ("copyright", re.compile(r"(?:Copyright|Hak\s+Cipta)\b.*|©.*", re.IGNORECASE)),
    ("editor-initials", re.compile(r"\(\s*[a-z]{2,4}(?:\s*/\s*[a-z]{2,4})+\s*\)")),
]  # fmt: skip

_SYNDICATION = re.compile(
    r"Artikel ini (?:telah|sudah) (?:tayang|naik|terbit|dimuat|diterbitkan)\s*(?:di|pada)?\s*"
    r"(?P<source>.+?)(?:\s+dengan judul\b.*)?\s*\.?",
    re.IGNORECASE,
)
_CREDIT_FIELDS = {
    "penulis": "author", "reporter": "author", "pewarta": "author", "kontributor": "author",
    "oleh": "author", "editor": "editor", "redaktur": "editor", "penyunting": "editor",
    "sumber": "syndicated_from", "foto": "", "fotografer": "",
}  # fmt: skip
_CREDIT_SEGMENT = re.compile(
    rf"\s*(?P<label>{'|'.join(_CREDIT_FIELDS)})\s*:\s*(?P<value>[^|:]+?)\s*\.?\s*", re.IGNORECASE
)
_REPORTER_LINE = re.compile(
    r"Laporan\s+(?:Wartawan|Reporter|Koresponden|Kontributor)\s+(?P<outlet>\S+?)\s*,\s*"
    r"(?P<author>[^.,]{2,60}?)\s*\.?",
    re.IGNORECASE,
)
_MAX_CREDIT_WORDS = 8
_EDITOR_INITIALS_AT_END = re.compile(r"\s*\(\s*[a-z]{2,4}(?:\s*/\s*[a-z]{2,4})+\s*\)\s*$")
_NAME_IN_PARENS = re.compile(r"\(\s*(?P<name>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})\s*\)")


def match_line(text: str) -> LineMatch | None:
    """The boilerplate rule a whole line matches, with the metadata it carries, else None."""
    line = " ".join(text.replace("\u00a0", " ").split())
    for rule, pattern in _LINE_RULES:
        if pattern.fullmatch(line):
            values = {"editor": line.strip("() ").replace(" ", "")} if rule == "editor-initials" else {}
            return LineMatch(rule, values)
    return _match_syndication(line) or _match_credit(line)


def _match_syndication(line: str) -> LineMatch | None:
    match = _SYNDICATION.fullmatch(line)
    if not match:
        return None
    return LineMatch("syndication", {"syndicated_from": match.group("source").strip(" .")})


def _match_credit(line: str) -> LineMatch | None:
    """ "Editor: Handoyo .", "Penulis: X | Editor: Y", "Laporan Wartawan Tribunnews.com, X"."""
    reporter = _REPORTER_LINE.fullmatch(line)
    if reporter:
        return LineMatch("credit", {"author": reporter.group("author"), "outlet": reporter.group("outlet")})
    values: dict[str, str] = {}
    for segment in line.split("|"):
        match = _CREDIT_SEGMENT.fullmatch(segment)
        if not match or len(match.group("value").split()) > _MAX_CREDIT_WORDS:
            return None
        target = _CREDIT_FIELDS[match.group("label").lower()]
        if target and target not in values:
            values[target] = match.group("value").strip(" .")
    return LineMatch("credit", values)


def trailing_editor_initials(text: str) -> re.Match[str] | None:
    """ "... katanya. (rdp/imk)": detik's writer/editor initials closing the last paragraph."""
    match = _EDITOR_INITIALS_AT_END.search(text)
    return match if match and match.start() > 0 else None


def name_in_parentheses(text: str) -> str | None:
    """ "(Arief Setyadi )": an editor credit when it is the last line of the article."""
    match = _NAME_IN_PARENS.fullmatch(text.strip())
    return match.group("name") if match else None


def rubric(text: str) -> str | None:
    """A rubric line such as "Dunia" (only meaningful above the story)."""
    name = " ".join(text.split())
    return name if name.lower() in RUBRICS else None


# ---- byline -----------------------------------------------------------------------------------

_BYLINE = re.compile(
    r"(?:(?:Oleh|By)\s*:?\s*)?"
    r"(?P<author>Tim\s+[\w.]+|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*|\s+[a-z]{1,3}\s+[A-Z][\w.'’-]*){0,4})"
    r"(?:\s*[-–—]\s*(?P<outlet>[a-z]*[A-Z]?[A-Za-z0-9.]+))?"
)


def byline(text: str) -> tuple[str, str | None] | None:
    """(author, outlet) for a byline line like "Asnida Riani" or "Tim detikcom -detikTravel"."""
    line = " ".join(text.replace("\u00a0", " ").split())
    match = _BYLINE.fullmatch(line)
    if not match or ends_sentence(line):
        return None
    return match.group("author"), match.group("outlet")


# ---- datelines --------------------------------------------------------------------------------

_DOMAIN = r"[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z]{2,})+"
_KNOWN = r"ANTARA|Antara|CNN\s+Indonesia|detikcom|kumparan"
_PLACE_CAPS = r"[A-Z][A-Z'.]+(?:\s+[A-Z][A-Z'.]+){0,2}"
_PLACE_TITLE = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}"
_PLACE = rf"(?:{_PLACE_CAPS}|{_PLACE_TITLE})"
_DASH = r"\s*[-–—]{1,2}\s*"
_NEXT = r"(?=[^\d\s\-–—])"  # the story must go on with a word, not a number ("COVID-19")

DATELINES = [
    re.compile(rf"(?P<outlet>{_DOMAIN}){_DASH}(?P<place>{_PLACE_CAPS})\s*[.,:]\s*{_NEXT}"),
    re.compile(rf"(?P<outlet>{_DOMAIN}|{_KNOWN})\s*,\s*(?P<place>{_PLACE}){_DASH}{_NEXT}"),
    re.compile(rf"(?P<place>{_PLACE})\s*,\s*(?P<outlet>{_DOMAIN}|{_KNOWN}){_DASH}{_NEXT}"),
    re.compile(rf"(?P<place>{_PLACE})\s*\((?P<outlet>{_DOMAIN}|{_KNOWN})\){_DASH}{_NEXT}"),
    re.compile(rf"(?P<place>{_PLACE_CAPS})(?:\s+[-–—]{{1,2}}\s*|[-–—]{{1,2}}\s+){_NEXT}"),
    re.compile(rf"(?P<place>{_PLACE_TITLE})\s+[-–—]{{1,2}}\s+{_NEXT}"),
]


@dataclass
class Dateline:
    text: str  # exactly as it stood at the start of the line, trailing space included
    place: str
    outlet: str | None


def dateline(text: str) -> Dateline | None:
    """The dateline at the start of the first body line ("JAKARTA, KOMPAS.com- "), else None."""
    for pattern in DATELINES:
        match = pattern.match(text)
        if match:
            outlet = match.groupdict().get("outlet")
            place = match.group("place")
            place = place.title() if place.isupper() else place
            return Dateline(match.group(0), place, canonical_outlet(outlet) if outlet else None)
    return None


# ---- "Baca juga" inserts ----------------------------------------------------------------------

_READ_ALSO = re.compile(r"(?:^|(?<=[.!?\"”’]\s))Baca\s+juga\s*:\s*", re.IGNORECASE)


def read_also_span(text: str) -> tuple[int, int] | None:
    """(start, end) of a "Baca juga: <headline>" insert in a line, leaving the story around it."""
    match = _READ_ALSO.search(text)
    if not match:
        return None
    rest = text[match.end() :]
    tokens = list(re.finditer(r"\S+", rest))
    story_start = _story_resumes_at(tokens)
    end = match.end() + (tokens[story_start].start() if story_start < len(tokens) else len(rest))
    return match.start(), end


def _story_resumes_at(tokens: list[re.Match[str]]) -> int:
    """Index of the token where prose resumes after a Title Case headline.

    The first ordinary lowercase word shows prose; the sentence starts at the capitalised word
    before it ("... Armada Amerika Serikat Memimpin | Laporan ini juga dikonfirmasi ...").
    len(tokens) when the rest is all headline; 0 when no headline can be told apart, so that
    only the "Baca juga:" label goes and no story word is lost.
    """
    words = [t.group(0) for t in tokens]
    first_prose = next((i for i, w in enumerate(words) if is_ordinary_lowercase(w)), None)
    if first_prose is None:
        return len(words)
    start = first_prose - 1
    while start > 0 and not is_capitalised(words[start]):
        start -= 1
    return start if start >= 1 and is_capitalised(words[start]) else 0
