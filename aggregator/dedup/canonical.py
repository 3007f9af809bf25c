"""Canonical article URLs: one stable key per article, whatever variant reached it.

Rules, applied in this order (see docs/dedup.md):

1. Only absolute ``http``/``https`` URLs are accepted; anything else raises `URLError`.
2. w3lib's canonical form: percent-encoding normalised, IDNA host, dot-segments resolved,
   fragment removed, query sorted.
3. Scheme and host are lower-cased; user info and a trailing dot on the host are dropped;
   ``http`` is folded into ``https`` (news sites serve both) except for IP-literal and
   ``localhost`` hosts (test mirrors, intranets); default ports (80, 443) are dropped.
4. Host variants: a leading ``www.``, ``m.``, ``mobile.`` or ``amp.`` label is dropped as
   long as a registrable domain remains (``m.tribunnews.com`` -> ``tribunnews.com``).
5. Path: repeated slashes collapsed; a leading or trailing ``amp`` segment removed
   (``/amp/news/x``, ``/news/x/amp``); a trailing slash removed (except the root ``/``).
6. Query: tracking parameters (``utm_*``, ``fbclid``, ``gclid`` ... see `TRACKING_PARAMS`)
   and AMP switches (``amp=1``, ``outputType=amp``) are removed, as are the page selectors
   of multi-page articles (``page=2``, ``page=all``, ``single=1``) unless
   ``keep_paging=True`` (listing pages, where ``?page=2`` is a different document).
   Other parameters are kept, sorted.
7. ``canonical_hint`` (``rel=canonical`` / ``og:url``) replaces the URL when, once made
   absolute and canonicalised itself, it is on the same registrable domain and is not
   the site's home page; otherwise it is ignored.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize

from aggregator.exceptions import AggregatorError

__all__ = ["TRACKING_PARAMS", "URLError", "canonicalize_url", "registrable_domain"]


class URLError(AggregatorError, ValueError):
    """The string is not an absolute http(s) URL that can be canonicalised."""


#: Query parameters that only say where a click came from.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
        "twclid", "ttclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi",
        "mkt_tok", "ref_src", "ref_url", "cmpid", "spm", "oly_anon_id", "oly_enc_id",
        "vero_id", "rb_clickid", "s_cid", "wt_mc", "tag_from", "_branch_match_id",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_AMP_PARAMS = {"amp": {"", "1", "true", "yes"}, "outputtype": {"amp"}}
_PAGING_PARAMS = {"page": re.compile(r"^(\d{1,4}|all)$"), "single": re.compile(r"^(1|true)$")}
_HOST_VARIANT_LABELS = ("www", "m", "mobile", "amp")
_HOME_PATHS = frozenset({"/", "/index.html", "/index.htm", "/index.php", "/home"})
#: Multi-label public suffixes seen on Indonesian news and wire sites (no download needed).
_TWO_LABEL_SUFFIXES = frozenset(
    {
        "co.id", "ac.id", "go.id", "or.id", "web.id", "my.id", "sch.id", "net.id",
        "biz.id", "mil.id", "desa.id", "ponpes.id", "co.uk", "org.uk", "ac.uk", "com.au",
        "net.au", "co.jp", "com.sg", "com.my", "co.kr", "com.br", "co.nz", "com.cn",
        "com.hk", "co.in", "com.tw", "com.ph", "co.th", "com.vn",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(
    url: str, *, canonical_hint: str | None = None, keep_paging: bool = False
) -> str:
    """Return the canonical form of an article URL (rules in the module docstring)."""
    canonical = _canonical(url, keep_paging=keep_paging)
    if canonical_hint:
        hinted = _usable_hint(canonical_hint, base=url, canonical=canonical)
        if hinted is not None:
            return hinted
    return canonical


def registrable_domain(host: str) -> str:
    """Return the registrable domain of a host (``news.detik.com`` -> ``detik.com``)."""
    host = host.lower().rstrip(".")
    if _is_ip(host) or "." not in host:
        return host
    labels = host.split(".")
    keep = 3 if ".".join(labels[-2:]) in _TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


def _canonical(url: str, *, keep_paging: bool) -> str:
    """Canonicalise one URL without looking at any hint; the result is a fixed point."""
    out = _canonical_once(url, keep_paging=keep_paging)
    # w3lib's encoding of path parameters (";[", ";;") can change on a second pass.
    for _ in range(3):
        again = _canonical_once(out, keep_paging=keep_paging)
        if again == out:
            break
        out = again
    return out


def _canonical_once(url: str, *, keep_paging: bool) -> str:
    """One pass of the canonicalisation rules."""
    if not isinstance(url, str):
        raise URLError(f"URL must be a string, got {type(url).__name__}")
    text = url.strip()
    try:
        parts = urlsplit(text)
        if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
            raise URLError(f"not an absolute http(s) URL: {text[:200]!r}")
        parts = urlsplit(_w3lib_canonicalize(text, keep_fragments=False))
        port = parts.port
    except (ValueError, UnicodeError) as exc:  # bad port, IDNA label or IPv6 literal
        if isinstance(exc, URLError):
            raise
        raise URLError(f"malformed URL {text[:200]!r}: {exc}") from exc
    host = (parts.hostname or "").rstrip(".")
    scheme = parts.scheme.lower()
    if scheme == "http" and not _is_local(host):
        scheme = "https"
    host = _fold_host(host)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port not in _DEFAULT_PORTS.values():
        netloc = f"{netloc}:{port}"
    query = _clean_query(parts.query, keep_paging=keep_paging)
    return urlunsplit((scheme, netloc, _clean_path(parts.path), query, ""))


def _usable_hint(hint: str, *, base: str, canonical: str) -> str | None:
    """Canonicalise a rel=canonical hint; None unless same site and not the home page."""
    try:
        hinted = _canonical(urljoin(base, hint.strip()), keep_paging=False)
    except (URLError, ValueError):
        return None
    hint_parts, own_parts = urlsplit(hinted), urlsplit(canonical)
    same_site = registrable_domain(hint_parts.hostname or "") == registrable_domain(
        own_parts.hostname or ""
    )
    if not same_site or hint_parts.path in _HOME_PATHS:
        return None
    return hinted


def _fold_host(host: str) -> str:
    """Drop one leading www./m./mobile./amp. label while a registrable domain remains."""
    if _is_ip(host):
        return host
    first, _, rest = host.partition(".")
    # `rest` must still be a real domain, not a bare public suffix ("www.co.id").
    if first in _HOST_VARIANT_LABELS and "." in rest and rest not in _TWO_LABEL_SUFFIXES:
        return rest
    return host


def _clean_path(path: str) -> str:
    """Collapse slashes, drop leading/trailing AMP segments and the trailing slash."""
    segments = [seg for seg in path.split("/") if seg]
    if segments and segments[-1].lower() == "amp":
        segments.pop()
    if segments and segments[0].lower() == "amp":
        segments.pop(0)
    return "/" + "/".join(segments)


def _clean_query(query: str, *, keep_paging: bool) -> str:
    """Drop tracking, AMP and (for articles) paging parameters; keep the rest sorted."""
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        name = key.lower()
        if name in TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES):
            continue
        if value.lower() in _AMP_PARAMS.get(name, ()):
            continue
        pattern = _PAGING_PARAMS.get(name)
        if not keep_paging and pattern is not None and pattern.match(value.lower()):
            continue
        kept.append((key, value))
    return urlencode(sorted(kept))


def _is_ip(host: str) -> bool:
    """True for IPv4/IPv6 literals."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_local(host: str) -> bool:
    """Hosts whose scheme we keep: IP literals and localhost names."""
    return _is_ip(host) or host == "localhost" or host.endswith(".localhost")
