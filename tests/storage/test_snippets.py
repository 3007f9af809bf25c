"""Search excerpts: folding, prefixes, brackets, and the fallback to the opening words."""

from __future__ import annotations

import pytest

from aggregator.storage.query import parse_query
from aggregator.storage.snippets import make_snippet

BODY = ("Jakarta - Sebuah kafé baru dibuka di Menteng. Pengunjung memuji kopinya; "
        "manajer Café itu berkata harga tetap terjangkau bagi warga.")  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected_marks"),
    [
        ("cafe", ["[Café]"]),
        ("KAFE", ["[kafé]"]),
        ("CAFÉ", ["[Café]"]),
        ("kopi*", ["[kopinya]"]),
        ('"harga tetap"', ["[harga]", "[tetap]"]),
    ],
)
def test_marks(query: str, expected_marks: list[str]) -> None:
    snippet = make_snippet(BODY, parse_query(query))
    assert snippet is not None
    for mark in expected_marks:
        assert mark in snippet


def test_window_and_fallback() -> None:
    long_body = " ".join(f"kata{i}" for i in range(100)) + " banjir " + "akhir " * 50
    snippet = make_snippet(long_body, parse_query("banjir"))
    assert snippet is not None
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "[banjir]" in snippet
    assert len(snippet.split()) <= 19
    opening = make_snippet(long_body, parse_query("tidakada"))
    assert opening is not None
    assert opening.startswith("kata0 kata1")
    assert make_snippet(None, parse_query("x")) is None
    assert make_snippet("", parse_query("x")) is None
