"""Decoding matrix: declared charsets are verified, never trusted blindly."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.extraction.decode import decode_html, repair_mojibake

TEXT = "“Kata dia,” ujar Zoë — harga naik 5 persen…"
PAGE = f"<html><head><meta charset='iso-8859-1'></head><body><p>{TEXT}</p></body></html>"


@pytest.mark.parametrize(("data", "declared"), [
    (PAGE.encode("utf-8"), None),                      # meta says latin-1, bytes are UTF-8
    (PAGE.encode("utf-8"), "cp1252"),                  # header lies
    (PAGE.encode("cp1252"), None),                     # real cp1252 with 0x93/0x94 quotes
    (PAGE.encode("cp1252"), "utf-8"),                  # header says utf-8, body is cp1252
    (codecs.BOM_UTF8 + PAGE.encode("utf-8"), "cp1252"),  # BOM wins over the header
    (PAGE.encode("utf-8"), '"UTF-8"'),                 # odd quoting
])
def test_encoding_matrix(data: bytes, declared: str | None) -> None:
    text, _ = decode_html(data, declared)
    assert TEXT in text
    assert "\ufffd" not in text


def _misread(text: str, *, browser: bool = True) -> str:
    """UTF-8 bytes of `text` read as windows-1252 (a browser; undefined bytes stay C1
    controls) or as latin-1 (every high byte a character of its own)."""
    data = text.encode("utf-8")
    if not browser:
        return data.decode("latin-1")
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


# Every class of damage: Latin-1 letters and NBSP (C2/C3 xx), punctuation whose last byte
# is undefined in windows-1252 (” = E2 80 9D), ™ € (E2 xx xx), ƒ ˆ ˜ Š ž (C5/C6/CB xx),
# a four-byte emoji, and correct characters next to damaged ones.
DAMAGED = [
    TEXT,
    "Merek™ dan ‘kutip’ – “Kata” naik 5€",
    "ƒ ˆ ˜ Š š Ž ž Œ œ Ÿ",
    "harga\u00a0naik ±5° ½ «kutip» ©2024",
    "ÀÉÎÕÜ àéîõü ß",
    "Bagus 😀 sekali",
]


@pytest.mark.parametrize("browser", [True, False])
@pytest.mark.parametrize("text", DAMAGED)
def test_mojibake_is_repaired(text: str, browser: bool) -> None:
    broken = _misread(text, browser=browser)
    assert broken != text
    assert repair_mojibake(broken) == text


@pytest.mark.parametrize(("text", "expected"), [
    # a correctly encoded quote next to damaged letters: only the damage changes
    ("“Sudah benar” dan juga Ã© rusak", "“Sudah benar” dan juga é rusak"),
    ("Zoë berkata: " + _misread("“Kata dia,” ujar Déwi"), "Zoë berkata: “Kata dia,” ujar Déwi"),
    # a damaged quote that lost its last byte (0x9D) cannot be restored: left as it is
    ("ujar dia,â€ lalu pergi — Ã© ", "ujar dia,â€ lalu pergi — é "),
])
def test_mixed_text_is_repaired_run_by_run(text: str, expected: str) -> None:
    assert repair_mojibake(text) == expected


@pytest.mark.parametrize("text", [
    "CAFÉ” dan SÃO PAULO",  # high letters next to quotes, but none of the telltales
    "Ânimo à la carte, pâté, château",
    "Kafé “Senja” – ’ramai sekali’ ™ €",
    "Åsa dan Ærø, «kafé», Déwi: “kafé” …",
    "Ã",
    "",
])
def test_correct_text_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "latin-1", "bogus-enc"]))
def test_any_bytes_decode_without_replacement_chars(data: bytes, declared: str | None) -> None:
    text, used = decode_html(data, declared)
    assert "\ufffd" not in text
    assert used
