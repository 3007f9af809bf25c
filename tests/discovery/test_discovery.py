"""Discovery parsing: feeds, sitemaps, Google News fields, bad input and hostile XML."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from aggregator.discovery import (
    NotXMLError,
    TooLargeError,
    UnknownFormatError,
    UnsafeXMLError,
    parse_document,
    parse_feed,
    parse_sitemap,
)
from aggregator.discovery.xmlsafe import maybe_gunzip
from aggregator.mirror import MirrorServer

BASE = "https://www.contoh.id/feed"
FIXTURE_FEEDS = Path(__file__).parents[1] / "fixtures" / "id-news" / "feeds"

RSS = b"""<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>x</title>
<item><title>Satu</title><link>https://www.contoh.id/a/1</link>
  <pubDate>Thu, 14 Mar 2024 07:30:00 +0700</pubDate><category>Nasional</category>
  <dc:creator>Rina</dc:creator></item>
<item><title>Dua</title><guid>https://www.contoh.id/a/2</guid></item>
<item><title>Tanpa link</title><guid isPermaLink="false">abc-123</guid></item>
<item><title>Relatif</title><link> /a/3#komentar </link></item>
<item><title>Skema lain</title><link>javascript:alert(1)</link></item>
<item><title>Ulang</title><link>https://www.contoh.id/a/1</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>x</title>
<entry><title>Satu</title><link rel="self" href="https://www.contoh.id/self"/>
  <link rel="alternate" href="https://www.contoh.id/b/1"/><published>2024-03-14T07:30:00+07:00</published>
  <updated>2024-03-14T08:00:00+07:00</updated><author><name>Budi</name></author>
  <category term="Olahraga"/></entry>
<entry><title>Dua</title><link href="https://www.contoh.id/b/2"/></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>x</title></channel>
<item><title>Satu</title><link>https://www.contoh.id/c/1</link><dc:date>2024-03-14</dc:date></item>
</rdf:RDF>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
 xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">
<url><loc>https://www.contoh.id/d/1</loc><lastmod>2024-03-14</lastmod>
  <image:image><image:loc>https://img.contoh.id/1.jpg</image:loc></image:image>
  <video:video><video:content_loc>https://img.contoh.id/1.mp4</video:content_loc></video:video></url>
<url><loc>ftp://www.contoh.id/d/2</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://www.contoh.id/s1.xml</loc><lastmod>2024-03-14</lastmod></sitemap>
<sitemap><loc>https://www.contoh.id/s2.xml.gz</loc></sitemap>
</sitemapindex>"""

NEWS = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://www.contoh.id/e/1</loc><news:news>
  <news:publication><news:name>Contoh</news:name><news:language>id</news:language></news:publication>
  <news:publication_date>2024-03-15T08:00:00+07:00</news:publication_date>
  <news:title>Mudik &amp; Balik</news:title><news:keywords>mudik, lebaran , ,tol</news:keywords>
</news:news></url>
</urlset>"""


@pytest.mark.parametrize(
    ("body", "kind", "urls"),
    [
        (RSS, "rss", ["https://www.contoh.id/a/1", "https://www.contoh.id/a/2",
                      "https://www.contoh.id/a/3"]),
        (ATOM, "atom", ["https://www.contoh.id/b/1", "https://www.contoh.id/b/2"]),
        (RDF, "rdf", ["https://www.contoh.id/c/1"]),
        (URLSET, "urlset", ["https://www.contoh.id/d/1"]),
        (NEWS, "urlset", ["https://www.contoh.id/e/1"]),
        (gzip.compress(URLSET), "urlset", ["https://www.contoh.id/d/1"]),
        (b"\xef\xbb\xbf  \n" + RSS, "rss", None),  # BOM and leading whitespace
    ],
)
def test_kinds_and_urls(body: bytes, kind: str, urls: list[str] | None) -> None:
    result = parse_document(body, BASE)
    assert result.kind == kind
    if urls is not None:
        assert [link.url for link in result.links] == urls


def test_rss_fields_and_skips() -> None:
    result = parse_document(RSS, BASE)
    first = result.links[0]
    assert (first.title, first.published) == ("Satu", "Thu, 14 Mar 2024 07:30:00 +0700")
    assert first.keywords == ["Nasional"]
    assert first.authors == ["Rina"]
    assert first.source_url == BASE
    assert result.skipped == 2  # the non-permalink guid and the javascript: link


def test_atom_fields() -> None:
    first = parse_feed(ATOM, BASE)[0]
    assert first.url == "https://www.contoh.id/b/1"  # the alternate link, not rel=self
    assert (first.published, first.lastmod) == ("2024-03-14T07:30:00+07:00",
                                                "2024-03-14T08:00:00+07:00")
    assert (first.authors, first.keywords) == (["Budi"], ["Olahraga"])


def test_google_news_fields() -> None:
    link = parse_sitemap(NEWS, BASE).links[0]
    assert link.published == "2024-03-15T08:00:00+07:00"
    assert link.title == "Mudik & Balik"
    assert link.keywords == ["mudik", "lebaran", "tol"]
    assert link.language == "id"
    meta = link.as_meta()
    assert meta["published"] == link.published
    assert meta["keywords"] == link.keywords


