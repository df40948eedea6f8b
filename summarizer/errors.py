"""The error vocabulary: every error a user should see as one line, with the exit code it maps to.

Only the CLI turns these into stderr lines and exit codes; anything else that escapes is a bug and
is allowed to surface with its traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes (documented in the README)."""

    OK = 0
    # Everything ran but some files, articles or folders were skipped or failed.
    PARTIAL = 1
    # Wrong command-line usage (Typer's own code for bad options is also 2).
    USAGE = 2
    # Nothing usable: no readable article in a folder, or every folder failed.
    NO_INPUT = 3
    # A model is missing, unknown, or could not be loaded.
    MODEL = 4
    # Another run holds the lock on the same outputs.
    BUSY = 5
    # The state database or the outputs folder cannot be used (read-only, a newer schema, ...).
    STATE = 6
    # A bug: an unexpected exception (its traceback is printed or logged). Never 1, so that a
    # caller accepting "finished with skips" does not mistake a crash for partial success.
    INTERNAL = 70
    # Interrupted by the user (Ctrl-C).
    INTERRUPTED = 130


class SummarizerError(Exception):
    """An error meant for the user; its message is one specific line."""

    exit_code: ExitCode = ExitCode.USAGE


class InputError(SummarizerError):
    """A folder or file that cannot be used as input."""

    exit_code = ExitCode.NO_INPUT


class NoArticlesError(InputError):
    """A folder holds no usable article."""


class ModelError(SummarizerError):
    """A model problem: unknown, not installed, not loadable."""

    exit_code = ExitCode.MODEL


class UnknownModelError(ModelError):
    """A model name that is neither in the registry nor a local model folder."""


class ModelNotInstalledError(ModelError):
    """A registered model that is not in the local store."""


class ModelStoreError(ModelError):
    """A model whose files cannot be used as they are: damaged, incomplete, unreadable, or a link
    out of the models folder. The message names the model and the command that fixes it."""


class PromptError(SummarizerError):
    """A prompt file that is missing or filled with missing/unknown placeholders."""

    exit_code = ExitCode.USAGE


class OutputsOverlapError(SummarizerError):
    """The outputs folder is, is inside or contains a story folder being briefed."""

    exit_code = ExitCode.USAGE


class BusyError(SummarizerError):
    """Another run is writing to the same outputs."""

    exit_code = ExitCode.BUSY


class StateError(SummarizerError):
    """The state database or the outputs folder cannot be used as it is."""

    exit_code = ExitCode.STATE


def printable(text: str) -> str:
    """`text` safe inside a one-line message: controls (NUL, newlines) and bytes that were not
    valid UTF-8 (surrogate escapes) are shown escaped."""
    return "".join(_escape_char(char) for char in text)


def _escape_char(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not valid UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if char.isprintable() or char == " ":
        return char
    return char.encode("unicode_escape").decode("ascii")
