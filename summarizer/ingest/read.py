"""Reading a story folder: every article file in it → RawDocument, every unusable file → Skipped.

A story folder directly holds its article files; sub-folders are other stories and are not
entered. Files are read in natural name order (2.txt before 10.txt), records of a JSON/JSONL file in
their order. One bad file never stops the others: it is returned as Skipped with a one-line reason.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from summarizer.document import Metadata, RawDocument, Skipped, SourceFile
from summarizer.errors import InputError, printable
from summarizer.ingest.decoding import Decoded, DecodeError, decode_bytes, normalize_text
from summarizer.ingest.markup import (
    Converted,
    declared_charset,
    html_to_text,
    looks_like_html,
    markdown_to_text,
)
from summarizer.output.labels import Message

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024  # 10 MiB: far beyond any article, small enough to read whole
# JSON from a scraper is a few levels deep; Python's parser recurses once per level, so a hostile
# file nested 100,000 deep would exhaust the stack.
MAX_JSON_DEPTH = 64
# Digits in a JSON integer: no field this tool reads holds a number longer than a timestamp, and
# converting a huge one costs time quadratic in its length.
MAX_JSON_INT_DIGITS = 64
# Metadata values are one line each; longer values are cut and the cut is noted on the article.
MAX_TITLE_CHARS = 300
MAX_FIELD_CHARS = 200

FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
}
SUPPORTED = ".txt, .md, .html/.htm, .json, .jsonl"

# Files the operating system or an editor drops next to documents; never articles, never reported.
_SYSTEM_FILES = {"thumbs.db", "desktop.ini", "icon\r"}

# Container field → Metadata field. Names are compared lower-cased without "_"/"-", so
# "published_at", "publishedAt" and "Published-At" are the same field.
_TEXT_FIELDS = ("text", "body", "content", "article")
_METADATA_FIELDS = {
    "title": ("title",),
    "url": ("url", "link"),
    "date": ("date", "published", "publishedat", "datetime"),
    "outlet": ("source", "outlet", "site", "publisher", "sitename"),
    "author": ("author", "byline"),
}


class _Unusable(Exception):
    """A file or record that cannot be read; `reason` is shown to the user."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason)
        self.reason = reason


def read_folder(
    folder: Path | str, *, max_bytes: int = MAX_FILE_BYTES, follow_symlinks: bool = False
) -> tuple[list[RawDocument], list[Skipped]]:
    """Read every article file directly inside `folder`.

    Returns the documents in natural file-name order and the files (or JSON records) that could
    not be used, each with its reason. Raises InputError when `folder` is missing or not a folder.
    A symbolic link is read only when it stays inside the folder, unless `follow_symlinks`.
    """
    folder = Path(folder)
    if not folder.exists():
        raise InputError(f"story folder not found: {display_name(str(folder))}")
    if not folder.is_dir():
        raise InputError(f"not a folder: {display_name(str(folder))}")
    documents: list[RawDocument] = []
    skipped: list[Skipped] = []
    for path in story_files(folder):
        if is_folder_note(path):
            skipped.append(Skipped(display_name(path.name), FOLDER_NOTE_REASON))
            continue
        read, unusable = read_file(path, max_bytes=max_bytes, root=folder, follow_symlinks=follow_symlinks)
        documents.extend(read)
        skipped.extend(unusable)
    return documents, skipped


def story_files(folder: Path) -> list[Path]:
    """The files of a story folder in natural name order; hidden and system files left out.

    Real sub-folders are other stories and are left out; a symbolic link to a folder is listed,
    so that it is reported (and skipped) rather than silently followed.
    """
    try:
        entries = list(folder.iterdir())
    except OSError as error:
        raise InputError(f"cannot list folder {display_name(str(folder))}: {error.strerror}") from None
    files = [entry for entry in entries if not _is_hidden(entry.name) and not _is_real_dir(entry)]
    return sorted(files, key=lambda entry: natural_key(entry.name))


def _is_real_dir(entry: Path) -> bool:
    try:
        return stat.S_ISDIR(entry.lstat().st_mode)
    except OSError:
        return False


# Files that document a folder rather than report news (a scraper's README, a licence, notes kept
# beside the articles). Read as articles they would put the folder's own documentation into the
# briefing, so they are skipped, with this reason, wherever they sit.
FOLDER_NOTE_STEMS = frozenset({"readme", "license", "licence", "copying", "notes", "changelog", "contributing"})
FOLDER_NOTE_REASON = Message("read.folder_note")


def is_folder_note(path: Path) -> bool:
    return path.name.split(".", 1)[0].casefold() in FOLDER_NOTE_STEMS


