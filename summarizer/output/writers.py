"""The output formats: one writer per format, chosen by name (`--format`).

A writer only formats the briefing record (`render` returns relative path → file text); writing
is shared: everything selected is rendered before the first file is touched, so a rendering error
changes nothing on disk, and the folder's files then switch together as one generation
(summarizer.output.files). A new format is one module with a `render` function plus one row in
WRITERS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from summarizer.briefing.record import BriefingRecord
from summarizer.errors import SummarizerError
from summarizer.output import articles, files, html_out, json_out, markdown


@dataclass(frozen=True)
class Writer:
    render: Callable[[BriefingRecord], dict[str, str]]  # relative path → file text


WRITERS: dict[str, Writer] = {
    "articles": Writer(articles.render),
    "json": Writer(json_out.render),
    "md": Writer(markdown.render),
    "html": Writer(html_out.render),
}
DEFAULT_FORMATS: tuple[str, ...] = tuple(WRITERS)


def parse_formats(values: Iterable[str]) -> tuple[str, ...]:
    """Format names from repeated and/or comma-separated values, in table order, each once."""
    asked = {name.strip().lower() for value in values for name in value.split(",") if name.strip()}
    check_formats(asked)
    return tuple(name for name in WRITERS if name in asked)


def check_formats(formats: Iterable[str]) -> None:
    """Refuse an empty selection or a format no writer makes, naming the ones there are."""
    chosen = list(formats)
    unknown = [name for name in chosen if name not in WRITERS]
    if unknown or not chosen:
        what = f"unknown output format {', '.join(map(repr, unknown))}" if unknown else "no output format chosen"
        raise SummarizerError(f"--format: {what}; choose from {', '.join(WRITERS)}")


def write_outputs(
    out_dir: Path,
    record: BriefingRecord,
    formats: Iterable[str] = DEFAULT_FORMATS,
    ledger: files.Ledger | None = None,
) -> list[Path]:
    """Write the chosen formats of one briefing as the new generation of `out_dir`; return the
    files written (their stable paths under `out_dir`).

    Files of the previous generation that the tool did not write are carried over; for a plain
    folder left by an older version, the state database's `ledger` says which files were the
    tool's (without one, every file there is carried, the new ones replacing those of the same
    name).
    """
    return publish_outputs(out_dir, record, formats, ledger)[0]


def publish_outputs(
    out_dir: Path,
    record: BriefingRecord,
    formats: Iterable[str] = DEFAULT_FORMATS,
    ledger: files.Ledger | None = None,
) -> tuple[list[Path], files.Switch]:
    """write_outputs, also returning the switch so a caller can undo it (its record of the
    briefing failed)."""
    asked = set(formats)
    check_formats(asked)
    chosen = [name for name in WRITERS if name in asked]
    contents = {
        relative: files.valid_text(text) for name in chosen for relative, text in WRITERS[name].render(record).items()
    }
    recorded = ledger.relative_to(out_dir) if ledger is not None else frozenset()
    switch = files.publish(out_dir, contents, recorded)
    return [out_dir / relative for relative in contents], switch
