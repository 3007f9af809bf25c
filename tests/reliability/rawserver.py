"""A raw-socket HTTP server on 127.0.0.1 for faults a normal server cannot produce.

| path | behaviour |
|---|---|
| `/hang` | status line and headers (Content-Length 5000), then silence until stopped |
| `/partial` | headers promising 20000 bytes, 1000 bytes sent, then the connection closes |
| `/bad-chunked` | chunked encoding with a chunk size that is not hex |
| `/big-sized` | a 2 MiB page with its Content-Length |
| `/big-unsized` | a 2 MiB page without Content-Length (ends when the connection closes) |

Every wait is bounded by `MAX_HANG` seconds and by `stop()`.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from collections import Counter
from types import TracebackType
from typing import Final

#: Longest a `/hang` connection is held open, whatever the client does.
MAX_HANG: Final = 30.0
BIG: Final = 2 * 1024 * 1024
_HEAD: Final = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"


class RawServer:
    """Serve the fault paths above; use as a context manager."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        handler = type("_Bound", (_Handler,), {"owner": self})
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)  # fmt: skip

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        """Absolute URL of `path` on this server."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def record(self, path: str) -> None:
        """Count one request."""
        with self._lock:
            self.hits[path] += 1


class _Handler(socketserver.StreamRequestHandler):
    owner: RawServer

    def handle(self) -> None:
        """Read the request head, then misbehave according to the path."""
        self.request.settimeout(MAX_HANG)
        try:
            line = self.rfile.readline(8192).decode("latin-1")
            while self.rfile.readline(8192).strip():
                pass  # skip the request headers
        except OSError:
            return
        parts = line.split()
        path = parts[1].split("?", 1)[0] if len(parts) > 1 else "/"
        self.owner.record(path)
        with contextlib.suppress(OSError):  # the client gave up first: that is its right
            self._answer(path)

    def _answer(self, path: str) -> None:
        out: socket.socket = self.request
        if path == "/hang":
            out.sendall(_HEAD + b"Content-Length: 5000\r\n\r\n")
            self.owner.stopping.wait(MAX_HANG)
        elif path == "/partial":
            out.sendall(_HEAD + b"Content-Length: 20000\r\n\r\n" + b"<html><body>" + b"x" * 988)
        elif path in ("/big-sized", "/big-unsized"):
            body = b"<html><body>" + b"x" * BIG
            length = f"Content-Length: {len(body)}\r\n".encode() if path == "/big-sized" else b""
            with contextlib.suppress(OSError):  # the client hangs up at its size limit
                out.sendall(_HEAD + length + b"Connection: close\r\n\r\n" + body)
        elif path == "/bad-chunked":
            out.sendall(_HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n")
        else:
            out.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
