"""collect_date_candidates on small pages: JSON-LD shapes, meta, <time> scoping, lines, URL."""

from __future__ import annotations

import pytest

from aggregator.dates import collect_date_candidates, url_candidates
from aggregator.types import DateCandidate

URL = "https://news.example/berita/123/judul"


def _page(head: str = "", body: str = "") -> str:
    title = "<title>Judul berita yang cukup panjang</title>"
    return f"<html><head>{title}{head}</head><body>{body}</body></html>"


def _ld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


def _raws(cands: list[DateCandidate], source: str) -> list[tuple[str, str]]:
    return [(c.kind, c.raw) for c in cands if c.source == source]


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ('{"@type":"NewsArticle","datePublished":"2022-01-08T10:15:00+07:00"}',
         [("published", "2022-01-08T10:15:00+07:00")]),
        ('{"@graph":[{"@type":"WebPage","datePublished":"2022-01-01"},'
         '{"@type":"NewsArticle","datePublished":"2022-01-08","dateModified":"2022-01-09"}]}',
         [("published", "2022-01-08"), ("published", "2022-01-01"), ("modified", "2022-01-09")]),
        ('[{"@type":["Article"],"datePublished":["2022-01-08"]}]', [("published", "2022-01-08")]),
        ('{"@type":"NewsArticle","datePublished":"2022-01-08",}',  # trailing comma: not JSON
         [("published", "2022-01-08")]),
        ('{"@type":"NewsArticle","dateCreated":"2022-01-07","datePublished":"2022-01-08"}',
         [("published", "2022-01-08"), ("published", "2022-01-07")]),
        ('{"@type":"NewsArticle","datePublished":1641611700}', [("published", "1641611700")]),
        ("not json at all", []),
        ('{"@type":"NewsArticle","datePublished":null,"dateModified":true}', []),
    ],
)
def test_jsonld_shapes(block: str, expected: list[tuple[str, str]]) -> None:
    got = _raws(collect_date_candidates(_page(head=_ld(block)), URL), "jsonld")
    assert sorted(got) == sorted(expected)
    if expected:
        assert got[0] == expected[0]


def test_meta_tags_in_preference_order_with_kinds() -> None:
    head = ('<meta name="pubdate" content="2022-12-10T13-19-56Z">'
            '<meta property="article:published_time" content="2022-12-10T13:19:56+07:00">'
            '<meta property="og:updated_time" content="2022-12-10T14:00:00+07:00">'
            '<meta name="robots" content="2022-01-01">'
            '<meta name="publishdate" content="">')  # fmt: skip
    got = _raws(collect_date_candidates(_page(head=head), URL), "meta")
    assert got == [
        ("published", "2022-12-10T13:19:56+07:00"),
        ("published", "2022-12-10T13-19-56Z"),
        ("modified", "2022-12-10T14:00:00+07:00"),
    ]


def test_time_elements_skip_sidebars_and_lists() -> None:
    body = ('<aside><time datetime="2015-06-17T21:50:56+07:00">x</time></aside>'
            '<div class="related-news"><time datetime="2015-06-17T19:17:40+07:00">y</time></div>'
            '<ul><li><time datetime="2015-06-17T18:01:55+07:00">z</time></li></ul>'
            '<article><time datetime="2015-06-18T06:25:00+07:00">18 Jun</time>'
            '<time class="tgl">Kamis, 5 November 2015 - 15:56 wib</time></article>')  # fmt: skip
    got = _raws(collect_date_candidates(_page(body=body), URL), "time")
    assert got == [("published", "2015-06-18T06:25:00+07:00"),
                   ("published", "Kamis, 5 November 2015 - 15:56 wib")]  # fmt: skip


def test_microdata_attribute_or_text() -> None:
    body = ('<span itemprop="datePublished" datetime="18 Jun 2015 at &lt;span&gt;06:25 WIB'
            '&lt;/span&gt;">x</span><div itemprop="dateModified">Jumat, 19 Juni 2015</div>')
    got = _raws(collect_date_candidates(_page(body=body), URL), "meta")
    assert got == [("published", "18 Jun 2015 at <span>06:25 WIB</span>"),
                   ("modified", "Jumat, 19 Juni 2015")]  # fmt: skip


