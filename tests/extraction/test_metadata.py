"""Page metadata fills what the site parser leaves empty: JSON-LD, OpenGraph, meta tags."""

from __future__ import annotations

import lxml.html
import pytest

from aggregator.extraction import extract_page
from aggregator.extraction.language import guess_language
from aggregator.extraction.metadata import read_meta
from aggregator.extraction.title import host_brand, strip_site_name
from aggregator.types import PageFields
from tests.extraction.golden import article_names, load

BODY = "<p>" + "Harga tiket pesawat masih mahal karena avtur naik, kata Menhub. " * 6 + "</p>"
PAGE = f"""<html lang="id-ID"><head>
<title>Judul Berita - Kompas.com</title>
<link rel="canonical" href="https://money.kompas.com/read/2023/11/02/1/judul-berita">
<meta property="og:title" content="Judul Berita - Kompas.com">
<meta property="og:image" content="https://img.kompas.com/a.jpg">
<meta property="og:description" content="Ringkasan &amp; inti berita.">
<meta name="keywords" content="pesawat, tiket, avtur">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@graph": [{{"@type": "NewsArticle",
  "headline": "Judul Berita", "articleSection": "Ekonomi",
  "author": [{{"@type": "Person", "name": "Isna Rifka"}}],
  "datePublished": "2023-11-02T21:34:19+07:00"}}]}}
</script></head><body><h1>Judul Berita</h1>{BODY}</body></html>"""
URL = "https://money.kompas.com/read/2023/11/02/1/judul-berita?utm_source=x"


def test_fields_from_metadata() -> None:
    page = extract_page(PAGE.encode(), URL)
    assert page.title == "Judul Berita"
    assert page.section == "Ekonomi"
    assert page.authors == ["Isna Rifka"]
    assert page.tags == ["pesawat", "tiket", "avtur"]
    assert page.language == "id"
    assert page.image_url == "https://img.kompas.com/a.jpg"
    assert page.description == "Ringkasan & inti berita."
    assert page.canonical_url == "https://money.kompas.com/read/2023/11/02/1/judul-berita"
    assert page.extractor == "generic"


class _Site:
    """A stand-in site spec whose parser knows only the title and the body."""

    name = "kompas"

    def parse(self, tree: lxml.html.HtmlElement, url: str) -> PageFields:
        return PageFields(title="Judul dari Parser", body=f"{BODY[3:-4]}\n\nBaca juga: Lain",
                          extractor="site:kompas:1")


class _BrokenSite(_Site):
    def parse(self, tree: lxml.html.HtmlElement, url: str) -> PageFields:
        raise RuntimeError("selector broke")


def test_site_parser_first_then_metadata_fills_the_rest() -> None:
    page = extract_page(PAGE.encode(), URL, site=_Site())
    assert page.title == "Judul dari Parser"
    assert page.extractor == "site:kompas:1"
    assert page.section == "Ekonomi"  # left empty by the parser
    assert "Baca juga" not in (page.body or "")  # parser bodies are cleaned by the same rules
    assert page.rule_hits["baca-juga"] == 1


def test_broken_site_parser_falls_back_to_generic() -> None:
    page = extract_page(PAGE.encode(), URL, site=_BrokenSite())
    assert page.title == "Judul Berita"
    assert "avtur naik" in (page.body or "")


@pytest.mark.parametrize(("title", "url", "expected"), [
    ("Judul Berita - Kompas.com", "https://money.kompas.com/x", "Judul Berita"),
    ("Ahok Dukung Jokowi :: Okezone News", "https://news.okezone.com/x", "Ahok Dukung Jokowi"),
    ("KapanLagi.com: Brandon Salim Makin Dekat", "https://www.kapanlagi.com/x",
     "Brandon Salim Makin Dekat"),
    ("Polisi soal Pistol: Cuma Diperlihatkan", "https://news.detik.com/x",
     "Polisi soal Pistol: Cuma Diperlihatkan"),
    ("KPK Periksa Pejabat | Republika Online", "https://www.republika.co.id/x",
     "KPK Periksa Pejabat"),
])
def test_site_names_leave_titles(title: str, url: str, expected: str) -> None:
    brand = host_brand(url)
    assert strip_site_name(title, {brand} if brand else set()) == expected


def test_broken_jsonld_is_ignored() -> None:
    tree = lxml.html.document_fromstring(
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": </script><meta property="og:title" content="Judul"></head>'
        "<body><p>x</p></body></html>")
    meta = read_meta(tree)
    assert meta.title == "Judul"
    assert not meta.is_article_type


@pytest.mark.parametrize("name", article_names())
def test_date_candidates_come_from_the_dates_module(name: str) -> None:
    html, truth = load(name)
    page = extract_page(html, truth["url"])
    assert page.date_candidates
    assert all(c.raw for c in page.date_candidates)


@pytest.mark.parametrize(("text", "expected"), [
    ("Polisi masih mendalami kasus yang terjadi di Jakarta dan mengatakan bahwa pelaku itu "
     "sudah ditangkap oleh petugas untuk diperiksa.", "id"),
    ("The police said that the suspect was arrested on Monday and is held in the city "
     "jail, which is close to the station.", "en"),
    ("Rp 13.396 USD 13.262", None),
])
def test_language_guess(text: str, expected: str | None) -> None:
    assert guess_language(text) == expected


def test_language_from_the_text_when_the_page_declares_none() -> None:
    html = f"<html><body><h1>Judul berita hari ini</h1>{BODY}</body></html>"
    assert extract_page(html.encode(), "https://example.id/a").language == "id"
