"""The `summarize` command line: parse, call the library, report. No pipeline logic lives here.

`summarize FOLDER...` is shorthand for `summarize run FOLDER...`.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from summarizer.errors import ExitCode, SummarizerError
from summarizer.models.registry import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR, EXTRACTIVE

if TYPE_CHECKING:
    from summarizer.run.pipeline import RunOptions

app = typer.Typer(
    name="summarize",
    help=(
        "Turn folders of Indonesian news articles into cited English briefings with local models.\n\n"
        "`summarize FOLDER...` is shorthand for `summarize run FOLDER...`."
    ),
    no_args_is_help=True,
    # Typer's --install-completion / --show-completion (bash, zsh, fish, PowerShell).
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain click-style help: flags read as flags (no "<bool>"), values by the names given below.
    rich_markup_mode=None,
)
models_app = typer.Typer(help="List, download and remove local models.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(models_app, name="models")

ModelsDirOption = Annotated[
    Path | None,
    typer.Option(
        "--models-dir",
        metavar="DIR",
        # The store check reports an unreadable store itself, naming the model and the fix.
        readable=False,
        help=(
            "Local model store (env SUMMARIZE_MODELS_DIR; default: models/ in a checkout, else the per-user"
            " data folder shown by `summarize models list`)."
        ),
    ),
]
OutputDirOption = Annotated[
    Path | None,
    typer.Option(
        "--output-dir",
        "-o",
        metavar="DIR",
        help="Where outputs go (env SUMMARIZE_OUTPUT_DIR; default: outputs/ in a checkout, else ./outputs/).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]
ExecutorOption = Annotated[
    str,
    typer.Option(
        "--executor",
        metavar="EXECUTOR",
        help="Where folders are briefed: local (this process) or ray (actors on a Ray cluster; pip install '.[ray]').",
    ),
]
RayAddressOption = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        metavar="ADDRESS",
        help=(
            "Ray cluster for --executor ray: host:port, ray://host:port, or auto (the one `ray start` runs"
            " here); default: start a private one on this machine, listening on 127.0.0.1 only."
        ),
    ),
]
RayActorsOption = Annotated[
    int | None,
    typer.Option(
        "--ray-actors",
        metavar="N",
        help=(
            "With --executor ray: how many actors brief folders at once (default: one per GPU on a cluster"
            " with GPUs, else one per two CPUs); the cluster's CPUs are shared out among them."
        ),
    ),
]
FollowSymlinksOption = Annotated[
    bool,
    typer.Option(
        "--follow-symlinks",
        help="Read symbolic links that lead outside a story folder (and linked sub-folders of an inbox).",
    ),
]


def version_text() -> str:
    """This package's version and those of the libraries that decide its output."""
    from importlib.metadata import PackageNotFoundError, version

    from summarizer._version import __version__

    parts = [f"summarize {__version__}"]
    for label, distribution in (("torch", "torch"), ("transformers", "transformers"), ("ctranslate2", "ctranslate2")):
        try:
            parts.append(f"{label} {version(distribution)}")
        except PackageNotFoundError:
            parts.append(f"{label} not installed")
    return ", ".join(parts) + f", Python {sys.version.split()[0]}"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Print the version of summarize, torch, transformers and CTranslate2, and exit.",
        ),
    ] = False,
) -> None:
    """Turn folders of Indonesian news articles into cited English briefings with local models."""


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
    except Exception:
        # A bug: show it loudly, with its own exit code, so it is never read as a partial success.
        traceback.print_exc()
        typer.echo(f"summarize: internal error (exit {int(ExitCode.INTERNAL)}); please report it", err=True)
        raise typer.Exit(int(ExitCode.INTERNAL)) from None


def _setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.INFO if verbose else (logging.ERROR if quiet else logging.WARNING)
    logging.basicConfig(level=level, format="summarize: %(message)s", stream=sys.stderr, force=True)


