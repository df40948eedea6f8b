"""Bytes → text for article files: the encodings people actually have, without mojibake.

Order of evidence: a byte-order mark, then strict UTF-8, then UTF-8 with some stray legacy bytes,
then a charset the file declares (HTML), then charset-normalizer, with one correction: for text in
Latin script it prefers Windows-1252. charset-normalizer ranks short cp1252/latin-1 text as cp1250,
cp775 or mac_* (tested: "Zürich" came back as "Z³rich"), while Indonesian files in a legacy encoding
are, in practice, Windows-1252.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from summarizer.output.labels import Message

_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_MULTIBYTE = re.compile(rb"[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}")
_C1_CONTROLS = re.compile("[\x80-\x9f]")
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")
# Every character str.splitlines() breaks on, so line numbers agree whichever way a stage splits.
# U+0085 is not among them: in news text it is a cp1252 "…" gone through latin-1 (see below).
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\u2028]")
# Control characters above this share of the text mean the file is not text at all.
MAX_CONTROL_SHARE = 0.05
# A reading whose letters are at least this share non-Latin is a non-Latin text (Cyrillic, CJK...).
MIN_NON_LATIN_SHARE = 0.25
_LATIN_ALIASES = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}


class DecodeError(ValueError):
    """The bytes are not usable text; `reason` is the one-line reason for the user."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Decoded:
    text: str  # NFC, "\n" line ends, no BOM
    encoding: str  # Python codec name, e.g. "utf-8", "utf-16", "cp1252", "utf-8+cp1252"
    notes: list[str] = field(default_factory=list)


def decode_bytes(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode an article file's bytes; `declared` is a charset the file names (HTML <meta>)."""
    text, encoding, notes = _decode(data, declared)
    text = normalize_text(text)
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise DecodeError(Message("decode.binary"))
    return Decoded(text, encoding, notes)


def normalize_text(text: str) -> str:
    """NFC, "\\n" line ends, no BOM, and C1 controls read as the Windows-1252 punctuation they are."""
    text = text.replace("\ufeff", "").replace("\u2029", "\n\n")
    text = _LINE_BREAKS.sub("\n", text)
    # U+0093 and friends come from cp1252 text that went through latin-1 once: “ ” – — …
    text = _C1_CONTROLS.sub(lambda m: _byte_as_cp1252(ord(m.group())), text)
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, declared: str | None) -> tuple[str, str, list[str]]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec), codec, []
    if b"\x00" in data:
        return (*_bomless_utf16(data), [])
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return mixed
    return (*_legacy(data, declared), [])


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise DecodeError(Message("decode.bad_bom", codec=codec.upper(), position=error.start)) from None


def _bomless_utf16(data: bytes) -> tuple[str, str]:
    """UTF-16 saved without a BOM: NULs in every other byte. Anything else with NULs is binary."""
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if half and max(even_nuls, odd_nuls) > 0.8 * half and min(even_nuls, odd_nuls) == 0:
        codec = "utf-16-le" if odd_nuls else "utf-16-be"
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass
    raise DecodeError(Message("decode.nul"))


def _mostly_utf8(data: bytes) -> tuple[str, str, list[str]] | None:
    """UTF-8 with some bytes from a legacy editor (pasted text): read those bytes as cp1252.

    One valid multi-byte sequence is enough evidence: in cp1252 text it would take an accented
    capital followed by a symbol ("Ã©"), which Indonesian prose does not contain, while reading a
    UTF-8 file as cp1252 turns every "é" and "“" into mojibake.
    """
    if _UTF8_MULTIBYTE.search(data) is None:
        return None
    text = data.decode("utf-8", "surrogateescape")
    stray = sum(len(m.group()) for m in _ESCAPED_BYTES.finditer(text))
    text = _ESCAPED_BYTES.sub(lambda m: "".join(_byte_as_cp1252(ord(c) - 0xDC00) for c in m.group()), text)
    note = Message("decode.stray_bytes", count=stray)
    return text, "utf-8+cp1252", [note]


def _byte_as_cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D: undefined in cp1252
        return chr(byte)


def _legacy(data: bytes, declared: str | None) -> tuple[str, str]:
    declared_reading = _declared(data, declared)
    if declared_reading is not None:
        return declared_reading
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _non_latin_share(str(best)) >= MIN_NON_LATIN_SHARE:
        return str(best), best.encoding
    western = _western(data)
    if western is not None:
        return western
    if best is not None:
        return str(best), best.encoding
    raise DecodeError(Message("decode.unknown"))


def _declared(data: bytes, declared: str | None) -> tuple[str, str] | None:
    if not declared:
        return None
    name = declared.strip().lower()
    # As browsers do (WHATWG Encoding): pages labelled latin-1 or ASCII are Windows-1252.
    codec = "cp1252" if name in _LATIN_ALIASES else name
    try:
        return data.decode(codec), codecs.lookup(codec).name
    except (LookupError, UnicodeDecodeError):
        return None


def _western(data: bytes) -> tuple[str, str] | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    # Without bytes 0x80-0x9F, cp1252 and latin-1 agree; name it after the stricter standard.
    has_cp1252_only = any(0x80 <= byte <= 0x9F for byte in data)
    return text, "cp1252" if has_cp1252_only else "latin-1"


def _non_latin_share(text: str) -> float:
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return 0.0
    non_latin = sum(1 for char in letters if not unicodedata.name(char, "").startswith("LATIN"))
    return non_latin / len(letters)


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in "\n\t")
    return controls / len(text)
