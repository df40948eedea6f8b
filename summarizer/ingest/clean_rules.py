"""The anchored patterns the cleaner uses to tell boilerplate from story text.

Every pattern here matches a whole line (or a span at a fixed place: the start of the body, a
"Baca juga" insert, the end of a line), never a phrase inside a sentence, so real sentences that
happen to contain "breaking news" or "editor" survive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from summarizer.ingest.outlets import canonical_name, portal_for

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

_MIN_RELATED_WORDS = 5  # the seeds' related headlines have 8-12 words; "- Joko Widodo" is a list item
_TERMINAL = tuple('.!?…:;"”’»')
_BULLET_RE = re.compile(r"^(?P<marker>[-–•*·]\s+)(?P<text>\S.*)$")


def canonical_outlet(name: str) -> str:
    """The outlet's usual name ("KONTAN.CO.ID" → "Kontan"); unknown names are kept as written."""
    return canonical_name(name)


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
        r"(?:Simak|Tonton|Saksikan)\s+(?:juga\s+)?(?:video|videonya|selengkapnya|live|infografis|juga|"
        r"breaking\s+news|berita|update|informasi|artikel)\b.*",
        re.IGNORECASE)),
    ("see-also", re.compile(r"Lihat\s+(?:juga|video)\b.*", re.IGNORECASE)),
    ("editor-picks", re.compile(r"Pilihan\s+Editor\s*:.*", re.IGNORECASE)),
    ("promo", re.compile(
        r"(?:Dapatkan|Ikuti|Gabung|Follow|Download|Unduh)\b.{0,200}\b(?:berita|channel|Telegram|"
        r"WhatsApp|Google News|aplikasi|update|Instagram|Twitter|Facebook|TikTok|YouTube)\b.*",
        re.IGNORECASE)),
    ("channel-promo", re.compile(
        r"(?=.*\b(?:WhatsApp|Telegram|Google\s+News|aplikasi|Instagram|TikTok|YouTube|channel|saluran)\b)"
        r"(?=.*\b(?:kamu|Anda|ikuti|gabung|bergabung|pastikan|klik|download|unduh|install|instal|akses\s+berita|"
        r"saluran\s+andalan)).{0,400}",
        re.IGNORECASE)),
    ("url-line", re.compile(r"(?:https?://|www\.)\S+")),
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
            return _labelled_credits(line)
        target = _CREDIT_FIELDS[match.group("label").lower()]
        if target and target not in values:
            values[target] = match.group("value").strip(" .")
    return LineMatch("credit", values)


def _labelled_credits(line: str) -> LineMatch | None:
    """Several credits on one line without separators: "Pewarta: Fulan Editor: Budi"."""
    if not _BYLINE_LABEL.match(line):
        return None
    found = byline(line)
    if found is None:
        return None
    return LineMatch("credit", {k: v for k, v in found.values().items() if v})


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

_BYLINE_TAIL = re.compile(r"^(?P<rest>.*?\S)\s+[-–—|]\s*(?P<tail>[A-Za-z][\w.]*)$")
_BYLINE_LABEL = re.compile(
    r"\b(?P<label>Pewarta|Penulis|Reporter|Wartawan|Jurnalis|Kontributor|Editor|Redaktur|Penyunting|"
    r"Oleh|By)\b\s*:?\s*",
    re.IGNORECASE,
)
_EDITOR_LABELS = {"editor", "redaktur", "penyunting"}
_TEAM_SUFFIX = re.compile(r"\s*\bTim\s+Redaksi\s*$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\s\bdan\b\s)\s*")
_NAME = re.compile(
    r"(?:Tim\s+\S+"
    r"|[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|[a-z]{1,3}))*(?:\s+[A-Z][\w.'’-]*)?)"
)
_MAX_NAME_WORDS = 6