def _print_json(data: object) -> None:
    """JSON on stdout, always valid UTF-8; a text value that was not is said on stderr."""
    from summarizer.output.json_text import valid_unicode

    valid, replaced = valid_unicode(data)
    if replaced:
        typer.echo(f"summarize: lone surrogates replaced by U+FFFD in the JSON at {', '.join(replaced)}", err=True)
    typer.echo(json.dumps(valid, ensure_ascii=False, indent=2))


@app.command()
def inspect(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", hidden=True, help="A story folder of article files.")],
    as_json: JsonOption = False,
    follow_symlinks: FollowSymlinksOption = False,
) -> None:
    """Show what the tool will feed its models: metadata, language, sentences, every removed
    line with its reason, duplicate clusters and skipped files. Loads no model.

    FOLDER is one story folder of article files."""
    from summarizer.document import to_dict
    from summarizer.ingest.folder import load_folder
    from summarizer.inspect_view import render_folder

    with _user_errors():
        loaded = load_folder(folder, follow_symlinks=follow_symlinks)
    if as_json:
        _print_json(to_dict(loaded))
    else:
        typer.echo(render_folder(loaded), nl=False)
    if loaded.skipped:
        for skipped in loaded.skipped:
            typer.echo(f"summarize: warning: skipped {skipped.path}: {skipped.reason}", err=True)
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command()
def run(
    context: typer.Context,
    folders: Annotated[
        list[Path],
        typer.Argument(
            metavar="FOLDER", hidden=True, help="Story folders, or inbox folders holding one sub-folder per story."
        ),
    ],
    lang: Annotated[
        str,
        typer.Option(
            "--lang", "-l", metavar="LANG", help="Briefing language: en (translate first) or id (from the originals)."
        ),
    ] = "en",
    translator: Annotated[
        str,
        typer.Option(
            "--translator", "-t", metavar="NAME", help="Translation model: registry name or local model folder."
        ),
    ] = DEFAULT_TRANSLATOR,
    summarizer: Annotated[
        str,
        typer.Option(
            "--summarizer",
            "-s",
            metavar="NAME",
            help=f"Summarizer: registry name, local model folder, or '{EXTRACTIVE}' (no model needed).",
        ),
    ] = DEFAULT_SUMMARIZER,
    models_dir: ModelsDirOption = None,
    output_dir: OutputDirOption = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            metavar="ENGINE",
            help=(
                "Inference engine for the translator and the Qwen summarizer: auto (CTranslate2 int8 when it"
                " can run the model, else transformers), ctranslate2 or transformers."
            ),
        ),
    ] = "auto",
    device: Annotated[str, typer.Option("--device", metavar="DEVICE", help="auto, cpu or cuda.")] = "auto",
    dtype: Annotated[
        str,
        typer.Option(
            "--dtype",
            metavar="DTYPE",
            help=(
                "auto, float32, bfloat16, float16 or int8 (auto: CTranslate2 int8; torch bf16 on CPUs with"
                " AMX/AVX512-BF16, else fp32; int8 with --engine transformers: int8 weights on the CPU)."
            ),
        ),
    ] = "auto",
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMATS",
            help="Output formats, repeatable or comma-separated: articles, json, md, html (default: all of them).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo every folder, even unchanged ones.")] = False,
    keep_off_topic: Annotated[
        bool,
        typer.Option(
            "--keep-off-topic",
            help="Brief articles judged to be about another event too (they are left out by default).",
        ),
    ] = False,
    wait: Annotated[
        bool,
        typer.Option("--wait", help="If another run holds the outputs, wait for it instead of refusing."),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress (bars or lines): warnings, errors and the run table only."),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Also log each stage, and each model with its revision, device, dtype and engine."
        ),
    ] = False,
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
    ray_actors: RayActorsOption = None,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Never use the network, not even to fetch a missing default model (env SUMMARIZE_OFFLINE=1).",
        ),
    ] = False,
    as_json: JsonOption = False,
    follow_symlinks: FollowSymlinksOption = False,
) -> None:
    """Brief each story folder: clean, translate, summarize, cite, verify, write outputs/<folder>/.

    Each FOLDER is a story folder of article files, or an inbox folder holding one sub-folder per
    story.

    Environment: SUMMARIZE_MODELS_DIR and SUMMARIZE_OUTPUT_DIR (as --models-dir and --output-dir),
    SUMMARIZE_PROMPTS_DIR (a folder of prompt templates replacing the project's prompts/)."""
    import summarizer.progress as progress

    _setup_logging(verbose, quiet)
    reporter = progress.reporter_for(sys.stderr, quiet=quiet)
    with _live_logging(reporter), progress.reporting(reporter), _user_errors():
        # Loading the pipeline (torch, transformers) takes seconds: say at once what is starting.
        with progress.step(f"starting: loading the pipeline to brief {_listed(folders)}"):
            from summarizer.paths import outputs_dir
            from summarizer.run.batch import run_batch
            from summarizer.run.interrupt import StopRequests
        options = _run_options(
            lang=lang,
            quiet=quiet,
            formats=formats,
            translator=translator,
            summarizer=summarizer,
            models_dir=models_dir,
            engine=engine,
            device=device,
            dtype=dtype,
            offline=offline,
            keep_off_topic=keep_off_topic,
        )
        with StopRequests(_notice_for(reporter)).installed() as stop:
            batch = run_batch(
                folders,
                options,
                outputs_dir(output_dir),
                force=force,
                wait=wait,
                arguments=_given_arguments(context),
                executor=executor,
                ray_address=ray_address,
                ray_actors=ray_actors,
                follow_symlinks=follow_symlinks,
                stop=stop,
            )
    from summarizer.report import render_summary, summary_json

    typer.echo(render_summary(batch, width=_terminal_width()), err=True, nl=False)
    if as_json:
        _print_json(summary_json(batch))
    raise typer.Exit(int(batch.exit_code))


