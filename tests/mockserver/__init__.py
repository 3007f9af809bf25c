"""Loopback mock server for the tests: the `tests/mockserver/site/` mirror plus fault routes.

Fault routes (added to every `make_mirror()` server):

| path | answer |
|---|---|
| `/status/<code>[?retry_after=N]` | that status with a small HTML body (and Retry-After) |
| `/delay/<seconds>` | 200 after sleeping, capped at `MAX_DELAY` seconds |
| `/drop` | the connection is closed without a response |
| `/redirect?to=<url>[&code=301]` | a redirect to `to` |
| `/loop` | a redirect to itself, forever |
| `/notxml` | a "feed" URL answering an HTML page with 200 |
| `/challenge` | a bot-challenge page with 200 (no article in it) |
| `/flaky/<n>/<rest>` | 503 + `Retry-After: 0` for the first `n` hits, then the file `/<rest>` |
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, Final

from aggregator.mirror import DROP, Drop, Handler, MirrorRequest, MirrorServer, Reply

SITE_DIR: Final = Path(__file__).parent / "site"
TRUTH_FILE: Final = Path(__file__).parent / "site_truth.json"
#: Longest sleep `/delay/<s>` will do, so no test can hang on the server.
MAX_DELAY: Final = 10.0

NOT_XML_PAGE: Final = b"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Halaman tidak ditemukan</title></head><body><h1>Ups! Halaman yang kamu cari tidak
tersedia</h1><p>Silakan kembali ke <a href="/">beranda</a>.</p></body></html>"""

CHALLENGE_PAGE: Final = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="360"><meta name="robots" content="noindex,nofollow"></head>
<body><div class="main-wrapper"><h1>Checking your browser before accessing the site.</h1>
<p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
<noscript>Please enable JavaScript and cookies to continue</noscript>
<div id="challenge-stage"></div><p>Ray ID: 7f1a2b3c4d5e6f70</p></div></body></html>"""


def _status(request: MirrorRequest) -> Reply:
    """`/status/<code>`: answer with that status."""
    try:
        code = int(request.path.rsplit("/", 1)[1])
    except ValueError:
        return Reply(400, b"bad status code")
    headers = {}
    if "retry_after" in request.query:
        headers["Retry-After"] = request.query["retry_after"][0]
    body = f"<html><body><h1>{code}</h1></body></html>".encode()
    return Reply(code if 100 <= code <= 599 else 400, body, headers)


def _delay(request: MirrorRequest) -> Reply:
    """`/delay/<seconds>`: sleep (bounded), then 200."""
    try:
        seconds = min(max(float(request.path.rsplit("/", 1)[1]), 0.0), MAX_DELAY)
    except ValueError:
        return Reply(400, b"bad delay")
    time.sleep(seconds)
    return Reply(200, f"<html><body>slept {seconds}</body></html>".encode())


def _drop(request: MirrorRequest) -> Drop:
    """`/drop`: close the connection without answering."""
    return DROP


def _redirect(request: MirrorRequest) -> Reply:
    """`/redirect?to=URL`: a redirect (302 unless `code` says otherwise)."""
    target = request.query.get("to", ["/"])[0]
    code = int(request.query.get("code", ["302"])[0])
    return Reply(code, b"", {"Location": target})


def _loop(request: MirrorRequest) -> Reply:
    """`/loop`: a redirect to itself."""
    return Reply(302, b"", {"Location": "/loop"})


def _notxml(request: MirrorRequest) -> Reply:
    """`/notxml`: HTML where a feed was expected."""
    return Reply(200, NOT_XML_PAGE)


def _challenge(request: MirrorRequest) -> Reply:
    """`/challenge`: a bot-challenge interstitial answered with 200."""
    return Reply(200, CHALLENGE_PAGE)


class Flaky:
    """`/flaky/<n>/<rest>`: 503 (Retry-After: 0) n times per path, then the mirrored file."""

    def __init__(self, server: MirrorServer) -> None:
        self.server = server
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()

    def __call__(self, request: MirrorRequest) -> Reply:
        """Answer one request."""
        _, _, count, rest = request.path.split("/", 3)
        with self.lock:
            self.seen[request.path] += 1
            failing = self.seen[request.path] <= int(count)
        if failing:
            return Reply(503, b"<html><body>busy</body></html>", {"Retry-After": "0"})
        file = self.server.root / rest
        if not file.is_file():
            return Reply(404, b"not found")
        return Reply(200, self.server.render(file.read_bytes()))


def fault_routes() -> dict[str, Handler]:
    """The stateless fault routes, keyed by path or path prefix."""
    return {
        "/status/": _status,
        "/delay/": _delay,
        "/drop": _drop,
        "/redirect": _redirect,
        "/loop": _loop,
        "/notxml": _notxml,
        "/challenge": _challenge,
    }


def make_mirror(root: Path = SITE_DIR) -> MirrorServer:
    """A (not yet started) mirror of `root` with every fault route."""
    server = MirrorServer(root, routes=fault_routes())
    server.add_route("/flaky/", Flaky(server))
    return server


def site_truth(base_url: str) -> dict[str, Any]:
    """Expected values for the mirror site, with the base URL filled in."""
    text = TRUTH_FILE.read_text(encoding="utf-8").replace("{{BASE_URL}}", base_url)
    data: dict[str, Any] = json.loads(text)
    return data
