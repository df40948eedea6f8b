"""Sentence splitting for Indonesian news text, and turning cleaned blocks into an Article.

yasbd-lib (rules for "id") does the splitting; a project-owned hook then fixes what it gets wrong
on Indonesian news: address, rank and title abbreviations (Jl., Jend., Kab., Kompol., K.H.),
postnominal degrees and "dll."/"Tbk." that may or may not end a sentence, month abbreviations
before a day number, and sentences glued by a missing space ("asing.Informasi"). Sentences are
always slices of the input, so no character can be lost or changed.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from summarizer.document import Article, Block, CleanedDocument, Paragraph, Removal, Sentence, sentence_id
from summarizer.text.lexicon import ID_MONTH_ABBREVIATIONS

if TYPE_CHECKING:
    from yasbd import HookContext

# Abbreviations that introduce a name, place or number, so they never end a sentence.
NEVER_FINAL = frozenset(
    """
    Jl Jln Jend Kab Kec Kel Kota Prov No Nomor Hj H K.H KH Ir Drs Dra dr Dr drg Prof PT CV Sdr
    Sdri Bpk Ibu Yth Ny Tn Moh Moch Muh Ust Kompol Kombes Komjen Irjen Brigjen Letjen Mayjen
    Marsda Marsdya Laksda Laksdya Kol Letkol Mayor Kapt AKBP AKP Ipda Iptu Aiptu Bripka Brigpol
    tgl pk pkl Rp Gg
    """.split()
)
# Month abbreviations: protected only before a day/year number ("3 Nov. 2024"); before a
# capitalised word they end the sentence like any other word.
MONTH_ABBREVIATIONS = frozenset(a.capitalize() for a in ID_MONTH_ABBREVIATIONS)
# Postnominal degrees: may close a sentence ("..., kata kuasa hukumnya, Andi, S.H.").
DEGREES = frozenset(
    """
    S.H M.H M.Si S.E M.M S.Sos S.Pd S.Kom S.T M.T M.A Ph.D S.Ag Lc M.Kes S.IP S.Ked M.Hum
    M.Pd M.Sc S.Psi M.U.P MBA
    """.split()
)
# Abbreviations that are also common sentence ends: "PT Telkom Indonesia Tbk. Perseroan ...",
# "beras, gula, dll. Pemerintah ...".
MAY_END_SENTENCE = frozenset("Tbk dll dkk dsb dst".split()) | DEGREES

# A dotted abbreviation token: "Jl.", "K.H.", "M.Si.", "Tbk." (possibly after a quote/bracket).
ABBREVIATION_TOKEN = re.compile(r"(?<![\w.])((?:[A-Za-z]+\.)+)")
# Next word after a boundary: letters with inner dots, for recognising "S.H. M.H.".
NEXT_TOKEN = re.compile(r"\s+([\"“‘'(\[]?)([A-Za-z][A-Za-z.]*)")
# A sentence end glued to the next sentence: "asing.Informasi", "kami.”Dia". Lowercase before
# the stop and an uppercase-then-lowercase word after keeps "KONTAN.CO.ID", "Kompas.com", "1.500"
# and "SV-5276." out.
GLUED_SENTENCE_END = re.compile(r"(?<=[a-z]{2}[.!?])([\"”’]?)(?=[\"“‘]?[A-Z][a-z])")
URL_LIKE = re.compile(r"(?:www\.|://|@|\.(?:com|co|id|net|org)\b)", re.IGNORECASE)

OPENING_QUOTES = "“‘"
CLOSING_QUOTES = "”’"


def split_sentences(text: str) -> list[str]:
    """Split Indonesian news text into sentences; every line break is also a boundary.

    The sentences are slices of the input with surrounding whitespace stripped, so joining them
    gives back the input up to whitespace.
    """
    sentences: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            sentences += _split_line(line)
    return sentences


def segment(doc: CleanedDocument, language: str, language_detected: str) -> Article:
    """Split a cleaned document's blocks into numbered paragraphs and sentences."""
    article_id = doc.raw.id
    paragraphs: list[Paragraph] = []
    removals = list(doc.removals)
    seen: set[str] = set()
    for block in doc.blocks:
        texts = [block.text.strip()] if block.kind == "heading" else split_sentences(block.text)
        texts = [t for t in texts if t and not _repeated(t, block, seen, removals)]
        if not texts:
            continue
        index = len(paragraphs) + 1
        sentences = [
            Sentence(id=sentence_id(article_id, index, number), text=sentence)
            for number, sentence in enumerate(texts, start=1)
        ]
        paragraphs.append(Paragraph(index=index, kind=block.kind, sentences=sentences))
    return Article(
        id=article_id,
        source=doc.raw.source,
        metadata=doc.metadata,
        language=language,
        language_detected=language_detected,
        paragraphs=paragraphs,
        removals=sorted(removals, key=lambda removal: removal.line),
        notes=list(doc.notes),
        repairs=list(doc.repairs),
    )


