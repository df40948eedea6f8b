"""The major Indonesian news portals, and how to recognise one from what a page says about itself.

A page names its outlet in several places: the dateline ("JAKARTA, KOMPAS.com -"), the byline
("Mulia Budi -detikNews"), the date line ("Kompas.com- 19/06/2025"), credits and footers
("Pewarta: ...", "Copyright © ANTARA"), its URL, a domain mention, and often the name of the
scraped file itself. Each of those is matched against one table of portals (domain knowledge,
not rules keyed to one article): a brand token such as "detik" also covers the portal's channels
(detikNews, detikFinance) and "tribun" its regional sites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Portal:
    domain: str  # the publishing site's registered domain, e.g. "detik.com"
    name: str  # the usual display name
    brand: str  # regex (lower case) of the brand as written, channel suffixes allowed


PORTALS: tuple[Portal, ...] = (
    Portal("detik.com", "detik", r"detik(?:com|news|finance|travel|sport|inet|oto|health|edu|jateng|jatim|jabar|"
           r"sumut|sulsel|bali|jogja|sumbagsel|kalimantan|hot|food|properti|pop|x)?"),
    Portal("kompas.com", "Kompas.com", r"kompas(?:\.com|\.id|tv|\s*tv)?"),
    Portal("liputan6.com", "Liputan6.com", r"liputan\s?6(?:\.com)?"),
    Portal("okezone.com", "Okezone", r"okezone(?:\.com)?"),
    Portal("tempo.co", "Tempo", r"tempo(?:\.co)?"),
    Portal("republika.co.id", "Republika", r"republika(?:\.co\.id|online)?"),
    Portal("antaranews.com", "Antara", r"antara(?:news(?:\.com)?)?"),
    Portal("cnnindonesia.com", "CNN Indonesia", r"cnn\s?indonesia(?:\.com)?"),
    Portal("cnbcindonesia.com", "CNBC Indonesia", r"cnbc\s?indonesia(?:\.com)?"),
    Portal("kumparan.com", "kumparan", r"kumparan(?:news|bisnis|\.com)?"),
    Portal("tribunnews.com", "Tribunnews.com", r"tribun(?:news(?:\.com)?|[a-z]+(?:\.com)?)?"),
    Portal("suara.com", "Suara.com", r"suara\.com"),
    Portal("merdeka.com", "Merdeka.com", r"merdeka\.com"),
    Portal("sindonews.com", "SINDOnews", r"sindo\s?news(?:\.com)?"),
    Portal("viva.co.id", "VIVA", r"viva(?:\.co\.id|news)"),
    Portal("bisnis.com", "Bisnis.com", r"bisnis\.com"),
    Portal("kontan.co.id", "Kontan", r"kontan(?:\.co\.id)?"),
    Portal("idntimes.com", "IDN Times", r"idn\s?times(?:\.com)?"),
    Portal("jpnn.com", "JPNN.com", r"jpnn(?:\.com)?"),
    Portal("inews.id", "iNews", r"inews(?:\.id)?"),
    Portal("beritasatu.com", "Beritasatu", r"beritasatu(?:\.com)?"),
    Portal("medcom.id", "Medcom.id", r"medcom(?:\.id)?"),
    Portal("jawapos.com", "Jawa Pos", r"jawa\s?pos(?:\.com)?"),
    Portal("mediaindonesia.com", "Media Indonesia", r"media\s?indonesia(?:\.com)?"),
    Portal("thejakartapost.com", "The Jakarta Post", r"(?:the\s)?jakarta\s?post"),
)  # fmt: skip

# Every brand, longest first, as a whole token: "tempo" must not match inside "sementara tempo".
_BRAND_PATTERNS = [(portal, re.compile(rf"(?<![\w.])(?:www\.)?(?:{portal.brand})(?![\w])", re.I)) for portal in PORTALS]
_BY_DOMAIN = {portal.domain: portal for portal in PORTALS}
_URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://(?:www\.)?([^/:?#]+)", re.I)


def portal_for(name: str) -> Portal | None:
    """The portal a short outlet name, channel name, domain or URL refers to, else None.

    The whole string must be the name ("detikNews", "KOMPAS.com", "https://news.detik.com/x"),
    so a sentence that merely mentions a portal is not taken for one.
    """
    text = " ".join(name.split()).strip(" -–—,.:()|")
    if not text:
        return None
    host = _URL_HOST.match(text)
    if host:
        return portal_from_host(host.group(1))
    for portal, pattern in _BRAND_PATTERNS:
        match = pattern.match(text)
        if match and match.end() == len(text):
            return portal
    return portal_from_host(text) if "." in text and " " not in text else None


def portal_from_host_or_url(value: str | None) -> Portal | None:
    """The portal of a URL or bare host name, else None."""
    if not value:
        return None
    host = _URL_HOST.match(value.strip())
    return portal_from_host(host.group(1) if host else value.strip().split("/", 1)[0])


def portal_from_host(host: str) -> Portal | None:
    """ "news.detik.com" → detik; "www.antaranews.com" → Antara."""
    host = host.lower().strip(".")
    for domain, portal in _BY_DOMAIN.items():
        if host == domain or host.endswith("." + domain):
            return portal
    return None


def canonical_name(name: str) -> str:
    """How an outlet is shown: a portal's channel keeps its own name (detikNews), a domain or
    capitalised brand its usual one (KOMPAS.com → Kompas.com); unknown names stay as written."""
    portal = portal_for(name)
    if portal is None:
        return name.strip()
    written = name.strip()
    if portal.domain == "detik.com" and re.fullmatch(r"detik[A-Z]\w+", written):
        return written
    return portal.name


# In running text only the domain form counts ("akses berita Kompas.com"): bare brand words
# are ordinary Indonesian too ("tribun" is a grandstand, "tempo" a pace, "suara" a voice).
_DOMAIN_MENTIONS = [
    (
        portal,
        re.compile(rf"(?<![\w.-]){re.escape(portal.domain.split('.')[0])}(?:\.[a-z]{{2,3}}){{1,2}}(?![\w-])", re.I),
    )
    for portal in PORTALS
]


def portals_mentioned(text: str) -> list[Portal]:
    """Portals named by domain in a text (a footer, a promo, a credit), in order of first mention."""
    found: dict[str, tuple[int, Portal]] = {}
    for portal, pattern in _DOMAIN_MENTIONS:
        match = pattern.search(text)
        if match and portal.domain not in found:
            found[portal.domain] = (match.start(), portal)
    return [portal for _, portal in sorted(found.values(), key=lambda item: item[0])]


def portal_in_file_name(file_name: str) -> Portal | None:
    """A portal named by a token of the file name ("02_okezone_harga-emas.txt"), else None.

    Scrapers commonly name files after the site; only a whole token counts, so a slug word such
    as "tempo" inside a headline slug is ignored unless it stands between separators before the slug.
    """
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    tokens = re.split(r"[_\s]+", stem)
    for token in tokens[:3]:  # the site comes before the headline slug
        portal = portal_for(token)
        if portal:
            return portal
    return None