def test_date_line_next_to_headline_comes_first() -> None:
    body = ('<div class="side"><div class="date">Rabu, 4 November 2015 | 19:14</div></div>'
            + "<p>filler</p>" * 30 +
            '<h2>Judul berita yang cukup panjang</h2><div class="grey">Rabu, 4 November 2015 | '
            '21:04 WIB</div><div class="date">Baca</div>')  # fmt: skip
    cands = collect_date_candidates(_page(body=body), URL)
    lines = [c.raw for c in cands if c.source == "dateline"]
    assert lines[0] == "Rabu, 4 November 2015 | 21:04 WIB"
    assert "Rabu, 4 November 2015 | 19:14" in lines


@pytest.mark.parametrize(
    ("url", "raw"),
    [
        ("https://news.detik.com/read/2015/11/05/100026/3062623/x", "2015-11-05"),
        ("https://money.kompas.com/read/2023/11/02/213419026/x", "2023-11-02"),
        ("https://www.suara.com/news/2015/6/9/130605/x", "2015-06-09"),
        ("https://x.example/2022-01-08/judul", "2022-01-08"),
        ("https://x.example/berita/546643/judul", None),
        ("https://x.example/3000/01/08/judul", None),
        ("", None),
    ],
)
def test_url_dates(url: str, raw: str | None) -> None:
    got = url_candidates(url)
    assert [c.raw for c in got] == ([raw] if raw else [])


@pytest.mark.parametrize("doc", ["", "   ", b"", b"\xff\xfe\x00garbage", "<<<>>>", None, 42])
def test_bad_documents_give_only_url_candidates(doc: object) -> None:
    got = collect_date_candidates(doc, "https://x.example/2022/01/08/a")
    assert [c.source for c in got] == ["url"]


def test_xml_declaration_in_a_string_is_accepted() -> None:
    html = '<?xml version="1.0" encoding="iso-8859-1"?>' + _page(
        head='<meta name="pubdate" content="2022-01-08">')
    assert _raws(collect_date_candidates(html, URL), "meta") == [("published", "2022-01-08")]


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        ('<div class="date">Diperbarui 20 Des 2021, 13:04 WIB</div>', "modified"),
        ('<div class="article-header__modified-time">20 Des 2021, 13:04 WIB</div>', "modified"),
        ('<time class="updated" itemprop="datePublished">on 16 Feb 2016 at 09:10</time>',
         "published"),
        ('<time itemprop="dateModified">20 Des 2021, 13:04 WIB</time>', "modified"),
        ('<span class="date">pada 20 Des 2021, 09:59 WIB</span>', "published"),
    ],
)
def test_update_lines_are_modified_candidates(html: str, kind: str) -> None:
    cands = [c for c in collect_date_candidates(_page(body=html), URL)
             if c.source in ("dateline", "time")]  # fmt: skip
    assert cands
    assert {c.kind for c in cands} == {kind}


def test_time_inside_the_article_comes_before_a_page_header_time() -> None:
    body = ('<div class="top"><time datetime="2022-01-10T06:00:00+07:00">hari ini</time></div>'
            '<article><h1>Judul</h1><time datetime="2022-01-08T10:15:00+07:00">8/1</time>'
            "</article>")  # fmt: skip
    got = [c.raw for c in collect_date_candidates(_page(body=body), URL) if c.source == "time"]
    assert got == ["2022-01-08T10:15:00+07:00", "2022-01-10T06:00:00+07:00"]


def test_microdata_meta_of_listed_stories_is_skipped() -> None:
    body = ('<ul class="list"><li itemscope><meta itemprop="datePublished" content="2021-01-01">'
            '</li></ul><div itemscope><meta itemprop="datePublished" content="2022-01-08"></div>')
    assert _raws(collect_date_candidates(_page(body=body), URL), "meta") == [
        ("published", "2022-01-08")]