def _notice_for(reporter: object) -> Callable[[str], None]:
    """A way to print one line on stderr now, above any live progress bar (even with --quiet)."""
    from summarizer.progress import TerminalReporter

    def notice(line: str) -> None:
        text = f"summarize: {line}"
        if isinstance(reporter, TerminalReporter):
            from tqdm import tqdm

            tqdm.write(text, file=sys.stderr)
        else:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()

    return notice


def _run_options(*, lang: str, quiet: bool, formats: list[str] | None, **models: Any) -> RunOptions:
    """The RunOptions of `run` and `watch`: the language and formats parsed, progress unless
    --quiet; `models` are the model, engine and network settings, passed through by name."""
    from summarizer.lang import parse_briefing_language
    from summarizer.output.writers import DEFAULT_FORMATS, parse_formats
    from summarizer.run.pipeline import RunOptions

    return RunOptions(
        lang=parse_briefing_language(lang),
        progress=not quiet,
        formats=parse_formats(formats) if formats else DEFAULT_FORMATS,
        **models,
    )


@app.command()
def watch(
    context: typer.Context,
    inbox: Annotated[
        Path, typer.Argument(metavar="INBOX", hidden=True, help="The inbox folder; each sub-folder is a story.")
    ],
    lang: Annotated[str, typer.Option("--lang", "-l", metavar="LANG", help="Briefing language: en or id.")] = "en",
    translator: Annotated[
        str, typer.Option("--translator", "-t", metavar="NAME", help="Translation model.")
    ] = DEFAULT_TRANSLATOR,
    summarizer: Annotated[
        str, typer.Option("--summarizer", "-s", metavar="NAME", help="Summarizer model, or 'extractive'.")
    ] = DEFAULT_SUMMARIZER,
    models_dir: ModelsDirOption = None,
    output_dir: OutputDirOption = None,
    engine: Annotated[
        str, typer.Option("--engine", metavar="ENGINE", help="auto, ctranslate2 or transformers.")
    ] = "auto",
    device: Annotated[str, typer.Option("--device", metavar="DEVICE", help="auto, cpu or cuda.")] = "auto",
    dtype: Annotated[
        str, typer.Option("--dtype", metavar="DTYPE", help="auto, float32, bfloat16, float16 or int8.")
    ] = "auto",
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", metavar="FORMATS", help="Output formats (default: all of them)."),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Never use the network, not even to fetch a missing default model.")
    ] = False,
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
    ray_actors: RayActorsOption = None,
    settle: Annotated[
        float,
        typer.Option(
            "--settle", metavar="SECONDS", help="Seconds a folder's files must stay unchanged before it is briefed."
        ),
    ] = 5.0,
    interval: Annotated[
        float, typer.Option("--interval", metavar="SECONDS", help="Seconds between looks at the inbox.")
    ] = 2.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also log model loading and each stage.")] = False,
) -> None:
    """Brief new or changed story folders of INBOX as they arrive, until Ctrl-C (same state and outputs as run).

    INBOX is a folder whose sub-folders are stories; a sub-folder is briefed once its files have
    stayed unchanged for --settle seconds. Ctrl-C while a folder is briefed finishes it, then
    stops (exit 130); pressed again, it abandons the folder, which the next run briefs.
    """
    from summarizer.paths import outputs_dir
    from summarizer.report import render_summary
    from summarizer.run.interrupt import StopRequests
    from summarizer.run.watch import watch as watch_inbox

    _setup_logging(verbose, quiet)
    with _user_errors():
        if not inbox.is_dir():
            raise SummarizerError(f"not a folder: {inbox}")
        options = _run_options(
            lang=lang,
            quiet=quiet,
            formats=formats,
            translator=translator,
            summarizer=summarizer,
            models_dir=models_dir,
            engine=engine,
            device=device,
            dtype=dtype,
            offline=offline,
        )
        typer.echo(f"summarize: watching {inbox} (Ctrl-C to stop)", err=True)
        with StopRequests(_notice_for(None)).installed() as stop:
            watch_inbox(
                inbox,
                options,
                outputs_dir(output_dir),
                executor=executor,
                ray_address=ray_address,
                ray_actors=ray_actors,
                interval=interval,
                settle=settle,
                on_batch=lambda batch: typer.echo(render_summary(batch), err=True, nl=False),
                arguments=["watch", *_given_arguments(context)],
                stop=stop,
            )
    # The watch ends only on Ctrl-C: here the first one, once the folder in progress was finished.
    typer.echo("summarize: interrupted", err=True)
    raise typer.Exit(int(ExitCode.INTERRUPTED))


