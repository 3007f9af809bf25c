"""URL variant tables for `canonicalize_url`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.dedup.canonical import URLError, canonicalize_url, registrable_domain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "id-news" / "truth"

KOMPAS = "https://nasional.kompas.com/read/2016/02/16/14382361/menteri-yuddy"

# (variant, canonical): every variant of one article must map to the same key.
VARIANTS = [
    # scheme and host case, default ports, http -> https
    ("HTTPS://NASIONAL.Kompas.COM/read/2016/02/16/14382361/menteri-yuddy", KOMPAS),
    ("http://nasional.kompas.com/read/2016/02/16/14382361/menteri-yuddy", KOMPAS),
    ("https://nasional.kompas.com:443/read/2016/02/16/14382361/menteri-yuddy", KOMPAS),
    ("http://nasional.kompas.com:80/read/2016/02/16/14382361/menteri-yuddy", KOMPAS),
    ("https://nasional.kompas.com./read/2016/02/16/14382361/menteri-yuddy", KOMPAS),
    ("https://user:pw@nasional.kompas.com/read/2016/02/16/14382361/menteri-yuddy", KOMPAS),
    # fragments and trailing slashes, repeated slashes, dot segments
    (KOMPAS + "#komentar", KOMPAS),
    (KOMPAS + "/", KOMPAS),
    ("https://nasional.kompas.com//read/2016/02/16//14382361/menteri-yuddy", KOMPAS),
    ("https://nasional.kompas.com/read/x/../2016/02/16/./14382361/menteri-yuddy", KOMPAS),
    # tracking parameters
    (KOMPAS + "?utm_source=twitter&utm_medium=social&utm_campaign=x", KOMPAS),
    (KOMPAS + "?fbclid=IwAR0abc", KOMPAS),
    (KOMPAS + "?gclid=abc&_ga=2.1&mc_cid=1&igshid=z", KOMPAS),
    (KOMPAS + "?UTM_Source=x", KOMPAS),
    # AMP variants
    (KOMPAS + "/amp", KOMPAS),
    (KOMPAS + "/amp/", KOMPAS),
    ("https://nasional.kompas.com/amp/read/2016/02/16/14382361/menteri-yuddy", KOMPAS),
    (KOMPAS + "?amp=1", KOMPAS),
    (KOMPAS + "?amp", KOMPAS),
    (KOMPAS + "?outputType=amp", KOMPAS),
    # multi-page articles
    (KOMPAS + "?page=2", KOMPAS),
    (KOMPAS + "?page=all", KOMPAS),
    (KOMPAS + "?single=1", KOMPAS),
    (KOMPAS + "?page=3&utm_source=fb#p3", KOMPAS),
]

HOSTS = [
    ("https://m.tribunnews.com/metropolitan/2015/06/19/x", "https://tribunnews.com/metropolitan/2015/06/19/x"),
    ("https://www.tribunnews.com/metropolitan/2015/06/19/x", "https://tribunnews.com/metropolitan/2015/06/19/x"),
    ("https://amp.kompas.com/read/1/x", "https://kompas.com/read/1/x"),
    ("https://mobile.republika.co.id/berita/x", "https://republika.co.id/berita/x"),
    ("https://www.republika.co.id/berita/x", "https://republika.co.id/berita/x"),
    # only one label is folded, and never down to a public suffix
    ("https://m.news.viva.co.id/read/1", "https://news.viva.co.id/read/1"),
    ("https://www.co.id/x", "https://www.co.id/x"),
    ("https://m.com/x", "https://m.com/x"),
    # sub-sites are different hosts, kept
    ("https://news.detik.com/berita/d-1/x", "https://news.detik.com/berita/d-1/x"),
    # loopback and IP hosts keep their scheme and port (test mirrors)
    ("http://127.0.0.1:8080/a/b/", "http://127.0.0.1:8080/a/b"),
    ("http://localhost:8080/a?utm_source=x", "http://localhost:8080/a"),
    ("http://[::1]:8080/a", "http://[::1]:8080/a"),
    ("https://Bücher.example/x", "https://xn--bcher-kva.example/x"),
]

QUERIES = [
    # meaningful parameters are kept, sorted, encoded consistently
    ("https://x.com/read?id=5&cat=2", "https://x.com/read?cat=2&id=5"),
    ("https://x.com/read?cat=2&id=5", "https://x.com/read?cat=2&id=5"),
    ("https://x.com/search?q=banjir jakarta", "https://x.com/search?q=banjir+jakarta"),
    ("https://x.com/search?q=banjir%20jakarta", "https://x.com/search?q=banjir+jakarta"),
    ("https://x.com/a?page=abc", "https://x.com/a?page=abc"),
    ("https://x.com/a?amp=0", "https://x.com/a?amp=0"),
    ("https://gaya.tempo.co/read/news/1/x?i=1", "https://gaya.tempo.co/read/news/1/x?i=1"),
    ("https://x.com/a%7eb", "https://x.com/a~b"),
    ("https://x.com/", "https://x.com/"),
    ("https://x.com", "https://x.com/"),
    # found by fuzzing: w3lib re-encodes path parameters on a second pass
    ("https://x.com/;/", "https://x.com/"),
    ("http://x.com/;[/?#", "https://x.com/;%5B"),
    ("https://x.com/a;", "https://x.com/a"),
    ("https://x.com/a;v=1", "https://x.com/a;v=1"),
]


@pytest.mark.parametrize(("variant", "expected"), VARIANTS + HOSTS + QUERIES)
def test_variant_table(variant: str, expected: str) -> None:
    assert canonicalize_url(variant) == expected


@pytest.mark.parametrize(("variant", "expected"), VARIANTS + HOSTS + QUERIES)
def test_idempotent(variant: str, expected: str) -> None:
    assert canonicalize_url(canonicalize_url(variant)) == canonicalize_url(variant)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://x.com/indeks?page=2", "https://x.com/indeks?page=2"),
        ("https://x.com/indeks?page=2&utm_source=a", "https://x.com/indeks?page=2"),
        ("https://x.com/indeks/amp?amp=1", "https://x.com/indeks"),
    ],
)
def test_keep_paging_for_listing_pages(url: str, kept: str) -> None:
    assert canonicalize_url(url, keep_paging=True) == kept


AMP = "https://amp.kompas.com/nasional/read/2016/02/16/14382361/menteri-yuddy"


@pytest.mark.parametrize(
    ("url", "hint", "expected"),
    [
        # same site (other subdomain): the hint wins
        (AMP, KOMPAS, KOMPAS),
        (AMP, "http://nasional.kompas.com/read/2016/02/16/14382361/menteri-yuddy/", KOMPAS),
        # relative hint, resolved against the page URL
        (KOMPAS + "?page=2", "/read/2016/02/16/14382361/menteri-yuddy", KOMPAS),
        # other site: ignored (syndication must not steal the URL)
        (KOMPAS, "https://www.antaranews.com/berita/1/x", KOMPAS),
        # home page: ignored (a common template bug)
        (KOMPAS, "https://www.kompas.com/", KOMPAS),
        (KOMPAS, "https://nasional.kompas.com/index.php", KOMPAS),
        # empty, garbage or non-http hints: ignored
        (KOMPAS, "", KOMPAS),
        (KOMPAS, "   ", KOMPAS),
        (KOMPAS, "javascript:alert(1)", KOMPAS),
        (KOMPAS, "http://[bad", KOMPAS),
        (KOMPAS, "mailto:redaksi@kompas.com", KOMPAS),
    ],
)
def test_canonical_hint(url: str, hint: str, expected: str) -> None:
    assert canonicalize_url(url, canonical_hint=hint) == expected


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "not a url", "/relative/path", "ftp://x.com/a", "file:///etc/passwd",
     "javascript:alert(1)", "http://", "https://x.com:99999/a", "http://[::1/a"],
)
def test_bad_input_raises_clear_error(bad: str) -> None:
    with pytest.raises(URLError):
        canonicalize_url(bad)


def test_non_string_raises_clear_error() -> None:
    with pytest.raises(URLError):
        canonicalize_url(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("news.detik.com", "detik.com"),
        ("nasional.republika.co.id", "republika.co.id"),
        ("dunia.news.viva.co.id", "viva.co.id"),
        ("antaranews.com", "antaranews.com"),
        ("WWW.Kompas.com.", "kompas.com"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domain(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


def test_fixture_truth_urls_are_stable_and_distinct() -> None:
    """Every truth URL canonicalises to a distinct key, and the key is a fixed point."""
    urls = [json.loads(p.read_text("utf-8"))["url"] for p in sorted(FIXTURES.glob("*.json"))]
    keys = [canonicalize_url(u) for u in urls]
    assert len(set(keys)) == len(urls)
    assert all(canonicalize_url(k) == k for k in keys)
    assert all(k.startswith("https://") for k in keys)


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=80))
def test_fuzz_text_gives_url_or_urlerror(text: str) -> None:
    try:
        out = canonicalize_url("https://x.com/" + text)
    except URLError:
        return
    assert out.startswith("https://")
    assert canonicalize_url(out) == out


_PART = st.text(alphabet="abcXYZ019-._~%/?=&#:@!$'()*+,; ", max_size=12)


@settings(max_examples=1000, deadline=None)
@given(st.sampled_from(["http", "https", "HTTP", "ftp", ""]),
       st.sampled_from(["x.com", "WWW.x.co.id", "m.x.com", "127.0.0.1:8", "[::1]", "", "a..b"]),
       _PART, _PART, _PART)
def test_fuzz_structured_urls(scheme: str, host: str, path: str, query: str, hint: str) -> None:
    """Random URLs: a canonical fixed point or URLError, never another exception."""
    url = f"{scheme}://{host}/{path}?{query}"
    try:
        out = canonicalize_url(url, canonical_hint=hint or None)
    except URLError:
        return
    assert out.split("://")[0] in ("http", "https")
    assert "#" not in out
    assert canonicalize_url(out) == out
