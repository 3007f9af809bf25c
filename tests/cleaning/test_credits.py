"""Credit lines become fields instead of vanishing."""

from __future__ import annotations

import pytest

from aggregator.cleaning import clean_text

BODY = "Harga tiket pesawat masih mahal, kata dia."


@pytest.mark.parametrize(
    ("tail", "field", "value"),
    [
        ("Penulis: Isna Rifka", "authors", ["Isna Rifka"]),
        ("Reporter: Mulia Budi", "authors", ["Mulia Budi"]),
        ("Pewarta: Ade Marboen", "authors", ["Ade Marboen"]),
        ("Editor: Bayu Galih", "editors", ["Bayu Galih"]),
        ("Penulis: A Budi | Editor: C Dewi", "editors", ["C Dewi"]),
        ("Sumber: Antara", "wire_source", "Antara"),
        ("Sumber: AP", "wire_source", "AP"),
        ("Sumber: Associated Press", "wire_source", "AP"),
        ("Sumber: The Telegraph", "wire_source", "The Telegraph"),
    ],
)
def test_credit_paragraphs(tail: str, field: str, value: object) -> None:
    result = clean_text(f"{BODY}\n\n{tail}")
    assert result.text == BODY
    assert getattr(result, field) == value
    assert result.hits["credit-line"] == 1


@pytest.mark.parametrize(
    ("ending", "code", "wire"),
    [
        (" (wk/tiar)", "wk/tiar", None),
        (" (ant)", "ant", "Antara"),
        (" (mea/mea)", "mea/mea", None),
        (" [ian]", "ian", None),
        (" (H-4)", "H-4", None),
        (" (Cas/Isk)", "Cas/Isk", None),
        # Wire codes of three letters or more name the wire wherever they stand in the code.
        (" (ant/dn)", "ant/dn", "Antara"),
        (" (AFP/wk)", "AFP/wk", "AFP"),
        (" (wk/rtr)", "wk/rtr", "Reuters"),
        # Two letters are staff initials in a desk code; the wire is "(AP)" in capitals, alone.
        (" (ap/wk)", "ap/wk", None),
        (" (AP/wk)", "AP/wk", None),
        (" (wk/ap)", "wk/ap", None),
        (" (ap)", "ap", None),
        (" (AP)", "AP", "AP"),
        (" (AFP)", "AFP", "AFP"),
        # English desks close with the wire's name.
        (" (Reuters)", "Reuters", "Reuters"),
        (" (Xinhua)", "Xinhua", "Xinhua"),
        (" (Antara)", "Antara", "Antara"),
    ],
)
def test_trailing_desk_codes(ending: str, code: str, wire: str | None) -> None:
    result = clean_text(BODY + ending)
    assert result.text == BODY
    assert result.credit_codes == [code]
    assert result.wire_source == wire


@pytest.mark.parametrize(
    "ending",
    [
        "di Jakarta Selatan (Jaksel).",
        "oleh Amerika Serikat (AS)",
        "oleh Bank Indonesia (BI)",
        "pada Sabtu (10/12/2022).",
    ],
)
def test_parentheses_that_are_text_stay(ending: str) -> None:
    result = clean_text(f"Dia berkata {ending}")
    assert result.text == f"Dia berkata {ending}"
    assert result.credit_codes == []


def test_long_paragraph_starting_like_a_label_is_text() -> None:
    text = "Editor: " + "kata yang panjang " * 20
    assert clean_text(text).text == text.strip()


def test_closing_desk_code_ends_the_story() -> None:
    text = f"{BODY}\n\nKata dia lagi. (mdk/yan)\n\nGibran Larang Warga Solo Bepergian\n\nFOLLOW"
    result = clean_text(text)
    assert result.text == f"{BODY}\n\nKata dia lagi."
    assert result.credit_codes == ["mdk/yan"]
    assert result.hits["code-ends-article"] == 2


def test_early_code_does_not_cut() -> None:
    text = f"Pembuka berita. (ant/dwi)\n\n{BODY}\n\n{BODY} Dua.\n\n{BODY} Tiga."
    assert clean_text(text).text == text


