"""Issue 18's failure kinds, each on several hand-written layouts (not one template).

The variation suite (test_variation.py) covers them on generated layouts; these pages
are written by hand so that each fix is shown on markup shaped differently from the
generator's.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aggregator.dates import resolve_article_dates
from aggregator.extraction import extract_page
from tests.extraction.variation.score import crawl
from tests.extraction.variation.templates import Rendered, Truth

URL = "https://www.kabartimur.example/dunia/2022/01/11/harga-pangan-naik-jelang-musim-hujan"
TITLE = "Harga Pangan Naik Jelang Musim Hujan di Jayapura"
P1 = ("Harga sejumlah bahan pangan di Jayapura naik menjelang musim hujan, menurut pantauan "
      "dinas perdagangan setempat pada Selasa pagi.")
P2 = ("Kepala dinas mengatakan pasokan dari luar daerah tertahan cuaca buruk sejak pekan "
      "lalu, sehingga pedagang menaikkan harga.")
P3 = "Pemerintah kota berjanji menggelar operasi pasar dalam waktu dekat."


def _page(body: str, *, head: str = "", top: str = "", after: str = "") -> str:
    return (f"<html><head><title>{TITLE} - Kabar Timur</title>{head}</head><body>"
            f"<nav><a href='/'>Beranda</a> <a href='/dunia'>Dunia</a></nav><main>"
            f"<h1>{TITLE}</h1>{top}{body}{after}</main>"
            "<footer><p>© 2022 Kabar Timur</p></footer></body></html>")


def _body(url: str, html: str) -> str:
    page = extract_page(html, url)
    assert page.is_article, page.reject_reason
    return page.body or ""


@pytest.mark.parametrize("body", [
    # the rubric and the date line as two paragraphs inside the story container
    f"<div class='isi'><p>Dunia</p><p>Selasa, 11 Januari 2022 | 08:15 WITA</p>"
    f"<p>{P1}</p><p>{P2}</p><p>{P3}</p></div>",
    # both in one line, as the held-out WIT outlet printed them
    f"<article><div class='meta'>Dunia Selasa, 11 Januari 2022 | 08:15 WITA</div>"
    f"<p>{P1}</p><p>{P2}</p><p>{P3}</p></article>",
    # glued in front of the first sentence's paragraph
    f"<section><p><span>Dunia</span> <span>11/01/2022, 08.15 WITA</span> {P1}</p>"
    f"<p>{P2}</p><p>{P3}</p></section>",
    # a rubric link, a date span, then a bare capitalised dateline
    f"<div id='konten'><a href='/dunia'>Dunia</a><span>Selasa 11 Jan 2022, 08:15 WITA</span>"
    f"<p>JAYAPURA - {P1}</p><p>{P2}</p><p>{P3}</p></div>",
])
def test_section_label_and_date_line_leave_the_body_start(body: str) -> None:
    text = _body(URL, _page(body))
    assert text.startswith((P1, "JAYAPURA - " + P1)), text[:120]
    assert text.endswith(P3)


@pytest.mark.parametrize(("body", "dateline"), [
    (f"<div><p>Selasa, 11 Januari 2022</p><p>Kabar Timur - {P1}</p><p>{P2}</p><p>{P3}</p>"
     "</div>", "Kabar Timur - "),
    (f"<div><p><em>Foto: pasar di Jayapura (Foto: Dok. Humas)</em></p>"
     f"<p><strong>KABARTIMUR.COM</strong> - {P1}</p><p>{P2}</p><p>{P3}</p></div>",
     "KABARTIMUR.COM - "),
    (f"<div><p>Dunia</p><p>Jayapura (Kabar Timur) - {P1}</p><p>{P2}</p><p>{P3}</p></div>",
     "Jayapura (Kabar Timur) - "),
])
def test_outlet_dateline_in_a_later_paragraph_starts_the_story(body: str,
                                                               dateline: str) -> None:
    text = _body(URL, _page(body))
    assert text.startswith(dateline + P1), text[:120]


@pytest.mark.parametrize("lines", [
    "<p><strong>Laporan Wartawan Kabar Timur, Yosua Kambu</strong></p>",
    "<p>Laporan Reporter Kabar Timur, Yosua Kambu</p>",
    "<div class='reporter'><b>Laporan Kontributor Kabar Timur, Yosua Kambu</b></div>",
])
def test_tribun_style_reporter_line_is_the_author(lines: str) -> None:
    html = _page(f"<div class='story'>{lines}<p>JAYAPURA - {P1}</p><p>{P2}</p><p>{P3}</p></div>")
    page = extract_page(html, URL)
    assert (page.body or "").startswith("JAYAPURA - " + P1)
    assert page.authors == ["Yosua Kambu"]


@pytest.mark.parametrize("credits", [
    "<p>Penulis: Yosua Kambu<br>Editor: Sri Handayani</p>",
    "<p>Penulis: Yosua Kambu<br/>Editor: Sri Handayani</p>",
    "<div>Penulis: <a href='/p/yk'>Yosua Kambu</a> | Editor: Sri Handayani</div>",
    "<p>Reporter: Yosua Kambu</p><p>Redaktur: Sri Handayani</p>",
])
def test_author_and_editor_in_one_credit_block(credits: str) -> None:
    html = _page(f"<div class='story'><p>{P1}</p><p>{P2}</p><p>{P3}</p>{credits}</div>")
    page = extract_page(html, URL)
    assert (page.body or "").endswith(P3)
    assert page.authors == ["Yosua Kambu"]
    assert page.editors == ["Sri Handayani"]


@pytest.mark.parametrize("ending", [
    "<p><a href='https://news.google.com/x'>Simak berita dan artikel lainnya di Google News</a>"
    "</p><div class='pg'><span>Halaman</span> <a href='?page=2'>2</a></div>",
    "<p>Simak berita dan artikel lainnya di Google News</p><p>Halaman</p>",
    "<div>Ikuti berita terkini dari Kabar Timur di Google News</div><p>Halaman: 1 2 3</p>",
])
def test_follow_lines_and_a_lone_pager_label_leave_the_end(ending: str) -> None:
    text = _body(URL, _page(f"<div class='story'><p>{P1}</p><p>{P2}</p><p>{P3}</p>{ending}"
                            "</div>"))
    assert text.endswith(P3), text[-160:]


def _series(style: str, rel: bool) -> dict[str, str]:
    """A three-page article; the last page holds one short paragraph."""
    def link(n: int) -> str:
        return URL if n == 1 else (f"{URL}?{style}={n}" if style != "path" else f"{URL}/{n}")
    pages = {}
    texts = [[P1, P2], [P2.replace("pekan lalu", "dua pekan lalu")], [P3]]
    for n, paras in enumerate(texts, start=1):
        pager = " ".join(f"<a href='{link(k)}'>{k}</a>" for k in (1, 2, 3) if k != n)
        nxt = f"<a rel='next' href='{link(n + 1)}'>Selanjutnya</a>" if rel and n < 3 else ""
        head = f"<link rel='next' href='{link(n + 1)}'>" if rel and n < 3 else ""
        body = "".join(f"<p>{p}</p>" for p in paras)
        pages[link(n)] = _page(f"<div class='isi'>{body}</div>", head=head,
                               after=f"<div class='paging'>{pager} {nxt}</div>")
    return pages


@pytest.mark.parametrize(("style", "rel"), [("page", True), ("page", False), ("hal", True),
                                            ("path", True)])
def test_last_page_of_a_three_page_article_is_stitched(style: str, rel: bool) -> None:
    pages = _series(style, rel)
    now = datetime(2022, 1, 11, 6, tzinfo=UTC)
    truth = Truth(title=TITLE, first_sentence=P1, last_sentence=P3, dateline="", authors=[],
                  editors=[], published=now)
    item = crawl(Rendered(url=URL, pages=pages, truth=truth, now=now, layout={}))
    assert item.page_count == 3
    assert (item.body or "").endswith(P3)


def test_stated_utc_is_not_shifted() -> None:
    stamp = "2024-05-01T03:00:00+00:00"
    url = "https://www.contohberita.id/ekonomi/2024/05/01/harga-beras"
    head = (f'<meta property="article:published_time" content="{stamp}">'
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            f'"datePublished": "{stamp}"}}</script>')
    page = extract_page(_page(f"<div><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>", head=head), url)
    published, _ = resolve_article_dates(page.date_candidates,
                                         now=datetime(2024, 5, 1, 6, tzinfo=UTC),
                                         tz="Asia/Jakarta")
    assert published.value == datetime(2024, 5, 1, 3, tzinfo=UTC)
