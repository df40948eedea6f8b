"""The error vocabulary: every error a user should see as one line, with the exit code it maps to.

Only the CLI turns these into stderr lines and exit codes; anything else that escapes is a bug and
is allowed to surface with its traceback.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path


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
    # A file could not be written during the run (disk full, file too large, no permission,
    # read-only file system): outputs, the state database or a converted model. Nothing that was
    # there before is replaced, and the next run picks up from where this one stopped.
    WRITE = 7
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


class WriteError(SummarizerError):
    """A file could not be written; the message names the file and the system's reason."""

    exit_code = ExitCode.WRITE


# Write failures that come from the machine (space, size limits, permissions, the file system),
# not from summarize: each is one line naming the file, never a traceback.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO})

# What every write failure can promise: files are switched in only when complete.
_KEPT = "nothing already there was replaced; free space (or fix the permission) and run again"

# SQLite's names for the same failures (its extended codes start with these). Read errors
# (SQLITE_IOERR_READ, _SHORT_READ) are not among them: they say the file itself is damaged.
_SQLITE_WRITE_CODES = (
    "SQLITE_FULL",
    "SQLITE_IOERR_WRITE",
    "SQLITE_IOERR_FSYNC",
    "SQLITE_IOERR_DIR_FSYNC",
    "SQLITE_IOERR_TRUNCATE",
    "SQLITE_IOERR_SHM",
    "SQLITE_READONLY",
    "SQLITE_PERM",
    "SQLITE_CANTOPEN",
)


def shown_path(path: str | Path) -> str:
    """A path as one printable line (undecodable bytes and controls escaped)."""
    return printable(str(path))


def write_error(path: str | Path, error: OSError) -> WriteError:
    """The one line for a failed write: the file, the system's words and the errno name."""
    failed = error.filename if isinstance(error.filename, str | bytes) and error.filename else path
    if isinstance(failed, bytes):
        failed = failed.decode("utf-8", "surrogateescape")
    name = errno.errorcode.get(error.errno or 0, "")
    reason = error.strerror or str(error)
    code = f" ({name})" if name else ""
    return WriteError(f"cannot write {shown_path(failed)}: {reason}{code}; {_KEPT}")


@contextmanager
def writing(path: str | Path, *, named: bool = False) -> Iterator[None]:
    """Turn a machine-side write failure (see WRITE_ERRNOS) under `path` into a WriteError naming
    the file that failed, or `path` itself when `named` (or the system did not say which)."""
    try:
        yield
    except OSError as error:
        if error.errno not in WRITE_ERRNOS:
            raise
        if named:
            error.filename = None
        raise write_error(path, error) from None


def sqlite_write_error(path: str | Path, error: Exception) -> WriteError | None:
    """A WriteError for an SQLite failure that means the database file could not be written
    (disk full, I/O error, read-only), else None."""
    code = getattr(error, "sqlite_errorname", "") or ""
    if not code.startswith(_SQLITE_WRITE_CODES):
        return None
    return WriteError(f"cannot write the state database {shown_path(path)}: {error} ({code}); {_KEPT}")
