"""Who may read the dashboard and what the browser may do with it.

- Read-only: any method but GET and HEAD is answered 405, before any route runs.
- Token: when one is set (always on non-loopback binds), every request needs it as
  `Authorization: Bearer TOKEN` or HTTP basic auth with TOKEN as the password (any user
  name, so a browser's login prompt works).
- Headers: a strict Content-Security-Policy (`default-src 'self'`, no inline script),
  no sniffing, no referrer, no framing.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ENV_TOKEN = "AGGREGATOR_DASHBOARD_TOKEN"  # noqa: S105 - the variable's name, not a secret
READ_METHODS = frozenset({"GET", "HEAD"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
CHALLENGE = b'Basic realm="aggregator", charset="UTF-8"'
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_matches(header: str | None, token: str) -> bool:
    """Does an Authorization header carry `token` (bearer, or basic password)?"""
    if not header:
        return False
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return hmac.compare_digest(value.encode(), token.encode())
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return hmac.compare_digest(decoded.partition(":")[2].encode(), token.encode())
    return False


class Guard:
    """ASGI middleware: method filter, token check, security headers on every answer."""

    def __init__(self, app: ASGIApp, token: str | None = None) -> None:
        self.app = app
        self.token = token or None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Filter, then pass through with the headers added."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}  # fmt: skip
        if scope["method"] not in READ_METHODS:
            await _plain(send, 405, "read-only: only GET and HEAD\n",
                         [(b"allow", b"GET, HEAD")])  # fmt: skip
        elif self.token and not token_matches(headers.get("authorization"), self.token):
            await _plain(send, 401, "a token is required\n", [(b"www-authenticate", CHALLENGE)])
        else:
            await self.app(scope, receive, _with_headers(send))


def _with_headers(send: Send) -> Send:
    """Wrap `send` so the response start carries the security headers."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            names = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in HEADERS if k not in names]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped


async def _plain(send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]]) -> None:
    """A short text answer with the security headers."""
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"),
               (b"content-length", str(len(body)).encode()), *HEADERS, *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
