"""The Hugging Face Hub client: the only module in the package that opens network connections.

It asks the Hub for a snapshot's file list with sizes and checksums (the `blobs` metadata of the
model info API), downloads the chosen files into a staging folder with HTTP range requests, so an
interrupted download resumes where it stopped, and verifies every file against that metadata
(SHA-256 for LFS files, the git blob id for small ones) before it is accepted.

Every failure becomes a HubError whose message is one plain line (no network, not found, server
error, corrupted file, disk full). Timeouts are short and nothing is retried blindly, so a dead or
stalled network fails within the timeout instead of after minutes of back-off. The endpoint is
read at call time (HF_ENDPOINT, as huggingface_hub reads it), so tests can point it at a local hub.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from summarizer.errors import ModelError

OFFLINE_ENV = "SUMMARIZE_OFFLINE"
# huggingface_hub's own switches; honoured so one setting keeps every tool on the machine offline.
HUB_OFFLINE_ENVS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
TIMEOUT_ENV = "SUMMARIZE_NETWORK_TIMEOUT"
# Seconds to wait for a connection, or for the next bytes of a response. A run with no usable
# network must fail within 15 seconds; the worst case is a download that stalls after making
# progress (one timeout) and whose one resume cannot connect (a second one): 2 x 7 s.
DEFAULT_TIMEOUT = 7.0
# A download that made progress before it broke is resumed this many times in place; one that
# receives nothing is given up at once (a stall or a dead link does not heal in seconds).
RESUMES_PER_FILE = 3
CHUNK_BYTES = 1 << 20
PARTIAL_SUFFIX = ".part"


class HubError(ModelError):
    """A download from the Hub failed; `kind` says how (for messages and tests)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # offline | network | stalled | not-found | server | denied | corrupt | disk-full


@dataclass(frozen=True)
class RemoteFile:
    """One file of a Hub snapshot, with what the Hub says about its content."""

    name: str
    size: int
    sha256: str | None  # LFS files: SHA-256 of the content
    blob_id: str | None  # git blob id (SHA-1 of "blob <size>\\0" + content); for LFS it names the pointer


@dataclass(frozen=True)
class RemoteSnapshot:
    repo_id: str
    commit: str
    files: tuple[RemoteFile, ...]


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def offline_reason(explicit: bool = False) -> str | None:
    """Why the network must not be used (the switch that says so), or None when it may be."""
    if explicit:
        return "--offline"
    for name in (OFFLINE_ENV, *HUB_OFFLINE_ENVS):
        if _truthy(os.environ.get(name)):
            return f"{name}=1"
    return None


