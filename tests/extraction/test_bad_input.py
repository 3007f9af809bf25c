"""Bad input never crashes: a counted reject reason or what can be recovered."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.extraction import extract_page

ARTICLE = "<p>" + "Harga tiket pesawat masih mahal karena avtur naik, kata Menhub. " * 8 + "</p>"


@pytest.mark.parametrize(("html", "reason"), [
    (b"", "empty"),
    (b"   \n\t ", "empty"),
    (b"<html/>", "empty"),
    (b"<!-- <html><body><p>x</p></body></html> -->", "empty"),
    (b"<html><head><title>Just a moment...</title></head><body>Checking your browser"
     b"</body></html>", "bot_challenge"),
    (b"<html><head><title>404 Halaman Tidak Ditemukan</title></head><body><h1>Maaf</h1>"
     b"</body></html>", "error_page"),
    (b"<html><body><ul>" + b"".join(b"<li><a href='/a%d'>Berita nomor %d</a></li>" % (i, i)
                                     for i in range(40)) + b"</ul></body></html>",
     "not_article"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (b"%PDF-1.4 binary", "binary"),
    (b"<html><body><table>" + b"<tr><td>1</td></tr>" * 60_000 + b"</table></body></html>",
     "too_large"),
])
def test_non_articles_get_a_reason(html: bytes, reason: str) -> None:
    page = extract_page(html, "https://example.id/a")
    assert not page.is_article
    assert page.reject_reason == reason


@pytest.mark.parametrize("html", [
    f"<html><body><div><div><p>{ARTICLE[3:-4]}".encode(),  # unclosed tags
    ("<div>" * 5000 + ARTICLE + "</div>" * 5000).encode(),  # deep nesting
    f"<?xml version='1.0' encoding='utf-8'?><html><body>{ARTICLE}</body></html>".encode(),
    f"<html><body>{ARTICLE}\x00\x01</body></html>".encode(),
    f"<html><body>{ARTICLE}</body><body><p>dua</p></body></html>".encode(),
])
def test_broken_markup_still_gives_the_text(html: bytes) -> None:
    page = extract_page(html, "https://example.id/a")
    assert page.body is not None
    assert "avtur naik" in page.body
    assert "\ufffd" not in page.body


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=600).map(str.encode))
def test_random_input_never_raises(data: bytes) -> None:
    page = extract_page(data, "https://example.id/a")
    assert page.is_article or page.reject_reason
    assert "\ufffd" not in (page.body or "")


def test_double_encoded_page_is_repaired_everywhere() -> None:
    title = "Zoë “Kata” — naik"
    quote = "kata Menhub: “Harga avtur™ naik ½ persen,” ujarnya."
    html = (f"<html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta name='author' content='Zoë Ayu'></head><body><h1>{title}</h1>"
            f"{ARTICLE.replace('kata Menhub.', quote, 1)}</body></html>")
    # UTF-8 bytes read as windows-1252 (undefined bytes kept as C1 controls), saved as UTF-8
    misread = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b)
                      for b in html.encode("utf-8"))
    double = misread.encode("utf-8")
    page = extract_page(double, "https://example.id/berita/zoe-kata-naik-hari-ini")
    assert page.title == title
    assert page.authors == ["Zoë Ayu"]
    assert quote in (page.body or "")  # ” ends in byte 0x9D, which body extraction drops


@pytest.mark.parametrize("reference", ["&#27;", "&#x1b;", "&#7;", "&#x9b;", "&#127;", "&#1;"])
def test_character_references_to_controls_are_dropped(reference: str) -> None:
    title = f"Judul {reference}[31mMerah hari ini"
    html = (f"<html><head><title>{title}</title><meta name='author' content='Ayu{reference}'>"
            f"</head><body><h1>{title}</h1>"
            f"{ARTICLE.replace('Menhub.', f'Menhub {reference}[2J kemarin.', 1)}</body></html>")
    page = extract_page(html.encode(), "https://example.id/berita/judul-merah-hari-ini")
    # HTML maps &#x9b; to "›" (windows-1252), not to a control: only controls must go
    shown = [page.title or "", *page.authors, page.body or ""]
    assert [t.replace("›", "") for t in shown[:2]] == ["Judul [31mMerah hari ini", "Ayu"]
    assert "kata Menhub [2J kemarin." in shown[2].replace("›", "")
    assert not [c for c in "".join(shown) if unicodedata.category(c) == "Cc" and c != "\n"]


def test_str_input_and_wrong_declared_encoding() -> None:
    html = f"<html><body><h1>Judul berita hari ini</h1>{ARTICLE}<p>“Kutipan.”</p></body></html>"
    from_str = extract_page(html, "https://example.id/a")
    from_cp1252 = extract_page(html.encode("cp1252"), "https://example.id/a", encoding="utf-8")
    assert from_str.body == from_cp1252.body
    assert "“Kutipan.”" in (from_str.body or "")


@pytest.mark.parametrize("title", ["404 Not Found", "Error 404 - Kompas.com", "404 | Detik",
                                   "Halaman Tidak Ditemukan", "Page not found"])
def test_error_titles(title: str) -> None:
    html = f"<html><head><title>{title}</title></head><body><h1>Maaf</h1></body></html>"
    assert extract_page(html.encode(), "https://example.id/a").reject_reason == "error_page"


def test_a_number_in_a_headline_is_no_error_page() -> None:
    html = (f"<html><head><title>404 Tersangka Ditangkap Polisi</title></head><body>"
            f"<h1>404 Tersangka Ditangkap Polisi</h1>{ARTICLE}</body></html>")
    page = extract_page(html.encode(), "https://example.id/berita/404-tersangka-ditangkap")
    assert page.is_article
