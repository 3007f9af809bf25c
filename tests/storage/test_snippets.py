"""Search excerpts: folding, prefixes, brackets, the fallback to the opening words, and
the ASCII fast path agreeing with full Unicode normalisation."""

from __future__ import annotations

import re
import unicodedata

import pytest

from aggregator.storage.query import Query, parse_query
from aggregator.storage.snippets import fold, make_snippet

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


def _reference_fold(word: str) -> str:
    """The fold the indexes mirror, with no fast path: casefold, NFKD, marks dropped."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _reference_snippet(body: str | None, query: Query) -> str | None:
    """make_snippet as first written: every word through the reference fold, by offsets."""
    if not body:
        return None
    exact: set[str] = set()
    starts: list[str] = []
    for term in (t for clause in query.clauses for t in clause):
        words = [_reference_fold(w) for w in term.words]
        if term.prefix:
            starts.append(words.pop())
        exact.update(words)
    spans = [(m.start(), m.end(), _reference_fold(m.group()))
             for m in re.finditer(r"[^\W_]+", body)]  # fmt: skip
    if not spans:
        return None
    hits = [i for i, (_, _, w) in enumerate(spans)
            if w in exact or any(w.startswith(p) for p in starts)]  # fmt: skip
    first = hits[0] if hits else 0
    lo, hi = max(0, first - 6), min(len(spans), first + 12)
    parts = [f"[{body[s:e]}]" if i in hits else body[s:e]
             for i, (s, e, _) in enumerate(spans[lo:hi], start=lo)]  # fmt: skip
    return ("…" if lo else "") + " ".join(parts) + ("…" if hi < len(spans) else "")


@pytest.mark.parametrize(
    "word",
    ["Kafé", "RÉSUMÉ", "résumé", "CaféBar", "naïve", "Ångström", "ŞEHİR", "İstanbul",
     "Straße", "ﬁnal", "Œuvre", "x²", "½", "Đà", "ǅemal", "Ａｂｃ", "JAKARTA", "Jakarta2024",
     "kopi", "ABCdef09"],
)  # fmt: skip
def test_fold_agrees_with_the_full_normalisation(word: str) -> None:
    assert fold(word) == _reference_fold(word)


_MIXED = ("Kafé RÉSUMÉ di İstanbul: naïve Straße, ﬁnal x² dan ½ porsi Œuvre; "
          "kafe_baru Ångström ŞEHİR ") * 3 + " ".join(f"kata{i}" for i in range(40))  # fmt: skip
_ASCII = ("Harga BERAS naik; kata_kunci 'banjir' (Jakarta-Utara) 2024 kafe Kopi, "
          + " ".join(f"isi{i}" for i in range(40)) + " resume akhir")  # fmt: skip


@pytest.mark.parametrize("body", [BODY, _MIXED, _ASCII, "___ --- ...", "Café", "ÉÉ éé"])
@pytest.mark.parametrize(
    "query",
    ["kafe", "CAFÉ", "resume", "résumé*", "strasse", "final", "istanbul", "i̇stanbul", "naive*",
     "angs*", "sehir", "x2", "oeuvre", "œuvre", "12", "kata_kunci", "kunci", "ba*", "isi39",
     '"harga beras"', "kopi OR banjir", "ée", "tidakada"],
)  # fmt: skip
def test_snippet_agrees_with_the_reference(body: str, query: str) -> None:
    parsed = parse_query(query)
    assert make_snippet(body, parsed) == _reference_snippet(body, parsed)