def endpoint() -> str:
    """The Hub base URL: HF_ENDPOINT when set (read now, not at import), else the public Hub."""
    from huggingface_hub import constants

    return (os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")


def timeout() -> float:
    """The connect/read timeout in seconds (env SUMMARIZE_NETWORK_TIMEOUT)."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        value = DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def snapshot_info(repo_id: str, revision: str) -> RemoteSnapshot:
    """The commit `revision` resolves to and its files with sizes and checksums (one request)."""
    import httpx2
    from huggingface_hub.utils import get_session, hf_raise_for_status

    where = endpoint()
    url = f"{where}/api/models/{quote(repo_id)}/revision/{quote(revision, safe='')}"
    try:
        response = get_session().get(
            url, params={"blobs": "true"}, headers=request_headers(), timeout=httpx2.Timeout(timeout())
        )
        hf_raise_for_status(response)
        info = response.json()
    except Exception as error:  # noqa: BLE001  (every failure of the request becomes one plain line)
        raise _classify(error, f"{repo_id}@{revision}", where) from None
    try:
        commit = str(info["sha"])
        files = tuple(
            RemoteFile(
                name=str(entry["rfilename"]),
                size=int(entry["size"]),
                sha256=(entry.get("lfs") or {}).get("sha256"),
                blob_id=entry.get("blobId"),
            )
            for entry in info["siblings"]
        )
    except (KeyError, TypeError, ValueError) as error:
        raise HubError("server", f"{where} sent an unusable file list for {repo_id}@{revision} ({error!r})") from None
    return RemoteSnapshot(repo_id, commit, files)


def request_headers() -> dict[str, str]:
    """User agent and, when the user logged in to the Hub, their token.

    Built here rather than by huggingface_hub's build_hf_headers, which also fetches an
    "agent harness" list from the Hub: a request nobody asked for, and one that ignores
    --offline and HF_ENDPOINT set after import.
    """
    from huggingface_hub import __version__ as hub_version
    from huggingface_hub import get_token

    from summarizer._version import __version__

    headers = {"user-agent": f"summarize/{__version__}; huggingface_hub/{hub_version}"}
    token = get_token()
    if token:
        headers["authorization"] = f"Bearer {token}"
    return headers


def download(
    snapshot: RemoteSnapshot, files: Iterable[RemoteFile], folder: Path, *, label: str, progress: bool
) -> None:
    """Download `files` of `snapshot` into `folder`, resuming partial files, verifying each one.

    A file is renamed to its final name only after it verified, so a file under its own name in
    `folder` is always complete and correct; partial data waits in `<name>.part` for the next try.
    """
    from tqdm import tqdm

    wanted = list(files)
    pending = [f for f in wanted if not _complete(folder / f.name, f)]
    have = sum(_partial_size(folder / f.name, f) for f in pending)
    need = sum(f.size for f in pending) - have
    check_free_space(folder, need, label)
    total = sum(f.size for f in wanted)
    done = total - need
    with tqdm(
        total=total,
        initial=done,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=label,
        disable=not progress,
        file=sys.stderr,
        leave=False,
    ) as bar:
        for remote in pending:
            _download_one(snapshot, remote, folder / remote.name, bar)


def check_free_space(folder: Path, need: int, label: str) -> None:
    """Refuse before downloading when the disk cannot hold what is still to come."""
    folder.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(folder).free
    if need > free:
        raise HubError(
            "disk-full",
            f"disk full: {label} needs {_mb(need)} more but only {_mb(free)} is free in {folder}; "
            "free some space or choose another place with --models-dir",
        )


def _complete(path: Path, remote: RemoteFile) -> bool:
    return path.is_file() and path.stat().st_size == remote.size


def _partial_size(path: Path, remote: RemoteFile) -> int:
    part = path.with_name(path.name + PARTIAL_SUFFIX)
    size = part.stat().st_size if part.is_file() else 0
    return size if size <= remote.size else 0


def _download_one(snapshot: RemoteSnapshot, remote: RemoteFile, target: Path, bar: Any) -> None:
    import httpx2
    from huggingface_hub.utils import get_session, hf_raise_for_status

    where = endpoint()
    url = f"{where}/{quote(snapshot.repo_id)}/resolve/{snapshot.commit}/{quote(remote.name)}"
    part = target.with_name(target.name + PARTIAL_SUFFIX)
    part.parent.mkdir(parents=True, exist_ok=True)
    if part.is_file() and part.stat().st_size > remote.size:
        part.unlink()
    resumes = RESUMES_PER_FILE
    while True:
        offset = part.stat().st_size if part.is_file() else 0
        if offset == remote.size:
            break
        headers = request_headers()
        if offset:
            headers["Range"] = f"bytes={offset}-"
        try:
            with get_session().stream(
                "GET", url, headers=headers, timeout=httpx2.Timeout(timeout()), follow_redirects=True
            ) as response:
                if response.status_code >= 400:
                    response.read()
                    hf_raise_for_status(response)
                with open(part, "ab") as handle:
                    if offset and response.status_code != 206:
                        # The server ignored the range and sends the whole file: start over.
                        handle.truncate(0)
                        bar.update(-offset)
                    # Chunks as they arrive (no buffering): bytes received before a break are kept.
                    for chunk in response.iter_bytes():
                        _write(handle, chunk, target, remote)
                        bar.update(len(chunk))
            if part.stat().st_size < remote.size:
                raise HubError(
                    "network",
                    f"the connection to {where} closed after {_mb(part.stat().st_size)} of "
                    f"{_mb(remote.size)} of {remote.name}",
                )
            break
        except Exception as error:  # noqa: BLE001  (classified below; unknown ones are re-raised)
            classified = _classify(error, f"{snapshot.repo_id}/{remote.name}", where)
            received = (part.stat().st_size if part.is_file() else 0) - offset
            if classified.kind not in ("network", "stalled") or received <= 0 or resumes <= 0:
                if part.is_file() and part.stat().st_size == 0:
                    part.unlink()
                raise classified from None
            resumes -= 1
    _verify(part, remote, snapshot)
    os.replace(part, target)


def _write(handle: BinaryIO, chunk: bytes, target: Path, remote: RemoteFile) -> None:
    try:
        handle.write(chunk)
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise HubError(
                "disk-full",
                f"disk full while writing {remote.name} in {target.parent}; free some space and run again "
                "(the download resumes)",
            ) from None
        raise


def _verify(part: Path, remote: RemoteFile, snapshot: RemoteSnapshot) -> None:
    """Accept the file only if its size and checksum are those the Hub published."""
    size = part.stat().st_size
    problem = ""
    if size != remote.size:
        problem = f"{size} bytes instead of {remote.size}"
    elif remote.sha256:
        digest = _file_digest(part, hashlib.sha256())
        if digest != remote.sha256:
            problem = f"SHA-256 {digest[:12]}… instead of {remote.sha256[:12]}…"
    elif remote.blob_id:
        blob = hashlib.sha1(f"blob {size}\0".encode(), usedforsecurity=False)
        digest = _file_digest(part, blob)
        if digest != remote.blob_id:
            problem = f"git blob id {digest[:12]}… instead of {remote.blob_id[:12]}…"
    if problem:
        part.unlink()
        raise HubError(
            "corrupt",
            f"{remote.name} from {snapshot.repo_id}@{snapshot.commit[:12]} is corrupted ({problem}); "
            "it was refused and nothing was installed",
        )


def _file_digest(path: Path, digest: Any) -> str:
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(block)
    return str(digest.hexdigest())


def _classify(error: Exception, what: str, where: str) -> HubError:
    """One plain line for a failed request (the exception's own text is often pages long)."""
    import httpx2
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if isinstance(error, HubError):
        return error
    if isinstance(error, OfflineModeIsEnabled):
        return HubError("offline", f"huggingface_hub is in offline mode (HF_HUB_OFFLINE); {what} was not fetched")
    if isinstance(error, httpx2.ConnectTimeout | httpx2.ConnectError):
        return HubError("network", f"no network: cannot connect to {where} ({_reason(error)})")
    if isinstance(error, httpx2.TimeoutException):
        return HubError("stalled", f"{where} stopped sending data for {timeout():.0f} s while fetching {what}")
    if isinstance(error, httpx2.TransportError):
        return HubError("network", f"the connection to {where} broke while fetching {what} ({_reason(error)})")
    if isinstance(error, GatedRepoError):
        return HubError("denied", f"{what} is gated on {where}: accept its terms there and log in (hf auth login)")
    if isinstance(error, RevisionNotFoundError | RepositoryNotFoundError):
        return HubError("not-found", f"not found: {what} does not exist on {where}")
    if isinstance(error, HfHubHTTPError):
        status = error.response.status_code if error.response is not None else 0
        if status == 404:
            return HubError("not-found", f"not found: {what} does not exist on {where}")
        if status in (401, 403):
            return HubError("denied", f"{where} refused access to {what} (HTTP {status})")
        return HubError("server", f"{where} answered HTTP {status} for {what}; try again later")
    raise error


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _mb(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"
