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
from fnmatch import fnmatchcase
from pathlib import Path

from summarizer.briefing.record import BriefingRecord
from summarizer.errors import SummarizerError
from summarizer.output import articles, files, html_out, json_out, markdown


@dataclass(frozen=True)
class Writer:
    render: Callable[[BriefingRecord], dict[str, str]]  # relative path → file text
    # The files this writer can make (globs relative to the output folder). Files of an earlier
    # generation that match no writer's globs are the user's and are carried into the next one.
    owns: tuple[str, ...]


WRITERS: dict[str, Writer] = {
    "articles": Writer(articles.render, owns=(articles.PAGES,)),
    "json": Writer(json_out.render, owns=(json_out.FILE_NAME,)),
    "md": Writer(markdown.render, owns=(markdown.FILE_NAME,)),
    "html": Writer(html_out.render, owns=(html_out.FILE_NAME,)),
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
    """Write the chosen formats of one briefing as the new generation of `out_dir`; return the
    files written (their stable paths under `out_dir`)."""
    return publish_outputs(out_dir, record, formats)[0]


def publish_outputs(
    out_dir: Path, record: BriefingRecord, formats: Iterable[str] = DEFAULT_FORMATS
) -> tuple[list[Path], files.Switch]:
    """write_outputs, also returning the switch so a caller can undo it (its record of the
    briefing failed)."""
    asked = set(formats)
    check_formats(asked)
    chosen = [name for name in WRITERS if name in asked]
    contents = {relative: text for name in chosen for relative, text in WRITERS[name].render(record).items()}
    switch = files.publish(out_dir, contents, is_tool_file)
    return [out_dir / relative for relative in contents], switch


def is_tool_file(relative: str) -> bool:
    """Whether a file (path relative to an output folder) is one some writer makes."""
    return any(fnmatchcase(relative, pattern) for writer in WRITERS.values() for pattern in writer.owns)
