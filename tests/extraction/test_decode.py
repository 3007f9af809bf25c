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


def test_mojibake_in_str_input_is_repaired() -> None:
    # What a browser shows for UTF-8 read as windows-1252 (undefined bytes stay C1 controls).
    broken = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b)
                     for b in TEXT.encode("utf-8"))
    assert "â€" in broken
    assert repair_mojibake(broken) == TEXT


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "latin-1", "bogus-enc"]))
def test_any_bytes_decode_without_replacement_chars(data: bytes, declared: str | None) -> None:
    text, used = decode_html(data, declared)
    assert "\ufffd" not in text
    assert used
