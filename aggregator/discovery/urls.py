"""URL helpers: raw `<link>`/`<loc>` text -> absolute http(s) URLs; host, port, address class.

`host_port` and `address_category` are what the SSRF guard (aggregator.middlewares)
judges destinations with; they need no Scrapy.
"""

from __future__ import annotations

import ipaddress
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


def host_port(url: str) -> tuple[str, int] | None:
    """(lower-case host, port) of an http(s) URL, default ports filled in; None if unusable."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname.lower().rstrip("."), port or (443 if parts.scheme == "https" else 80)


def address_category(address: str) -> str | None:
    """Why an IP address is not public ('loopback', 'private'...), or None when it is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "invalid"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    checks = (
        ("loopback", ip.is_loopback),
        ("link_local", ip.is_link_local),  # 169.254.169.254: cloud metadata
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private or not ip.is_global),  # 10/8, 100.64/10, fc00::/7 ...
    )
    return next((name for name, hit in checks if hit), None)
