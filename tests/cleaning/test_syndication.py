"""Syndication notes ("Artikel ini telah tayang di ..."): removed, outlet recorded."""

from __future__ import annotations

import pytest

from aggregator.cleaning import clean_text
from aggregator.cleaning.syndication import is_own_site, split_syndication

LEAD = "JAKARTA, KOMPAS.com - Harga cabai rawit di Pasar Induk naik dua kali lipat."
LAST = "Pedagang berharap pasokan kembali normal pekan depan."

# (note as republished, outlet expected in wire_source or None when unclear)
NOTES = [
    ('Artikel ini telah tayang di Kompas.com dengan judul "Harga Cabai Rawit Naik Dua Kali '
     'Lipat", Klik untuk baca: https://money.kompas.com/read/2024/01/05/101500626/harga-cabai',
     "Kompas.com"),
    ("Artikel ini telah tayang di Tribunnews.com dengan judul Harga Cabai Rawit Naik, "
     "https://www.tribunnews.com/bisnis/2024/01/05/harga-cabai-rawit-naik", "Tribunnews.com"),
    ("Artikel ini telah tayang di TribunJakarta.com dengan judul Banjir Rendam Kemang",
     "TribunJakarta.com"),
    ("Artikel ini sudah tayang di Tribun-Timur.com dengan judul Harga Cabai di Makassar",
     "Tribun-Timur.com"),
    ("Artikel ini telah tayang di SerambiNews.com dengan judul Harga Cabai Melonjak. "
     "Penulis: Subur Dani", "SerambiNews.com"),
    ('Artikel ini telah diterbitkan di halaman SINDOnews.com dengan judul : "Harga Cabai"',
     "SINDOnews.com"),
    ("Artikel ini sebelumnya telah tayang di Tribun Jateng dengan judul Cabai Mahal",
     "Tribun Jateng"),
    ("Berita ini telah tayang di Kompas.tv dengan judul Cabai Mahal", "Kompas.tv"),
    ("Artikel ini telah naik di detikBali dan bisa dibaca di sini.", "detikBali"),
    ("Artikel ini telah tayang di Kompas.com.", "Kompas.com"),
    ("ARTIKEL INI TELAH TAYANG DI BANGKAPOS.COM DENGAN JUDUL CABAI", "BANGKAPOS.COM"),
    ("Artikel ini telah naik di sini.", None),  # no name: dropped, nothing recorded
    ("Artikel ini telah tayang di situs kami dengan judul Cabai Mahal", None),
    ("Artikel ini telah tayang di kompas.com dengan judul Cabai Mahal", "kompas.com"),
    ("Artikel ini telah tayang di media partner kami yang lain lagi dengan judul X", None),
]


@pytest.mark.parametrize(("note", "outlet"), NOTES)
def test_note_is_removed_and_outlet_recorded(note: str, outlet: str | None) -> None:
    result = clean_text(f"{LEAD}\n\n{LAST}\n\n{note}")
    assert result.text == f"{LEAD}\n\n{LAST}"
    assert result.hits["syndication-note"] == 1
    assert result.wire_source == outlet


def test_note_glued_to_the_last_paragraph_is_cut_off_it() -> None:
    note = NOTES[1][0]
    result = clean_text(f"{LEAD}\n\n{LAST} {note}")
    assert result.text == f"{LEAD}\n\n{LAST}"
    assert result.wire_source == "Tribunnews.com"


@pytest.mark.parametrize("trailer", [
    "https://www.tribunnews.com/bisnis/2024/01/05/harga-cabai-rawit-naik",
    "Klik untuk baca: https://money.kompas.com/read/2024/01/05/101500626/harga-cabai",
])
def test_url_line_after_a_note_goes_with_it(trailer: str) -> None:
    note = "Artikel ini telah tayang di Kompas.com dengan judul Harga Cabai Rawit Naik"
    result = clean_text(f"{LEAD}\n\n{note}\n\n{trailer}\n\n{LAST}")
    assert result.text == f"{LEAD}\n\n{LAST}"


def test_url_line_without_a_note_is_kept() -> None:
    url = "https://www.tribunnews.com/bisnis/2024/01/05/harga-cabai-rawit-naik"
    assert split_syndication([LEAD, url], None) == ([LEAD, url], 0, None)


@pytest.mark.parametrize("sentence", [
    "Film ini, sudah tayang sejak 4 Februari lalu.",  # liputan6-2's closing sentence
    "Sinetron itu telah tayang di RCTI sejak 2019 dan masih ditonton jutaan orang.",
    "Iklan kampanye itu sudah tayang di televisi nasional, kata juru bicara partai.",
    "Menurut dia, artikel ini telah dibaca ribuan orang sejak pagi.",
    "Video tersebut telah tayang di YouTube dengan judul yang berbeda.",
])
def test_prose_about_airing_is_kept(sentence: str) -> None:
    result = clean_text(f"{LEAD}\n\n{sentence}")
    assert result.text == f"{LEAD}\n\n{sentence}"
    assert not result.hits
    assert result.wire_source is None


def test_wire_agency_from_a_credit_wins_over_the_outlet() -> None:
    result = clean_text(f"{LEAD}\n\n{LAST} (ant)\n\n{NOTES[0][0]}")
    assert result.wire_source == "Antara"


# (outlet named by the note, the page's site: registry name or host, same outlet?)
OWN_SITE = [
    ("Kompas.com", "kompas", True),
    ("KOMPAS.COM", "kompas", True),
    ("Tribunnews.com", "tribunnews", True),
    ("Tribunnews.com", "www.tribunnews.com", True),
    ("TribunJakarta.com", "tribunnews", False),
    ("Kompas.com", "tribunnews", False),
    ("Kompas.com", None, False),
    ("detikBali", "kabar.example.id", False),
]


@pytest.mark.parametrize(("outlet", "site", "own"), OWN_SITE)
def test_own_site_is_recognised(outlet: str, site: str | None, own: bool) -> None:
    assert is_own_site(outlet, site) is own


def test_note_naming_the_page_own_site_records_nothing() -> None:
    result = clean_text(f"{LEAD}\n\n{NOTES[0][0]}", site="kompas")
    assert result.text == LEAD
    assert result.wire_source is None


def test_removal_is_idempotent() -> None:
    once = clean_text(f"{LEAD}\n\n{LAST} {NOTES[1][0]}\n\nhttps://t.co/x")
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert not twice.hits
