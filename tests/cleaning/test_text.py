"""Text helpers: control characters out, whitespace controls kept as word breaks."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aggregator.cleaning.text import strip_controls


@pytest.mark.parametrize(("text", "expected"), [
    ("Judul biasa", "Judul biasa"),
    ("a\x1b]0;pwned\x07b", "a]0;pwnedb"),  # OSC title escape and BEL
    ("\x1b[31mMerah", "[31mMerah"),
    ("CSI\x9b2J", "CSI2J"),  # the 8-bit C1 form of ESC [
    ("\x00nul\x7fdel", "nuldel"),
    ("baris\r\nbaru", "baris \nbaru"),  # CR is whitespace: it becomes a space
    ("kata\x0bkata\x0ckata\x85kata", "kata kata kata kata"),
    ("tab\tdan\nbaris", "tab\tdan\nbaris"),  # tab and newline stay
    ("Zoë “kutip” — naik", "Zoë “kutip” — naik"),  # non-control non-ASCII untouched
])
def test_strip_controls(text: str, expected: str) -> None:
    assert strip_controls(text) == expected


@given(st.text())
def test_no_control_survives(text: str) -> None:
    out = strip_controls(text)
    assert not [c for c in out if unicodedata.category(c) == "Cc" and c not in "\t\n"]
    assert strip_controls(out) == out
