"""A small threaded HTTP server on loopback that serves a directory of files.

Used by the demo and by the tests: real sockets on 127.0.0.1 with an ephemeral port,
ETag/Last-Modified with conditional GET, per-path hit counting and pluggable routes
(a dict path -> handler) so tests can add fault paths.

File lookup: ``/a/b`` serves ``<root>/a/b`` (``index.html`` for a directory).  A query
string selects ``<root>/a/b@<query>`` when that file exists (``?page=2`` ->
``b@page=2``), otherwise the query is ignored.  ``.gz`` files are served raw
(``application/gzip``, no Content-Encoding), as sitemap hosts do.

Files may hold absolute links to the mirror itself: the placeholder ``{{BASE_URL}}``
is replaced by ``http://127.0.0.1:<port>`` in every served file (inside ``.gz`` files
too, when they decompress within a small cap), so feeds and sitemaps keep absolute URLs.

Route keys are exact paths, or prefixes when they end with ``/`` (``"/status/"``
matches ``/status/404``).  A handler gets a `MirrorRequest` and returns a `Reply`, or
`DROP` to close the connection without answering.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Final
from urllib.parse import parse_qs, unquote, urlsplit

from aggregator.mirror_http import (  # content_type_for: part of this module's interface
    bounded_gunzip,
    content_type_for,
    file_validators,
    is_not_modified,
)

__all__ = ["DROP", "Drop", "Handler", "MirrorRequest", "MirrorServer", "Reply", "content_type_for",
           "main"]

#: Placeholder for the server's own base URL inside served files.
BASE_PLACEHOLDER: Final = b"{{BASE_URL}}"
#: Largest decompressed size for rewriting the placeholder inside a .gz file.
MAX_GZ_REWRITE: Final = 4 * 1024 * 1024
#: Cap on the request log so a long-running demo server does not grow without bound.
MAX_LOG: Final = 10_000


@dataclass(frozen=True, slots=True)
class MirrorRequest:
    """What a route handler sees of one request."""

    method: str
    target: str  # path + query as sent
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    received_at: float = 0.0  # time.monotonic() when the request arrived


@dataclass(slots=True)
class Reply:
    """A route handler's answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"


class Drop:
    """Sentinel type: close the connection without sending a response."""


DROP: Final = Drop()
Handler = Callable[[MirrorRequest], "Reply | Drop"]


