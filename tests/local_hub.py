"""A Hugging Face Hub on 127.0.0.1 for tests: the endpoints huggingface_hub and summarize use.

    GET /api/models/<repo>/revision/<rev>[?blobs=true]  model info: commit sha and the file list
                                                        with size, git blob id and LFS sha256
    GET|HEAD /<repo>/resolve/<rev>/<file>               the file, with ETag, X-Repo-Commit,
                                                        Content-Length and Range (206) support

Repos are served from memory. Faults are injected per request path (see Fault): an HTTP status,
a connection cut after N bytes, a stall (bytes stop coming, the socket stays open), corrupted
content, a slow trickle. Every request is recorded in `requests`, so a test can assert that a
run touched no network at all, or that a resume asked for the right byte range.

Point the code at it with HF_ENDPOINT=hub.url (summarize reads it at call time).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

LFS_SUFFIXES = (".safetensors", ".bin", ".spm", ".model", ".h5", ".onnx")


@dataclass
class Fault:
    """What goes wrong when a request path contains `match` (the first `times` such requests)."""

    match: str
    status: int | None = None  # answer this HTTP status instead
    cut_after: int | None = None  # send this many body bytes, then close the connection
    stall_after: int | None = None  # send this many body bytes, then send nothing until the hub stops
    corrupt: bool = False  # flip a byte of the body (the metadata still describes the good file)
    trickle: float = 0.0  # seconds to sleep between 4 KB pieces (a slow link)
    times: int = 1_000_000


@dataclass
class Repo:
    commit: str
    files: dict[str, bytes]


@dataclass
class Request:
    method: str
    path: str
    range: str | None


@dataclass
class LocalHub:
    repos: dict[str, Repo] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # ---- setup -------------------------------------------------------------------------------
    def add_repo(self, repo_id: str, files: dict[str, bytes | str], commit: str | None = None) -> Repo:
        data = {name: content.encode() if isinstance(content, str) else content for name, content in files.items()}
        commit = commit or hashlib.sha1(repo_id.encode() + b"".join(sorted(data.values()))).hexdigest()
        self.repos[repo_id] = Repo(commit, data)
        return self.repos[repo_id]

    def add_model_folder(self, repo_id: str, folder: Path, commit: str | None = None, skip=()) -> Repo:
        """Serve the files of a model folder (top level only; the store manifest is left out)."""
        files = {
            p.name: p.read_bytes()
            for p in folder.iterdir()
            if p.is_file() and p.name not in skip and p.name != "summarize-manifest.json"
        }
        return self.add_repo(repo_id, files, commit)

    def fault(self, **kwargs) -> Fault:
        fault = Fault(**kwargs)
        self.faults.append(fault)
        return fault

    # ---- lifecycle ---------------------------------------------------------------------------
    def start(self) -> LocalHub:
        hub = self

        class Handler(_Handler):
            owner = hub

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases stalled handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> LocalHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # ---- queries for tests -------------------------------------------------------------------
    def downloads(self, name: str) -> list[Request]:
        """GET requests for file `name` (any repo)."""
        return [r for r in self.requests if r.method == "GET" and r.path.endswith("/" + name) and "/resolve/" in r.path]

    def take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.match in path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


_API = re.compile(r"^/api/models/(?P<repo>[^/]+/[^/]+)(?:/revision/(?P<rev>[^/?]+))?$")
_RESOLVE = re.compile(r"^/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<file>.+)$")


class _Handler(BaseHTTPRequestHandler):
    owner: LocalHub
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        hub = self.owner
        path = unquote(urlsplit(self.path).path)
        hub.requests.append(Request(self.command, path, self.headers.get("Range")))
        fault = hub.take_fault(path)
        if fault is not None and fault.status is not None:
            return self._error(fault.status, "EntryNotFound" if fault.status == 404 else None)
        if match := _API.match(path):
            repo = hub.repos.get(match["repo"])
            if repo is None:
                return self._error(404, "RepoNotFound")
            if match["rev"] not in (None, "main", repo.commit):
                return self._error(404, "RevisionNotFound")
            body = json.dumps(_model_info(match["repo"], repo)).encode()
            return self._send(200, body, {"Content-Type": "application/json"}, head, fault)
        if match := _RESOLVE.match(path):
            repo = hub.repos.get(match["repo"])
            if repo is None:
                return self._error(404, "RepoNotFound")
            if match["rev"] not in ("main", repo.commit):
                return self._error(404, "RevisionNotFound")
            data = repo.files.get(match["file"])
            if data is None:
                return self._error(404, "EntryNotFound")
            headers = {
                "ETag": f'"{_etag(match["file"], data)}"',
                "X-Repo-Commit": repo.commit,
                "Accept-Ranges": "bytes",
                "Content-Type": "application/octet-stream",
            }
            status, start = 200, 0
            requested = self.headers.get("Range")
            if requested and (found := re.fullmatch(r"bytes=(\d+)-", requested.strip())):
                start = int(found[1])
                if start >= len(data):
                    headers["Content-Range"] = f"bytes */{len(data)}"
                    return self._send(416, b"", headers, head, None)
                status = 206
                headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
            body = data[start:]
            if fault is not None and fault.corrupt and body:
                body = bytes([body[0] ^ 0xFF]) + body[1:]
            return self._send(status, body, headers, head, fault, offset=start)
        return self._error(404, None)

    def _error(self, status: int, code: str | None) -> None:
        body = json.dumps({"error": f"test hub says {status}"}).encode()
        headers = {"Content-Type": "application/json"}
        if code:
            headers["X-Error-Code"] = code
        self._send(status, body, headers, False, None)

    def _send(
        self, status: int, body: bytes, headers: dict[str, str], head: bool, fault: Fault | None, offset: int = 0
    ) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head:
            return
        limit = len(body)
        # Cut and stall positions count from the start of the file, so a resumed request that
        # starts past them goes through.
        if fault is not None and fault.cut_after is not None:
            limit = max(0, min(limit, fault.cut_after - offset))
        if fault is not None and fault.stall_after is not None:
            limit = max(0, min(limit, fault.stall_after - offset))
        sent = 0
        while sent < limit:
            piece = body[sent : min(limit, sent + 4096)]
            self.wfile.write(piece)
            self.wfile.flush()
            sent += len(piece)
            if fault is not None and fault.trickle:
                time.sleep(fault.trickle)
        if fault is not None and fault.stall_after is not None and limit < len(body):
            self.owner._stop.wait()
        if limit < len(body):
            self.close_connection = True


def _etag(name: str, data: bytes) -> str:
    return hashlib.sha256(data).hexdigest() if name.endswith(LFS_SUFFIXES) else git_blob_id(data)


def _model_info(repo_id: str, repo: Repo) -> dict:
    siblings = []
    for name, data in sorted(repo.files.items()):
        entry: dict = {"rfilename": name, "size": len(data), "blobId": git_blob_id(data)}
        if name.endswith(LFS_SUFFIXES):
            pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{hashlib.sha256(data).hexdigest()}\n"
            entry["blobId"] = git_blob_id(pointer.encode())
            entry["lfs"] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "pointerSize": 134}
        siblings.append(entry)
    return {"id": repo_id, "modelId": repo_id, "sha": repo.commit, "private": False, "siblings": siblings}
