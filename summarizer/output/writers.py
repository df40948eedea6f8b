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
    # Files only this writer makes (a glob relative to the output folder): any the state database
    # records from an earlier run that this run did not write belong to articles that left the
    # folder and are removed.
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


def write_outputs(
    out_dir: Path,
    record: BriefingRecord,
    formats: Iterable[str] = DEFAULT_FORMATS,
    ledger: files.Ledger | None = None,
) -> list[Path]:
    """Write the chosen formats of one briefing into `out_dir`; return the files written.

    With the `ledger` of the state database, the leftovers it records are removed first (temp
    files of a killed write, pages of articles that left the folder) and the files about to be
    created are announced to it; without one, nothing but the written files is touched.
    """
    asked = set(formats)
    check_formats(asked)
    chosen = [name for name in WRITERS if name in asked]
    contents = {
        out_dir / relative: files.valid_text(text)
        for name in chosen
        for relative, text in WRITERS[name].render(record).items()
    }
    token = files.new_token()
    temps = {path: files.temp_name(path, token) for path in contents}
    if ledger is not None:
        owned = [pattern for name in chosen if (pattern := WRITERS[name].owns)]
        stale = {p for p in ledger.written if p not in contents and _matches(p, out_dir, owned)}
        files.remove_recorded(out_dir, ledger.temps | stale)
        ledger.announce(list(temps.values()), list(contents))
    return [files.atomic_write_text(path, text, temp=temps[path]) for path, text in contents.items()]


def _matches(path: Path, out_dir: Path, patterns: list[str]) -> bool:
    """Whether `path` is one of the files a pattern (relative to `out_dir`) names."""
    try:
        relative = path.relative_to(out_dir)
    except ValueError:
        return False
    return any(len(relative.parts) == len(Path(p).parts) and relative.match(p) for p in patterns)