@pytest.mark.parametrize(
    ("tail", "field", "value"),
    [
        ("DINI TEJA", "authors", ["Dini Teja"]),
        ("ANTARA", "wire_source", "Antara"),
        ("Reuters", "wire_source", "Reuters"),
        ("AP", "wire_source", "AP"),
        ("- AP", "wire_source", "AP"),
        ("— ANTARA", "wire_source", "Antara"),
        ("Associated Press", "wire_source", "AP"),
    ],
)
def test_closing_signature(tail: str, field: str, value: object) -> None:
    result = clean_text(f"{BODY}\n\n{tail}")
    assert result.text == BODY
    assert getattr(result, field) == value


@pytest.mark.parametrize(
    ("ending", "text", "wire"),
    [
        (" (Associated Press)", BODY, "AP"),
        # Not a shape the reporter pattern takes (the hyphen): the text stays as it was.
        (" (Agence France-Presse)", BODY + " (Agence France-Presse)", None),
    ],
)
def test_parenthesised_wire_name_is_not_a_reporter(ending: str, text: str,
                                                   wire: str | None) -> None:  # fmt: skip
    result = clean_text(BODY + ending)
    assert (result.text, result.wire_source, result.authors) == (text, wire, [])


@pytest.mark.parametrize("ending", [" (Ant)", " (Reuters Indonesia)"])
def test_other_capitalised_endings_are_not_wire_codes(ending: str) -> None:
    result = clean_text(BODY + ending)
    assert result.wire_source is None
    assert result.credit_codes == []


def test_parenthesised_reporter_after_last_sentence() -> None:
    result = clean_text(f"{BODY} (Luh Wayanti)")
    assert result.text == BODY
    assert result.authors == ["Luh Wayanti"]


# Issue 18: credit lines seen on unfamiliar layouts.
@pytest.mark.parametrize(
    ("line", "authors", "editors"),
    [
        # a <br> between two credit lines lost: the label is glued to the name before it
        ("Penulis: Muhammad Renald ShiftantoEditor: Sri Juliati",
         ["Muhammad Renald Shiftanto"], ["Sri Juliati"]),
        ("Reporter: Dimas AdityaRedaktur: Eko Widodo", ["Dimas Aditya"], ["Eko Widodo"]),
        ("Penulis: A Budi\nEditor: C Dewi", ["A Budi"], ["C Dewi"]),
        # one value for two roles
        ("Redaktur & Reporter : Boy", ["Boy"], ["Boy"]),
        ("Reporter & Redaktur: Yosua Kambu", ["Yosua Kambu"], ["Yosua Kambu"]),
        ("Penulis/Editor: Rina Kurniasih", ["Rina Kurniasih"], ["Rina Kurniasih"]),
        ("Redaktur: Novia Rahman", [], ["Novia Rahman"]),
        ("Penyunting: Arif Budiman", [], ["Arif Budiman"]),
        # Tribun's reporter line over the story
        ("Laporan Wartawan Tribunnews.com, Muhammad Renald Shiftanto",
         ["Muhammad Renald Shiftanto"], []),
        ("Laporan Reporter Tribun Jogja, Ahmad Syarifudin", ["Ahmad Syarifudin"], []),
        ("Laporan Kontributor Papua Kini, Yosua Kambu", ["Yosua Kambu"], []),
        # bylines without a colon, and a date line run into the byline
        ("Oleh Fajar Nugroho", ["Fajar Nugroho"], []),
        ("Oleh: Gilang Saputra, Yosua Kambu", ["Gilang Saputra", "Yosua Kambu"], []),
        ("Penulis: Larasati Wulandari Diterbitkan Kamis, 12 November 2020 - 17.57 WIB",
         ["Larasati Wulandari"], []),
    ],
)
def test_credit_lines_of_unseen_layouts(line: str, authors: list[str],
                                        editors: list[str]) -> None:
    for where in (f"{line}\n\n{BODY}", f"{BODY}\n\n{line}"):  # over or under the story
        result = clean_text(where)
        assert result.text == BODY, where
        assert result.authors == authors
        assert result.editors == editors


@pytest.mark.parametrize("sentence", [
    "Oleh karena itu, warga diminta tetap tenang.",
    "Laporan wartawan itu dimuat di halaman depan, katanya.",
    "Editor buku itu, Sri Juliati, hadir dalam peluncuran.",
])
def test_sentences_that_look_like_credits_stay(sentence: str) -> None:
    result = clean_text(f"{BODY}\n\n{sentence}")
    assert result.text == f"{BODY}\n\n{sentence}"
    assert not result.authors
    assert not result.editors