def story_subfolders(folder: Path) -> list[Path]:
    """The visible sub-folders of `folder` in natural name order (each may be a story)."""
    try:
        entries = list(folder.iterdir())
    except OSError as error:
        raise InputError(f"cannot list folder {display_name(str(folder))}: {error.strerror}") from None
    return sorted((e for e in entries if e.is_dir() and not _is_hidden(e.name)), key=lambda e: natural_key(e.name))


def natural_key(name: str) -> tuple[list[int | str], str]:
    """Sort key that orders digit runs by value, case-insensitively: 2.txt < 10.txt < B.txt."""
    parts = [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", name)]
    return parts, name


def read_file(
    path: Path, *, max_bytes: int = MAX_FILE_BYTES, root: Path | None = None, follow_symlinks: bool = False
) -> tuple[list[RawDocument], list[Skipped]]:
    """One article file → its documents (several for JSON/JSONL) and its skipped parts."""
    # Ids, messages, cache keys and output names use the escaped name, so a name that is not
    # valid UTF-8 or holds a newline can neither break an encoder nor forge a line of output.
    name = display_name(path.name)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        kind = f"'{path.suffix}'" if path.suffix else Message("read.no_extension")
        return [], [Skipped(name, Message("read.unsupported", kind=kind, supported=SUPPORTED))]
    try:
        data = _load_bytes(path, max_bytes, root if root is not None else path.parent, follow_symlinks)
        decoded = decode_bytes(data, declared=declared_charset(data) if fmt == "html" else None)
        if not decoded.text.strip():
            raise _Unusable(Message("read.whitespace"))
        return _READERS[fmt](name, data, decoded)
    except (_Unusable, DecodeError) as error:
        return [], [Skipped(name, error.reason)]
    except RecursionError:
        return [], [Skipped(name, Message("read.too_deep"))]
    except MemoryError:
        return [], [Skipped(name, Message("read.memory"))]
    except Exception as error:  # a reader bug must cost this file, never the folder or the run
        log.error("internal error while reading %s: %s", display_name(name), _one_line(error), exc_info=True)
        detail = f"{type(error).__name__}: {_one_line(error)}"
        return [], [Skipped(name, Message("read.internal", error=detail))]


def display_name(name: str) -> str:
    """A file or folder name safe to print on one line: undecodable bytes and controls escaped."""
    return printable(name)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300]


def _is_hidden(name: str) -> bool:
    return name.startswith((".", "~$")) or name.lower() in _SYSTEM_FILES


def _load_bytes(path: Path, max_bytes: int, root: Path, follow_symlinks: bool) -> bytes:
    """The file's bytes, never waiting on a FIFO or device and never leaving the story folder.

    The file is opened with O_NOFOLLOW | O_NONBLOCK and checked on the open descriptor, so a file
    swapped for a link or a FIFO between the check and the read is refused, not followed.
    """
    target = path
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            target = _link_target(path, root, follow_symlinks)
        descriptor = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise _Unusable(Message("read.vanished")) from None
    except OSError as error:
        raise _Unusable(_os_reason(error)) from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _Unusable(Message("read.not_regular", kind=_file_kind(info.st_mode)))
        if info.st_size > max_bytes:
            raise _Unusable(_too_large(info.st_size, max_bytes))
        try:
            data = handle.read(max_bytes + 1)
        except OSError as error:
            raise _Unusable(_os_reason(error)) from None
    if len(data) > max_bytes:  # grew since stat
        raise _Unusable(_too_large(len(data), max_bytes))
    if not data:
        raise _Unusable(Message("read.empty"))
    return data