# Shorter sentences may recur legitimately ("Ya.", a repeated one-word answer in an interview).
_MIN_REPEATED_SENTENCE = 30


def _repeated(text: str, block: Block, seen: set[str], removals: list[Removal]) -> bool:
    """A sentence the article already has word for word (a scraper that nested copies of the
    body inside itself): recorded as removed, so the facts count once."""
    key = " ".join(text.split()).casefold()
    if len(key) < _MIN_REPEATED_SENTENCE or block.kind != "text":
        return False
    if key in seen:
        removals.append(Removal("repeated-sentence", text, block.line, "span"))
        return True
    seen.add(key)
    return False


# yasbd's list, quote and abbreviation patterns backtrack: their cost grows with the square of a
# run of letters, digits, dots or brackets (a 64 KiB base64 blob took a minute). Two bounds keep
# splitting linear in the line length: yasbd sees at most MAX_SPLIT_CHARS at a time, and any token
# longer than MAX_TOKEN_CHARS (a URL, a blob, never an Indonesian word) is shown to it as a run of
# an inert character of the same length, so every offset it returns is still an offset of the line.
MAX_SPLIT_CHARS = 1000
MAX_TOKEN_CHARS = 64
_LONG_TOKEN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1},}}")
_TOKEN_END = '.!?"”’)]'
_MASK = "~"


def _split_line(line: str) -> list[str]:
    masked = _LONG_TOKEN.sub(_mask_token, line)
    offsets = [0]
    for start, end in _windows(masked):
        found = [start + offset for offset in _detector().detect(masked[start:end])]
        # A window edge is not a sentence end: only the line's own end is always one.
        offsets += [offset for offset in found if offset < end or end == len(masked)]
    offsets = sorted(set(offsets))
    pieces = (line[start:end].strip() for start, end in pairwise(offsets))
    return [piece for piece in pieces if piece]


def _mask_token(match: re.Match[str]) -> str:
    token = match.group()
    # Keep a few closing characters so a sentence that ends in a long URL still ends there.
    kept = len(token) - len(token.rstrip(_TOKEN_END))
    kept = min(kept, 3)
    return _MASK * (len(token) - kept) + token[len(token) - kept :]


def _windows(line: str) -> list[tuple[int, int]]:
    """Consecutive (start, end) spans of at most MAX_SPLIT_CHARS covering the line.

    A window ends after a sentence end outside any quotation or brackets when there is one in its
    second half, so yasbd sees whole sentences and quotations; else after a sentence end, else
    after a space, else anywhere (a line of one endless token).
    """
    if len(line) <= MAX_SPLIT_CHARS:
        return [(0, len(line))]
    balanced_ends: list[int] = []
    ends: list[int] = []
    spaces: list[int] = []
    depth = straight = 0
    previous = ""
    for index, char in enumerate(line):
        if char in "“«(":
            depth += 1
        elif char in "”»)":
            depth = max(depth - 1, 0)
        elif char == '"':
            straight ^= 1
        elif char.isspace():
            spaces.append(index + 1)
            if previous in ".!?" or (previous in '”»)"' and index >= 2 and line[index - 2] in ".!?"):
                ends.append(index + 1)
                if depth == 0 and not straight:
                    balanced_ends.append(index + 1)
        previous = char
    windows: list[tuple[int, int]] = []
    start = 0
    while len(line) - start > MAX_SPLIT_CHARS:
        low, limit = start + MAX_SPLIT_CHARS // 2, start + MAX_SPLIT_CHARS
        end = next(
            (
                found
                for candidates in (balanced_ends, ends, spaces)
                if (found := _last_between(candidates, low, limit)) is not None
            ),
            limit,
        )
        windows.append((start, end))
        start = end
    windows.append((start, len(line)))
    return windows


