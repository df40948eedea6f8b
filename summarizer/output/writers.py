"""The output formats: one writer per format, chosen by name (`--format`).

A writer only formats the briefing record (`render` returns relative path → file text); writing
is shared: everything selected is rendered before the first file is touched, so a rendering error
changes nothing on disk, and each file is then replaced atomically. A new format is one module
with a `render` function plus one row in WRITERS.
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
    # Files only this writer makes (a glob relative to the output folder): any it did not write
    # in this run belong to articles that left the folder and are removed.
    owns: str | None = None


# Table order is write order: the briefing files come last, so a briefing on disk implies the
# pages it was written with are there too.
WRITERS: dict[str, Writer] = {
    "articles": Writer(articles.render, owns=articles.PAGES),
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


def write_outputs(out_dir: Path, record: BriefingRecord, formats: Iterable[str] = DEFAULT_FORMATS) -> list[Path]:
    """Write the chosen formats of one briefing into `out_dir`; return the files written."""
    asked = set(formats)
    check_formats(asked)
    chosen = [name for name in WRITERS if name in asked]
    files.sweep_temp_files(out_dir)
    contents = {out_dir / relative: text for name in chosen for relative, text in WRITERS[name].render(record).items()}
    for name in chosen:
        owned = WRITERS[name].owns
        if owned:
            files.remove_stale(out_dir, owned, keep=set(contents))
    return [files.atomic_write_text(path, text) for path, text in contents.items()]