@app.command()
def status(
    output_dir: OutputDirOption = None,
    runs: Annotated[int, typer.Option("--runs", metavar="N", help="How many recent runs to show.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Show every processed folder (last briefing, outputs) and the recent run history."""
    from summarizer.cache import CACHE_FILE_NAME
    from summarizer.paths import outputs_dir
    from summarizer.run.state import State

    database = outputs_dir(output_dir) / CACHE_FILE_NAME
    if not database.exists():
        typer.echo(f"no runs yet in {outputs_dir(output_dir)}", err=True)
        raise typer.Exit(0)
    import sqlite3

    from summarizer.errors import StateError
    from summarizer.run.database import check_readable

    with _user_errors():
        check_readable(database)
        try:
            state = State(database)
            try:
                folders, history = state.folders(), state.runs(runs)
            finally:
                state.close()
        except sqlite3.Error as error:
            raise StateError(f"cannot read the state database {database}: {error}") from None
    if as_json:
        _print_json({"folders": [f.__dict__ for f in folders], "runs": history})
        return
    typer.echo(_render_status(folders, history), nl=False)


def _listed(paths: list[Path]) -> str:
    shown = ", ".join(str(p) for p in paths[:3])
    return shown if len(paths) <= 3 else f"{shown} and {len(paths) - 3} more"


def _terminal_width() -> int:
    """The width the run table may use: the terminal's, or 80 columns when stderr is a file."""
    import shutil

    if not sys.stderr.isatty():
        return 80
    return shutil.get_terminal_size((80, 24)).columns


@contextmanager
def _live_logging(reporter: object) -> Iterator[None]:
    """Route log lines above the live bars, so a warning never tears a bar apart."""
    from summarizer.progress import TerminalReporter

    if not isinstance(reporter, TerminalReporter):
        yield
        return
    from tqdm.contrib.logging import logging_redirect_tqdm

    with logging_redirect_tqdm():
        yield


def _given_arguments(context: typer.Context) -> list[str]:
    """The command's folders and the options that differ from their defaults, as a command line,
    so `status` can say what a run was asked to do."""
    words: list[str] = []
    for param in context.command.params:
        value = context.params.get(param.name or "")
        if param.param_type_name == "argument":
            words.extend(str(v) for v in (value if isinstance(value, list | tuple) else [value] if value else []))
        elif value != param.default and value is not None and value != ():
            flag = max(param.opts, key=len)
            words.extend([flag] if value is True else [flag, str(value)])
    return words


# How each recorded run status reads in `summarize status`.
RUN_STATUS_WORDS = {
    "ok": "finished",
    "partial": "finished with problems",
    "failed": "failed",
    "interrupted": "interrupted",
    "killed": "killed (stopped without finishing)",
    "running": "running now",
}


def _when(stamp: float | None) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M") if stamp else "never"


def _render_status(folders: list, history: list[dict]) -> str:
    lines = ["Folders:"]
    for folder in folders:
        if folder.last_status == "failed":
            state = f"failed; last briefed {_when(folder.briefed_at)}"
        else:
            state = f"briefed {_when(folder.briefed_at)}"
        lines.append(f"  {folder.name}: {state}")
        lines.append(f"    input  {folder.path}")
        lines.append(f"    output {folder.out_dir}")
        if folder.last_status == "failed" and folder.last_error:
            lines.append(f"    error  {folder.last_error}")
    lines.append("Runs (newest first):")
    for entry in history:
        lines.extend(_run_lines(entry))
    return "\n".join(lines) + "\n"


def _run_lines(entry: dict) -> list[str]:
    import socket

    counts: dict[str, int] = {}
    for item in entry["folders"]:
        counts[item["status"]] = counts.get(item["status"], 0) + 1
    done = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    if not done:
        done = "before any folder was done" if entry["status"] != "running" else "no folder done yet"
    words = RUN_STATUS_WORDS.get(entry["status"], entry["status"])
    if entry["status"] == "running" and entry.get("host") and entry["host"] != socket.gethostname():
        words = f"running on {entry['host']} (whether it is still alive cannot be checked from here)"
    lines = [f"  #{entry['id']} {_when(entry['started_at'])}  {words}: {done}"]
    if entry.get("arguments"):
        lines.append(f"      summarize {' '.join(entry['arguments'])}")
    if entry.get("error"):
        lines.append(f"      error: {entry['error']}")
    return lines


@models_app.command("list")
def models_list(models_dir: ModelsDirOption = None, as_json: JsonOption = False) -> None:
    """Supported models: task, default, installed, size on disk, download size, licence. Offline."""
    from dataclasses import asdict

    from summarizer.models.store import list_models
    from summarizer.paths import models_dir as resolve_models_dir

    with _user_errors():
        rows = list_models(models_dir)
    if as_json:
        _print_json([asdict(row) for row in rows])
        return
    typer.echo(f"models in {resolve_models_dir(models_dir)}")
    typer.echo(
        f"{'name':<26} {'task':<10} {'default':<7} {'installed':<9} {'on disk':>9} {'download':>9}  "
        f"{'revision':<9} licence"
    )
    for row in rows:
        licence = row.licence + ("" if row.commercial_use else "  (NON-COMMERCIAL)")
        # A moving branch is shown as such: its pull records the exact commit in the manifest.
        revision = (
            "built-in" if not row.repo_id else row.revision[:7] if len(row.revision) == 40 else f"{row.revision}*"
        )
        installed = "damaged" if row.problem else "yes" if row.installed else "no"
        typer.echo(
            f"{row.name:<26} {row.task:<10} {'yes' if row.default else '':<7} {installed:<9} "
            f"{_size(row.size_on_disk):>9} {_size(row.download_bytes):>9}  {revision:<9} {licence}"
        )
    if any(len(row.revision) != 40 and row.repo_id for row in rows):
        typer.echo("* not pinned to a verified commit; pull records the exact commit it fetched")
    for row in rows:
        if row.problem:
            typer.echo(f"damaged: {row.problem}")


@models_app.command("pull")
def models_pull(
    name: Annotated[
        str, typer.Argument(metavar="NAME", hidden=True, help="Registry name (see: summarize models list).")
    ],
    models_dir: ModelsDirOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Download a model into the local store (resumable, verified; shows the licence first).

    NAME is a registry name (see: summarize models list)."""
    from summarizer.models.install import prepare_for_engine
    from summarizer.models.store import pull_model

    # The plan (files, size, licence) is logged as a warning before any byte is fetched.
    _setup_logging(False, quiet)
    with _user_errors():
        resolved = pull_model(name, models_dir, progress=not quiet)
        converted = prepare_for_engine(resolved)
    typer.echo(f"installed {resolved.name} ({resolved.revision}) in {resolved.path}")
    if converted:
        typer.echo(f"converted for the CTranslate2 engine in {converted}")


@models_app.command("remove")
def models_remove(
    name: Annotated[
        str, typer.Argument(metavar="NAME", hidden=True, help="Installed model to delete from the local store.")
    ],
    models_dir: ModelsDirOption = None,
) -> None:
    """Delete the installed model NAME from the local store (a link in its place: the link only)."""
    from summarizer.models.store import remove_model

    with _user_errors():
        removal = remove_model(name, models_dir)
    if removal.link is not None:
        typer.echo(f"removed the link {name} (it pointed to {removal.link}; nothing there was deleted)")
    elif removal.installed:
        typer.echo(f"removed {name} ({_size(removal.freed)} freed)")
    else:
        typer.echo(
            f"{name} was not installed; deleted what an interrupted download left ({_size(removal.freed)} freed)"
        )


def _size(count: int) -> str:
    if not count:
        return "-"
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _command_name(command: typer.models.CommandInfo) -> str:
    if command.name:
        return command.name
    assert command.callback is not None, "every command has a callback"
    return command.callback.__name__


# Options of the program itself, not of `run`.
_TOP_LEVEL_OPTIONS = ("--help", "-h", "--version", "--install-completion", "--show-completion")


def route(args: list[str]) -> list[str]:
    """Insert the default `run` command unless the first word names a command or asks for help."""
    commands = {_command_name(command) for command in app.registered_commands}
    commands |= {group.name for group in app.registered_groups if group.name}
    if args and args[0] not in commands and args[0] not in _TOP_LEVEL_OPTIONS:
        return ["run", *args]
    return args


def main() -> None:
    """Console-script entry point."""
    try:
        app(args=route(sys.argv[1:]), prog_name="summarize")
    except BrokenPipeError:
        _quiet_broken_pipe()
    except SystemExit as exit_:
        # Click reports a closed stdout as exit code 1 after catching the BrokenPipeError itself.
        _flush_or_quiet()
        raise exit_
    _flush_or_quiet()


def _flush_or_quiet() -> None:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        _quiet_broken_pipe()


def _quiet_broken_pipe() -> None:
    """The reader of our stdout went away (`summarize inspect seeds/ | head -1`): stop without a
    traceback, and keep Python from failing again when it flushes stdout at exit."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(141)  # what a shell reports for a process killed by SIGPIPE
