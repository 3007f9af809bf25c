"""Property-based fuzzing: parsers return a typed value or raise their documented error."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aggregator.dates import parse_date
from aggregator.dedup import canonicalize_url
from aggregator.dedup.canonical import URLError
from aggregator.discovery import DiscoveryError, parse_document
from aggregator.extraction import extract_page
from aggregator.types import PageFields

pytestmark = pytest.mark.timeout(120)

FUZZ = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
NOW = dt.datetime(2026, 1, 20, 3, 0, tzinfo=dt.UTC)
#: Fragments that steer random input towards the parsers' interesting paths.
XML_BITS = ["<?xml version='1.0'?>", "<rss>", "<channel>", "<item>", "<link>", "</link>",
            "<urlset>", "<url><loc>", "</loc></url>", "<sitemapindex>", "<!DOCTYPE r [",
            '<!ENTITY e "x">', "]>", "&e;", "&amp;", "<![CDATA[", "]]>", "http://a.id/x",
            "\x00", "\ufeff", "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>"]  # fmt: skip
HTML_BITS = ["<html>", "<head>", "<meta charset='", "utf-8", "'>", "<title>", "</title>",
             "<body>", "<p>", "</p>", "<article>", "<h1>", "<script>", "\x00", "\ufffd",
             "Jakarta - ", "<div class='detail__body-text'>", "<!--", "-->", "\xe9",
             "Senin, 20 Januari 2026 18:33 WIB"]  # fmt: skip
DATE_BITS = ["Senin", ",", " ", "20", "Januari", "2026", "18:33", "WIB", "WITA", "/", "-",
             "jam yang lalu", "kemarin", "Nop", "Ags", "T", "+07:00", "Z", "99", "0",
             "1700000000000", "Minggu"]  # fmt: skip


def _mix(bits: list[str]) -> st.SearchStrategy[str]:
    """Random concatenations of hostile fragments and arbitrary text."""
    return st.lists(st.one_of(st.sampled_from(bits), st.text(max_size=20)), max_size=40).map(
        "".join)


@FUZZ
@given(st.one_of(st.binary(max_size=2000), _mix(XML_BITS).map(lambda s: s.encode("utf-8",
                                                                                 "surrogatepass"))))
def test_parse_document_never_crashes(body: bytes) -> None:
    try:
        result, reason = parse_document(body, "http://a.id/feed"), None
    except DiscoveryError as exc:
        result, reason = None, exc.reason
    if result is None:
        assert reason in {"not_xml", "too_large", "unsafe_xml", "unknown_format"}
        return
    for link in result.links:
        assert link.url.startswith(("http://", "https://"))


@FUZZ
@given(st.one_of(st.binary(max_size=2000), _mix(HTML_BITS)))
def test_extract_page_never_crashes(page: bytes | str) -> None:
    fields = extract_page(page, "http://a.id/berita/1")
    assert isinstance(fields, PageFields)
    assert fields.is_article or fields.reject_reason
    for text in (fields.title or "", fields.body or ""):
        assert "\ufffd" not in text


@FUZZ
@given(_mix(DATE_BITS))
def test_parse_date_is_none_or_aware_utc(text: str) -> None:
    value = parse_date(text, now=NOW)
    assert value is None or value.utcoffset() == dt.timedelta(0)


@FUZZ
@given(st.one_of(st.text(max_size=200), st.from_regex(
    r"https?://[a-z0-9.\[\]:@%-]{0,30}(/[^\s]{0,40})?(\?[^\s#]{0,40})?(#.*)?", fullmatch=True)))
def test_canonicalize_url_returns_http_or_raises_urlerror(url: str) -> None:
    try:
        out = canonicalize_url(url)
    except URLError:
        return
    assert out.startswith(("http://", "https://"))
