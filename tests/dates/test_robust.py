"""Bad and random input never crashes collection or resolution."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.dates import collect_date_candidates, resolve_article_dates
from aggregator.types import DateCandidate

NOW = datetime(2022, 1, 10, 5, 0, tzinfo=UTC)
_PIECES = st.sampled_from([
    "<html>", "<head>", "<body>", "</div>", "<div class='date'>", "<time datetime='",
    "'>", "<meta name='pubdate' content='", "<meta property='article:published_time' content='",
    '<script type="application/ld+json">', "</script>", '{"@graph":[', '{"datePublished":"',
    '"}', "]}", "2022-12-10T13-19-56Z", "Sabtu, 10 Des 2022 13:19 WIB", "<li>", "<h1>",
    "Judul", "<title>", "</title>", "<aside>", "&amp;", "<!--", "-->", "<![CDATA[", "\x00",
    "8/1", "kemarin", "+07:00Z", "<?xml version='1.0'?>", "<svg>", "🙂",
])  # fmt: skip
_HTML = st.lists(_PIECES | st.text(max_size=8), max_size=40).map("".join)
_SOURCES = st.sampled_from(["jsonld", "meta", "time", "site", "feed", "sitemap", "dateline",
                            "url", "text"])  # fmt: skip
_RAW = st.sampled_from(["2022-12-10T13-19-56Z", "2021-06-17T11:38:29-07:00", "8/1",
                        "Sabtu, 10 Des 2022 13:19 WIB", "2022-01-08", "kemarin"]) | st.text(
    max_size=30)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(_HTML, st.text(max_size=40))
def test_random_html_never_raises(html: str, url: str) -> None:
    cands = collect_date_candidates(html, url)
    assert all(isinstance(c, DateCandidate) for c in cands)
    published, modified = resolve_article_dates(cands, now=NOW, tz="Asia/Jakarta")
    for resolved in (published, modified):
        assert resolved.value is None or resolved.value.tzinfo is UTC


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["published", "modified"]), _RAW, _SOURCES),
                max_size=12))  # fmt: skip
def test_random_candidates_never_raise(rows: list[tuple[str, str, str]]) -> None:
    cands = [DateCandidate(k, r, s) for k, r, s in rows]  # type: ignore[arg-type]
    published, _ = resolve_article_dates(cands, now=NOW, tz="Asia/Makassar")
    if published.value is not None:
        assert published.raw in {c.raw for c in cands}


def test_deeply_nested_jsonld_is_bounded() -> None:
    deep = '{"a":' * 5000 + '"x"' + "}" * 5000
    html = f'<script type="application/ld+json">{deep}</script>'
    assert [c.source for c in collect_date_candidates(html, "")] == []


def test_huge_page_of_dates_is_capped() -> None:
    lines = "".join(f"<div class='date'>Sabtu, 8 Januari 2022 10:{i % 60:02d} WIB</div>"
                    for i in range(3000))  # fmt: skip
    cands = collect_date_candidates(f"<html><body>{lines}</body></html>", "")
    assert 0 < len([c for c in cands if c.source == "dateline"]) <= 10