class MirrorServer:
    """Serve `root` on 127.0.0.1:<ephemeral>; use as a context manager."""

    def __init__(
        self,
        root: str | Path,
        *,
        routes: dict[str, Handler] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.root = Path(root).resolve()
        self.routes: dict[str, Handler] = dict(routes or {})
        self._host, self._port = host, port
        self._hits: Counter[str] = Counter()
        self._log: list[MirrorRequest] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> MirrorServer:
        """Bind and serve in a daemon thread; returns self."""
        if self._server is not None:
            return self
        handler = type("_BoundHandler", (_RequestHandler,), {"mirror": self})
        self._server = ThreadingHTTPServer((self._host, self._port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------
    @property
    def port(self) -> int:
        """The bound port (the server must be started)."""
        if self._server is None:
            raise RuntimeError("mirror server is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` without a trailing slash."""
        return f"http://{self._host}:{self.port}"

    def url(self, path: str = "/") -> str:
        """Absolute URL of `path` on this server."""
        return self.base_url + ("" if path.startswith("/") else "/") + path

    # -- routes and hits -------------------------------------------------------------
    def add_route(self, path: str, handler: Handler) -> None:
        """Register (or replace) a route handler."""
        self.routes[path] = handler

    def hits(self, path: str) -> int:
        """Requests seen for `path` (exact target with query, or bare path)."""
        with self._lock:
            return self._hits[path]

    def total_hits(self) -> int:
        """All requests seen since the last reset."""
        with self._lock:
            return len(self._log)

    def requests(self) -> list[MirrorRequest]:
        """A copy of the request log (oldest first, at most MAX_LOG)."""
        with self._lock:
            return list(self._log)

    def reset_hits(self) -> None:
        """Forget all hit counts and the request log."""
        with self._lock:
            self._hits.clear()
            self._log.clear()

    def _record(self, request: MirrorRequest) -> None:
        with self._lock:
            self._hits[request.path] += 1
            if request.target != request.path:
                self._hits[request.target] += 1
            if len(self._log) < MAX_LOG:
                self._log.append(request)

    def _route_for(self, path: str) -> Handler | None:
        if path in self.routes:
            return self.routes[path]
        prefixes = [k for k in self.routes if k.endswith("/") and path.startswith(k)]
        return self.routes[max(prefixes, key=len)] if prefixes else None

    def render(self, body: bytes, *, gzipped: bool = False) -> bytes:
        """Replace the base-URL placeholder in a file body (gzip bodies within a cap)."""
        base = self.base_url.encode()
        if not gzipped:
            return body.replace(BASE_PLACEHOLDER, base)
        plain = bounded_gunzip(body, MAX_GZ_REWRITE)
        if plain is None or BASE_PLACEHOLDER not in plain:
            return body  # a bomb or a plain archive: serve it as stored
        return gzip.compress(plain.replace(BASE_PLACEHOLDER, base), mtime=0)

    def _file_for(self, path: str, query: str) -> Path | None:
        """The file that answers `path` (+ `query`), or None; never outside root."""
        rel = unquote(path).lstrip("/")
        candidate = (self.root / rel).resolve()
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if query:
            variant = candidate.with_name(f"{candidate.name}@{unquote(query)}")
            if "/" not in query and variant.is_file():
                candidate = variant
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        return candidate


class _RequestHandler(BaseHTTPRequestHandler):
    """Serves one connection for a `MirrorServer` (set as class attribute `mirror`)."""

    mirror: MirrorServer
    protocol_version = "HTTP/1.1"
    server_version = "aggregator-mirror/1"

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr access log."""

    def do_GET(self) -> None:  # name fixed by BaseHTTPRequestHandler
        """Answer GET."""
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        """Answer HEAD."""
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        parts = urlsplit(self.path)
        request = MirrorRequest(
            method=self.command,
            target=self.path,
            path=parts.path,
            query=parse_qs(parts.query),
            headers={k.lower(): v for k, v in self.headers.items()},
            received_at=time.monotonic(),
        )
        self.mirror._record(request)
        route = self.mirror._route_for(parts.path)
        if route is not None:
            reply = route(request)
            if isinstance(reply, Drop):
                self.close_connection = True
                return
            self._send(reply, send_body=send_body)
            return
        self._send_file(request, parts.query, send_body=send_body)

    def _send_file(self, request: MirrorRequest, query: str, *, send_body: bool) -> None:
        file = self.mirror._file_for(request.path, query)
        if file is None:
            self._send(Reply(404, b"<html><body>Not found</body></html>"), send_body=send_body)
            return
        etag, last_modified, mtime = file_validators(file)
        validators = {"ETag": etag, "Last-Modified": last_modified}
        if is_not_modified(request.headers, etag, mtime):
            self._send(Reply(304, headers=validators, content_type=""), send_body=False)
            return
        body = self.mirror.render(file.read_bytes(), gzipped=file.name.endswith(".gz"))
        reply = Reply(200, body, validators, content_type_for(request.path))
        self._send(reply, send_body=send_body)

    def _send(self, reply: Reply, *, send_body: bool) -> None:
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.status != 304:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if send_body and reply.status != 304:
            self.wfile.write(reply.body)


def main(argv: list[str] | None = None) -> None:
    """``python -m aggregator.mirror DIR``: serve DIR until interrupted."""
    parser = argparse.ArgumentParser(description="Serve a directory on 127.0.0.1.")
    parser.add_argument("root")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    with MirrorServer(args.root, port=args.port) as server:
        print(server.base_url, flush=True)  # the URL is the program's output
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
