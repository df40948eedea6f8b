"""JSON that is always valid UTF-8: lone surrogates replaced by U+FFFD, and where it happened said.

A `str` can hold a lone surrogate (a name decoded with `surrogateescape`, a model's broken output)
that no UTF-8 encoder accepts: written as it is, it would fail the write or make the file invalid.
Every JSON writer passes its data through `valid_unicode` and records the places it returns.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

_SURROGATE = re.compile(r"[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def valid_unicode(data: Any, where: str = "$") -> tuple[Any, list[str]]:
    """`data` (JSON values; paths become strings) with every lone surrogate in a string or key
    replaced by U+FFFD, and the JSON paths (`$.articles[0].metadata.title`) of what was changed."""
    changed: list[str] = []
    return _clean(data, where, changed), changed


def _clean(value: Any, where: str, changed: list[str]) -> Any:
    if isinstance(value, PurePath):
        value = str(value)
    if isinstance(value, str):
        fixed = _SURROGATE.sub(REPLACEMENT, value)
        if fixed != value:
            changed.append(where)
        return fixed
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            name = _clean(key, f"{where} (a key)", changed) if isinstance(key, str) else key
            cleaned[name] = _clean(item, f"{where}.{name}", changed)
        return cleaned
    if isinstance(value, list | tuple):
        return [_clean(item, f"{where}[{index}]", changed) for index, item in enumerate(value)]
    return value


def replaced_flags(places: list[str]) -> list[dict[str, str]]:
    """The flags briefing.json carries for the values whose lone surrogates were replaced."""
    return [
        {"where": place, "code": "invalid-unicode", "detail": "lone surrogates replaced by U+FFFD"} for place in places
    ]
