"""The `summarize` command line: parse, call the library, report. No pipeline logic lives here.

`summarize FOLDER...` is shorthand for `summarize run FOLDER...`.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from summarizer.errors import ExitCode, SummarizerError

app = typer.Typer(
    name="summarize",
    help=(
        "Turn folders of Indonesian news articles into cited English briefings with local models.\n\n"
        "`summarize FOLDER...` is shorthand for `summarize run FOLDER...`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="List, download and remove local models.", no_args_is_help=True)
app.add_typer(models_app, name="models")

ModelsDirOption = Annotated[
    Optional[Path],
    typer.Option("--models-dir", help="Local model store [env SUMMARIZE_MODELS_DIR; default models/]."),
]
OutputDirOption = Annotated[
    Optional[Path],
    typer.Option("--output-dir", "-o", help="Where outputs go [env SUMMARIZE_OUTPUT_DIR; default outputs/]."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]


@contextmanager
def _user_errors() -> Iterator[None]:
    """Show user errors as one line and exit with their code; let real bugs raise."""
    try:
        yield
    except SummarizerError as error:
        typer.echo(f"summarize: error: {error}", err=True)
        raise typer.Exit(int(error.exit_code)) from None
    except KeyboardInterrupt:
        typer.echo("summarize: interrupted", err=True)
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


def _setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.INFO if verbose else (logging.ERROR if quiet else logging.WARNING)
    logging.basicConfig(level=level, format="summarize: %(message)s", stream=sys.stderr, force=True)


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
def inspect(
    folder: Annotated[Path, typer.Argument(help="A story folder of article files.")],
    as_json: JsonOption = False,
) -> None:
    """Show what the tool will feed its models: metadata, language, sentences, every removed
    line with its reason, duplicate clusters and skipped files. Loads no model."""
    from summarizer.document import to_dict
    from summarizer.ingest import load_folder
    from summarizer.inspect_view import render_folder

    with _user_errors():
        loaded = load_folder(folder)
    if as_json:
        _print_json(to_dict(loaded))
    else:
        typer.echo(render_folder(loaded), nl=False)
    if loaded.skipped:
        for skipped in loaded.skipped:
            typer.echo(f"summarize: warning: skipped {skipped.path}: {skipped.reason}", err=True)
        raise typer.Exit(int(ExitCode.PARTIAL))


def route(args: list[str]) -> list[str]:
    """Insert the default `run` command unless the first word names a command or asks for help."""
    commands = {command.name or command.callback.__name__ for command in app.registered_commands}
    commands |= {group.name for group in app.registered_groups}
    if args and args[0] not in commands and args[0] not in ("--help", "-h"):
        return ["run", *args]
    return args


def main() -> None:
    """Console-script entry point."""
    app(args=route(sys.argv[1:]), prog_name="summarize")