def _last_between(positions: list[int], low: int, high: int) -> int | None:
    index = bisect.bisect_right(positions, high) - 1
    return positions[index] if index >= 0 and positions[index] > low else None


@lru_cache(maxsize=1)
def _detector() -> Any:
    from yasbd import BoundaryDetector

    return BoundaryDetector("id", hook=_fix_boundaries)


def _fix_boundaries(ctx: HookContext) -> None:
    """yasbd hook: correct its boundaries for Indonesian news conventions (in place)."""
    text = ctx["text"]
    boundaries = set(ctx["boundaries"])
    for match in ABBREVIATION_TOKEN.finditer(text):
        end = match.end()
        if end >= len(text):
            continue
        decision = _abbreviation_boundary(match.group(1)[:-1], text, end)
        if decision is False:
            boundaries.discard(end)
        elif decision is True and not _inside_quote(text, end):
            boundaries.add(end)
    for match in GLUED_SENTENCE_END.finditer(text):
        if _is_glued_sentence_end(text, match):
            boundaries.add(_glued_boundary(text, match))
    ctx["boundaries"][:] = sorted(boundaries)


def _abbreviation_boundary(key: str, text: str, end: int) -> bool | None:
    """Whether a sentence ends after this abbreviation: True, False, or None (leave to yasbd)."""
    following = text[end:]
    if not following[:1].isspace():
        return None
    if key in NEVER_FINAL:
        return False
    if key in MONTH_ABBREVIATIONS:
        return False if re.match(r"\s+\d", following) else None
    if key in MAY_END_SENTENCE:
        return _starts_new_sentence(following)
    return None


def _starts_new_sentence(following: str) -> bool:
    """After a may-end abbreviation: a capitalised word (not another degree) starts a sentence."""
    match = NEXT_TOKEN.match(following)
    if match is None:
        return False
    opening, word = match.groups()
    if opening in ("(", "[") or word.rstrip(".") in DEGREES:
        return False
    return word[:1].isupper()


def _is_glued_sentence_end(text: str, match: re.Match[str]) -> bool:
    """A stop with no space after it ends a sentence unless it sits in a URL, domain or title."""
    stop = match.start() - 1
    token_start = text.rfind(" ", 0, stop) + 1
    token_end = text.find(" ", stop)
    token = text[token_start : len(text) if token_end < 0 else token_end]
    if URL_LIKE.search(token):
        return False
    word_before = re.search(r"[A-Za-z]+$", text[:stop])
    if word_before and word_before.group(0) in NEVER_FINAL | MONTH_ABBREVIATIONS:
        return False
    return not _inside_quote(text, _glued_boundary(text, match))


def _glued_boundary(text: str, match: re.Match[str]) -> int:
    """Where the glued boundary falls: after a closing quote, but before an opening one."""
    quote = match.group(1)
    after_stop = match.start(1)
    if quote == '"' and not _inside_quote(text, after_stop):
        return after_stop  # a straight quote outside any quotation opens the next sentence
    return match.end()


def _inside_quote(text: str, position: int) -> bool:
    """Whether position lies inside an open quotation (straight or curly) in this paragraph."""
    before = text[:position]
    if before.count('"') % 2 == 1:
        return True
    last_open = max(before.rfind(q) for q in OPENING_QUOTES)
    last_close = max(before.rfind(q) for q in CLOSING_QUOTES)
    return last_open > last_close
