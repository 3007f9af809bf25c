"""Turning raw `<link>`/`<loc>` text into absolute http(s) URLs."""

from __future__ import annotations

from typing import Final
from urllib.parse import urljoin, urlsplit

#: Same limit as Scrapy's URLLENGTH_LIMIT: longer URLs are junk or attacks.
MAX_URL_LENGTH: Final = 2083


def absolute_http_url(raw: str | None, base_url: str) -> str | None:
    """Resolve `raw` against `base_url`; None unless the result is a plain http(s) URL."""
    if not raw:
        return None
    text = raw.strip()
    if not text or len(text) > MAX_URL_LENGTH or any(ch in text for ch in "\r\n\t "):
        return None
    # Most entries are already absolute: skip the (comparatively slow) join for them.
    absolute = text[:8].lower().startswith(("http://", "https://"))
    url = (text if absolute else urljoin(base_url, text)).partition("#")[0]
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 literal
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url