@dataclass
class Byline:
    """What a byline field says: the writers, and the outlet or rubric after a dash."""

    author: str | None = None
    editor: str | None = None
    outlet: str | None = None  # "detikNews" in "Mulia Budi -detikNews"
    section: str | None = None  # "Sepakbola" in "Lucas Aditya - Sepakbola"
    syndicated_from: str | None = None  # a wire agency credited as the writer ("Antara -detikNews")

    def values(self) -> dict[str, str | None]:
        return {
            "author": self.author,
            "editor": self.editor,
            "outlet": self.outlet,
            "section": self.section,
            "syndicated_from": self.syndicated_from,
        }


def byline(text: str) -> Byline | None:
    """The byline field of a page: "Asnida Riani", "Tim detikcom -detikTravel",
    "Yohana Artha Uly, Erlangga Djumena", "Adil Nursalam, Sem Bagaskara Tim Redaksi",
    "Pewarta: Fulan Editor: Fulanah". None when the line reads as anything but names."""
    line = " ".join(text.replace("\u00a0", " ").split())
    if not line or len(line) > 160 or (ends_sentence(line) and not line.endswith(".")):
        return None
    line = line.rstrip(" .")
    found = Byline()
    tail = _BYLINE_TAIL.match(line)
    if tail and not _BYLINE_LABEL.fullmatch(tail.group("tail")):
        channel = tail.group("tail")
        if portal_for(channel):
            found.outlet = canonical_name(channel)
        elif channel[:1].isupper() and len(channel) > 2:
            found.section = channel
        else:
            return None
        line = tail.group("rest")
    authors: list[str] = []
    editors: list[str] = []
    labels = list(_BYLINE_LABEL.finditer(line))
    if labels and labels[0].start() == 0:
        for index, label in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(line)
            names = _names(line[label.end() : end])
            if names is None:
                return None
            (editors if label.group("label").lower() in _EDITOR_LABELS else authors).extend(names)
    else:
        names = _names(_TEAM_SUFFIX.sub("", line))
        if names is None:
            return None
        authors = names
    if not authors and not editors:
        return None
    found.author = ", ".join(authors) or None
    found.editor = ", ".join(editors) or None
    if len(authors) == 1 and portal_for(authors[0]):  # a wire agency credited as the writer
        found.syndicated_from = canonical_name(authors[0])
    return found


def _names(text: str) -> list[str] | None:
    """The person names of a byline part, or None when a part is not a name."""
    names = [part.strip(" .") for part in _NAME_SPLIT.split(text) if part.strip(" .")]
    for name in names:
        if len(name.split()) > _MAX_NAME_WORDS or not _NAME.fullmatch(name):
            return None
    return names


# ---- datelines --------------------------------------------------------------------------------

_DOMAIN = r"[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z]{2,})+"
_KNOWN = r"ANTARA|Antara|CNN\s+Indonesia|detikcom|kumparan"
_PLACE_CAPS = r"[A-Z][A-Z'.]+(?:\s+[A-Z][A-Z'.]+){0,2}"
_PLACE_TITLE = r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}"
_PLACE = rf"(?:{_PLACE_CAPS}|{_PLACE_TITLE})"
_DASH = r"\s*[-–—]{1,2}\s*"
_NEXT = r"(?=[^\d\s\-–—]|$)"  # the story goes on with a word, not a number ("COVID-19"), or on the next line
# Where a link was stripped the story's first word is glued to the dateline ("Liputan6.com,
# JakartaDosen ...", "JAKARTA-Harga ..."): the place ends where a capital starts a new word.
_GLUED_NEXT = r"(?=[A-Z][a-z])"