def test_image_and_video_locs_are_not_articles() -> None:
    result = parse_sitemap(URLSET, BASE)
    assert [link.url for link in result.links] == ["https://www.contoh.id/d/1"]
    assert result.links[0].lastmod == "2024-03-14"
    assert result.skipped == 1  # the ftp:// loc


def test_sitemap_index() -> None:
    result = parse_sitemap(INDEX, BASE)
    assert result.kind == "sitemapindex"
    assert result.links == []
    assert [s.url for s in result.sitemaps] == ["https://www.contoh.id/s1.xml",
                                                 "https://www.contoh.id/s2.xml.gz"]


def test_cap_on_links_marks_truncated() -> None:
    items = "".join(f"<url><loc>https://www.contoh.id/{i}</loc></url>" for i in range(30))
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'
    result = parse_sitemap(body.encode(), BASE, max_links=10)
    assert len(result.links) == 10
    assert result.truncated


@pytest.mark.parametrize(
    ("call", "body", "error"),
    [
        (parse_document, b"<!DOCTYPE html><html><body>Halaman</body></html>", NotXMLError),
        (parse_document, b"<html><head></head><body>x</body></html>", NotXMLError),
        (parse_document, b"", NotXMLError),
        (parse_document, b"   \n ", NotXMLError),
        (parse_document, b"\x00\x01\x02 garbage \xff\xfe", NotXMLError),
        (parse_document, b"just some text", NotXMLError),
        (parse_document, b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>',
         NotXMLError),
        (parse_document, b"\x1f\x8b\x08\x00broken gzip", NotXMLError),
        (parse_document, b"<?xml version='1.0'?><kml><Document/></kml>", UnknownFormatError),
        (parse_feed, URLSET, UnknownFormatError),
        (parse_sitemap, RSS, UnknownFormatError),
    ],
)
def test_bad_input_raises_typed_error(call: object, body: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        call(body, BASE)  # type: ignore[operator]
    assert info.value.reason in {"not_xml", "unknown_format"}  # type: ignore[attr-defined]


def test_recovers_from_stray_html_entities() -> None:
    body = RSS.replace(b"<title>Dua</title>", b"<title>Dua&nbsp;Tiga</title>")
    assert len(parse_feed(body, BASE)) == 3


def test_xxe_file_entity_is_not_resolved() -> None:
    body = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>a&xxe;b</title><link>https://www.contoh.id/x</link></item>
</channel></rss>"""
    links = parse_feed(body, BASE)
    assert [link.url for link in links] == ["https://www.contoh.id/x"]
    assert "root:" not in (links[0].title or "")


def test_billion_laughs_is_refused() -> None:
    lol = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    body = f"""<?xml version="1.0"?><!DOCTYPE rss [{lol}]>
<rss><channel><item><title>&lol9;</title><link>https://www.contoh.id/x</link></item>
</channel></rss>""".encode()
    assert len(body) < 1000
    with pytest.raises(UnsafeXMLError) as info:
        parse_feed(body, BASE)
    assert info.value.reason == "unsafe_xml"


def test_quadratic_blowup_is_refused() -> None:
    entity = "A" * 100_000
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{entity}">]><rss><channel>'
            f"<item><title>{'&a;' * 10_000}</title><link>https://www.contoh.id/x</link></item>"
            "</channel></rss>").encode()
    with pytest.raises(UnsafeXMLError):
        parse_document(body, BASE)


def test_external_dtd_is_never_fetched(mirror: MirrorServer) -> None:
    mirror.reset_hits()
    dtd = mirror.url("/evil.dtd")
    body = f"""<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd}">
<rss><channel><item><link>https://www.contoh.id/x</link></item></channel></rss>""".encode()
    assert [link.url for link in parse_feed(body, BASE)] == ["https://www.contoh.id/x"]
    assert mirror.hits("/evil.dtd") == 0


def test_gzip_bomb_is_refused_without_full_expansion() -> None:
    bomb = gzip.compress(b"<" * (60 * 1024 * 1024))  # ~60 KiB on the wire, 60 MiB inflated
    assert len(bomb) < 200_000
    with pytest.raises(TooLargeError):
        parse_document(bomb, BASE)
    with pytest.raises(TooLargeError):
        maybe_gunzip(bomb, limit=1_000_000)


def test_gunzip_within_limit_and_plain_passthrough() -> None:
    assert maybe_gunzip(gzip.compress(b"abc"), limit=3) == b"abc"
    assert maybe_gunzip(b"abc") == b"abc"
    with pytest.raises(TooLargeError):
        maybe_gunzip(b"abcd", limit=3)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURE_FEEDS.glob("*.xml")))
def test_real_indonesian_feeds(name: str) -> None:
    body = (FIXTURE_FEEDS / name).read_bytes()
    links = parse_feed(body, "https://example.id/rss")
    assert len(links) == len(re.findall(rb"<item[\s>]", body))  # every item has a link
    assert all(link.url.startswith(("http://", "https://")) for link in links)
    assert sum(1 for link in links if link.title and link.published) >= len(links) // 2