def _link_target(path: Path, root: Path, follow_symlinks: bool) -> Path:
    """Where a symbolic link leads, if it may be read: inside the story folder, or anywhere with
    --follow-symlinks. Loops and links out of the folder are refused with the reason."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        raise _Unusable(Message("read.link_loop")) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _Unusable(Message("read.link_loop")) from None
        raise _Unusable(Message("read.vanished")) from None
    if follow_symlinks:
        return target
    if stat.S_ISDIR(target.stat().st_mode):
        raise _Unusable(Message("read.link_folder"))
    inside = root.resolve()
    if target.parent != inside and inside not in target.parents:
        raise _Unusable(Message("read.link_outside"))
    return target


def _file_kind(mode: int) -> Message:
    kinds = [
        (stat.S_ISFIFO, "read.fifo"),
        (stat.S_ISSOCK, "read.socket"),
        (stat.S_ISCHR, "read.character_device"),
        (stat.S_ISBLK, "read.block_device"),
        (stat.S_ISDIR, "read.folder"),
    ]
    return Message(next((key for test, key in kinds if test(mode)), "read.special"))


def _os_reason(error: OSError) -> Message:
    if error.errno == errno.ELOOP:
        return Message("read.link_swapped")
    if error.errno in (errno.ENXIO, errno.ENODEV):
        return Message("read.device")
    return Message("read.cannot", error=str(error.strerror or error))


def _too_large(size: int, limit: int) -> Message:
    return Message("read.too_large", size=_human_size(size), limit=_human_size(limit))


def _human_size(size: int) -> str:
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return Message("read.bytes", count=size)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Plain, Markdown and HTML files: one article each ---------------------------------------------


def _read_text(name: str, data: bytes, decoded: Decoded) -> tuple[list[RawDocument], list[Skipped]]:
    source = SourceFile(name, "txt", decoded.encoding, _sha256(data))
    return [RawDocument(name, source, decoded.text, notes=list(decoded.notes))], []


def _read_markdown(name: str, data: bytes, decoded: Decoded) -> tuple[list[RawDocument], list[Skipped]]:
    converted = markdown_to_text(decoded.text)
    if not converted.text.strip():
        raise _Unusable(Message("read.markup_only"))
    return [_converted_document(name, "md", data, decoded, converted)], []


def _read_html(name: str, data: bytes, decoded: Decoded) -> tuple[list[RawDocument], list[Skipped]]:
    converted = html_to_text(decoded.text)
    if not converted.text.strip():
        raise _Unusable(Message("read.html_empty"))
    return [_converted_document(name, "html", data, decoded, converted)], []


def _converted_document(name: str, fmt: str, data: bytes, decoded: Decoded, converted: Converted) -> RawDocument:
    metadata = metadata_from_fields(converted.fields)
    return RawDocument(
        id=name,
        source=SourceFile(name, fmt, decoded.encoding, _sha256(data)),
        text=normalize_text(converted.text),
        metadata=metadata,
        title_from_container=metadata.title is not None,
        notes=decoded.notes + converted.notes + cap_metadata(metadata),
    )


# --- JSON and JSON Lines: one article per record --------------------------------------------------


def _read_json(name: str, data: bytes, decoded: Decoded) -> tuple[list[RawDocument], list[Skipped]]:
    try:
        value = _parse_json(decoded.text)
    except json.JSONDecodeError as error:
        raise _Unusable(Message("read.json_invalid", line=error.lineno, column=error.colno, error=error.msg)) from None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise _Unusable(Message("read.json_kind", kind=_json_kind(value)))
    if not value:
        raise _Unusable(Message("read.json_empty"))
    return _read_records(name, "json", decoded, enumerate(value, start=1))


def _read_jsonl(name: str, data: bytes, decoded: Decoded) -> tuple[list[RawDocument], list[Skipped]]:
    records: list[tuple[int, Any]] = []
    skipped: list[Skipped] = []
    lines = [(number, line) for number, line in enumerate(decoded.text.split("\n"), start=1) if line.strip()]
    for record_number, (line_number, line) in enumerate(lines, start=1):
        try:
            records.append((record_number, _parse_json(line)))
        except json.JSONDecodeError as error:
            reason = Message("read.jsonl_invalid", line=line_number, column=error.colno, error=error.msg)
            skipped.append(Skipped(f"{name}@{record_number}", reason))
        except _Unusable as error:
            reason = Message("read.jsonl_line", line=line_number, error=error.reason)
            skipped.append(Skipped(f"{name}@{record_number}", reason))
    if not records:  # not JSON Lines at all (e.g. a pretty-printed array): one reason, not one per line
        raise _Unusable(Message("read.jsonl_none", reason=skipped[0].reason))
    documents, unusable = _read_records(name, "jsonl", decoded, records)
    skipped.extend(unusable)
    skipped.sort(key=lambda item: int(item.path.rsplit("@", 1)[1]))
    return documents, skipped


def _parse_json(text: str) -> Any:
    """json.loads with hostile input bounded: nesting depth, integer length, lone surrogates."""
    try:
        value = json.loads(text, parse_int=_bounded_int)
    except RecursionError:
        raise _Unusable(Message("read.json_deep", depth=MAX_JSON_DEPTH)) from None
    return _sanitized(value, 0)


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise _Unusable(Message("read.json_integer", digits=len(digits), limit=MAX_JSON_INT_DIGITS))
    return int(digits)


def _sanitized(value: Any, depth: int) -> Any:
    """The value with its depth checked and lone surrogates (from \\u escapes) replaced by U+FFFD,
    so every string can be written as UTF-8 later."""
    if depth > MAX_JSON_DEPTH:
        raise _Unusable(Message("read.json_deep", depth=MAX_JSON_DEPTH))
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_sanitized(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {_sanitized(key, depth + 1): _sanitized(item, depth + 1) for key, item in value.items()}
    return value


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _read_records(
    name: str, fmt: str, decoded: Decoded, records: Iterable[tuple[int, Any]]
) -> tuple[list[RawDocument], list[Skipped]]:
    documents: list[RawDocument] = []
    skipped: list[Skipped] = []
    for number, record in records:
        try:
            documents.append(_record_document(name, fmt, decoded, number, record))
        except _Unusable as error:
            skipped.append(Skipped(f"{name}@{number}", error.reason))
    return documents, skipped


def _record_document(name: str, fmt: str, decoded: Decoded, number: int, record: Any) -> RawDocument:
    if not isinstance(record, dict):
        raise _Unusable(Message("read.json_not_object", kind=_json_kind(record)))
    fields = {_field_key(key): value for key, value in record.items()}
    text = _first_text(fields)
    if text is None:
        raise _Unusable(Message("read.json_no_text", fields=", ".join(_TEXT_FIELDS)))
    notes = list(decoded.notes)
    if looks_like_html(text):
        converted = html_to_text(text)
        if not converted.text.strip():
            raise _Unusable(Message("read.json_html_empty"))
        text = converted.text
        fields = {**{_field_key(key): value for key, value in converted.fields.items()}, **fields}
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
    metadata = metadata_from_fields(fields)
    return RawDocument(
        id=f"{name}@{number}",
        source=SourceFile(name, fmt, decoded.encoding, _sha256(canonical), record=number),
        text=normalize_text(text),
        metadata=metadata,
        title_from_container=metadata.title is not None,
        notes=notes + cap_metadata(metadata),
    )


def _first_text(fields: Mapping[str, Any]) -> str | None:
    for key in _TEXT_FIELDS:
        value = fields.get(key)
        if isinstance(value, list) and all(isinstance(part, str) for part in value):
            value = "\n\n".join(part.strip() for part in value if part.strip())
        if isinstance(value, str) and value.strip():
            return value
    return None


def _json_kind(value: Any) -> str:
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "read.json_boolean"),
        (str, "read.json_string"),
        ((int, float), "read.json_number"),
        (list, "read.json_array"),
        (dict, "read.json_object"),
    ]
    return next((Message(key) for kind, key in kinds if isinstance(value, kind)), "null")


# --- Container fields → Metadata ------------------------------------------------------------------


def metadata_from_fields(fields: Mapping[str, Any]) -> Metadata:
    """Metadata from a record's or front matter's fields (first matching name wins)."""
    keyed = {_field_key(key): value for key, value in fields.items()}
    found = {target: _first_string(keyed, names) for target, names in _METADATA_FIELDS.items()}
    date_text = found.pop("date")
    return Metadata(**found, date=_iso_date(date_text), date_text=date_text)


def cap_metadata(metadata: Metadata) -> list[str]:
    """Cut over-long metadata values in place; one note per value cut (shown by inspect and kept
    in briefing.json), so a cut is never silent."""
    notes: list[str] = []
    for name in ("title", "url", "date_text", "outlet", "author"):
        value = getattr(metadata, name)
        limit = MAX_TITLE_CHARS if name == "title" else MAX_FIELD_CHARS
        if value is not None and len(value) > limit:
            setattr(metadata, name, value[: limit - 1].rstrip() + "…")
            notes.append(Message("read.cut", field=Message(f"field.{name}"), limit=limit, length=len(value)))
    return notes


def _field_key(key: Any) -> str:
    return re.sub(r"[_\-\s]", "", str(key)).lower()


def _first_string(fields: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = _as_string(fields.get(name))
        if value:
            return value
    return None


def _as_string(value: Any) -> str | None:
    """A field value as one line of text: {"name": ...} objects and lists of names included."""
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = ", ".join(part for part in map(_as_string, value) if part)
    if isinstance(value, (date, datetime)):
        value = value.isoformat()
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    return " ".join(normalize_text(str(value)).split()) or None


def _iso_date(text: str | None) -> str | None:
    """The ISO 8601 form of a date field written in ISO already; other forms are left to later stages."""
    if not text:
        return None
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    return None


_READERS: dict[str, Callable[[str, bytes, Decoded], tuple[list[RawDocument], list[Skipped]]]] = {
    "txt": _read_text,
    "md": _read_markdown,
    "html": _read_html,
    "json": _read_json,
    "jsonl": _read_jsonl,
}