DATELINES = [
    re.compile(rf"(?P<outlet>{_DOMAIN}){_DASH}(?P<place>{_PLACE_CAPS})\s*[.,:]\s*{_NEXT}"),
    re.compile(rf"(?P<outlet>{_DOMAIN}|{_KNOWN})\s*,\s*(?P<place>{_PLACE}){_DASH}{_NEXT}"),
    re.compile(rf"(?P<place>{_PLACE})\s*,\s*(?P<outlet>{_DOMAIN}|{_KNOWN}){_DASH}{_NEXT}"),
    re.compile(rf"(?P<place>{_PLACE})\s*\((?P<outlet>{_DOMAIN}|{_KNOWN})\){_DASH}{_NEXT}"),
    re.compile(rf"(?P<place>{_PLACE_CAPS})(?:\s+[-–—]{{1,2}}\s*|[-–—]{{1,2}}\s+){_NEXT}"),
    re.compile(rf"(?P<place>{_PLACE_TITLE})\s+[-–—]{{1,2}}\s+{_NEXT}"),
    re.compile(rf"(?P<outlet>{_DOMAIN}|{_KNOWN})\s*,\s*(?P<place>[A-Z][a-z]+(?:\s[A-Z][a-z]+){{0,2}})(?=[A-Z])"),
    re.compile(rf"(?P<place>[A-Z]{{3,}}(?:\s[A-Z]{{3,}}){{0,2}})[-–—]{{1,2}}{_GLUED_NEXT}"),
]


@dataclass
class Dateline:
    text: str  # exactly as it stood at the start of the line, trailing space included
    place: str
    outlet: str | None


_BARE_PLACE = re.compile(rf"{_PLACE}")
_DASH_ONLY = re.compile(r"[-–—]{1,2}")


def split_dateline(first: str, second: str) -> bool:
    """A dateline broken over two lines where a link was stripped: "Jakarta" then "-"."""
    return bool(_BARE_PLACE.fullmatch(first.strip()) and _DASH_ONLY.fullmatch(second.strip()))


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

# "Baca juga:" after a sentence; where a link was stripped also glued, without colon or space,
# straight onto the headline ("... per gram.Baca JugaJadwal Lengkap ...").
_READ_ALSO = re.compile(
    r"(?:^|(?<=[.!?\"”’])\s*)Baca\s*[Jj]uga(?:\s*:\s*|(?=[A-Z]))|(?:^|(?<=[.!?\"”’]\s))baca\s+juga\s*:\s*"
)
# A promo for the outlet's channels glued to the end of the last line ("...Rp1.868.154.000Ikuti
# Whatsapp Channel Republikasumber : ANTARA").
_TRAILING_PROMO = re.compile(
    r"(?:Ikuti|Follow|Gabung|Simak)\s+(?:\w+\s+){0,3}?(?:WhatsApp|Telegram|Google\s+News|Instagram|TikTok|YouTube)"
    r"\s+(?:Channel|Grup|Group)\b[^.!?]{0,80}$",
    re.IGNORECASE,
)
_SOURCE_CREDIT = re.compile(r"sumber\s*:\s*(?P<source>[\w .&-]{2,40}?)\s*$", re.IGNORECASE)


def trailing_promo(text: str) -> tuple[int, str | None] | None:
    """(start, credited source) of a channel promo closing a line, else None."""
    match = _TRAILING_PROMO.search(text)
    if not match:
        return None
    credit = _SOURCE_CREDIT.search(match.group(0))
    return match.start(), (credit.group("source").strip() if credit else None)


def is_short_fragment(text: str, max_words: int = 8) -> bool:
    """A short line that does not end a sentence: a tag, a label or a link text."""
    words = text.split()
    return 0 < len(words) <= max_words and not ends_sentence(text)


def read_also_span(text: str) -> tuple[int, int] | None:
    """(start, end) of a "Baca juga: <headline>" insert in a line, leaving the story around it."""
    match = _READ_ALSO.search(text)
    if not match:
        return None
    rest = text[match.end() :]
    tokens = list(re.finditer(r"\S+", rest))
    story_start = _story_resumes_at(tokens)
    glued = _glued_resume(rest, tokens, story_start) if story_start < len(tokens) else None
    if glued is not None:
        return match.start(), match.end() + glued
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


_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _glued_resume(text: str, tokens: list[re.Match[str]], start: int) -> int | None:
    """Where a stripped link glued the story onto the headline ("... dan SingapuraSementara emas"),
    the story resumes at the glue in the token before the prose starts: a character offset."""
    if start < 1 or start > len(tokens):
        return None
    before = tokens[start - 1]
    glues = list(_GLUE.finditer(before.group(0)))
    return before.start() + glues[-1].start() if glues else None
