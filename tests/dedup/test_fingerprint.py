"""Content hash and MinHash signature behaviour."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.dedup.fingerprint import (
    NUM_PERM,
    band_keys,
    content_hash,
    estimate_jaccard,
    minhash_signature,
    normalize_body,
    shingles,
)
from tests.dedup.conftest import make_text

BODY = "Jakarta - Harga beras naik 5 persen, kata Menteri Perdagangan, Senin (20/1)."

SAME_HASH = [
    BODY,
    BODY.upper(),
    "  Jakarta -  Harga beras\n\nnaik 5 persen , kata Menteri Perdagangan; Senin (20/1) ",
    BODY.replace(" ", "\u00a0"),
    BODY.replace("-", "\u2013"),
    "Jakarta — “Harga beras naik 5 persen”, kata Menteri Perdagangan, Senin (20/1)!",
]
DIFFERENT_HASH = [
    BODY.replace("5 persen", "6 persen"),
    BODY.replace("naik", "turun"),
    BODY + " Tambahan kalimat.",
    "Jakarta Harga beras naik 5 persen kata Menteri Perdagangan Senin 201",
]


@pytest.mark.parametrize("variant", SAME_HASH)
def test_hash_ignores_typography(variant: str) -> None:
    assert content_hash(variant) == content_hash(BODY)


@pytest.mark.parametrize("variant", DIFFERENT_HASH)
def test_hash_sees_word_changes(variant: str) -> None:
    assert content_hash(variant) != content_hash(BODY)


def test_hash_shape_and_stability() -> None:
    assert content_hash(BODY) == content_hash(BODY)
    assert len(content_hash(BODY)) == 32
    assert int(content_hash(""), 16) >= 0


def test_normalize_body() -> None:
    assert normalize_body("  Foo,Bar!\n\nBAZ_qux  ") == "foo bar baz qux"
    with pytest.raises(TypeError):
        normalize_body(None)  # type: ignore[arg-type]


def test_shingles_short_and_long() -> None:
    assert shingles("") == set()
    assert shingles("satu dua") == {b"satu dua"}
    assert len(shingles("a b c d e f", k=5)) == 2


def test_signature_is_packed_and_deterministic() -> None:
    sig = minhash_signature(make_text(1))
    assert sig is not None
    assert len(sig.values) == NUM_PERM * 4
    again = minhash_signature(make_text(1))
    assert again is not None
    assert again.values == sig.values
    assert sig.size == len(shingles(make_text(1)))


@pytest.mark.parametrize("body", [None, "", "   ", "Foto: banjir di Bekasi"])
def test_signature_none_for_short_bodies(body: str | None) -> None:
    assert minhash_signature(body) is None


def test_jaccard_estimate_tracks_edits() -> None:
    base = make_text(3, 400)
    same = minhash_signature(base.upper())
    edited = minhash_signature(base.replace("jakarta", "bandung", 2) + " Baca juga: x.")
    other = minhash_signature(make_text(4, 400))
    ref = minhash_signature(base)
    assert ref is not None
    assert same is not None
    assert edited is not None
    assert other is not None
    assert estimate_jaccard(ref.values, same.values) == 1.0
    assert estimate_jaccard(ref.values, edited.values) > 0.7
    assert estimate_jaccard(ref.values, other.values) < 0.1


def test_jaccard_rejects_mismatched_signatures() -> None:
    with pytest.raises(ValueError, match="different lengths"):
        estimate_jaccard(b"\x00" * 8, b"\x00" * 12)


def test_band_keys() -> None:
    sig = minhash_signature(make_text(5))
    assert sig is not None
    keys = band_keys(sig.values, bands=42, rows=3)
    assert len(keys) == 42
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert len(set(keys)) == 42
    with pytest.raises(ValueError, match="too short"):
        band_keys(sig.values, bands=50, rows=3)


def test_signature_of_huge_body_is_bounded() -> None:
    huge = make_text(9, 100_000)  # ~800 000 characters
    sig = minhash_signature(huge)
    assert sig is not None
    assert sig.size < len(shingles(huge))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_hash_and_signature_never_crash(text: str) -> None:
    assert len(content_hash(text)) == 32
    sig = minhash_signature(text)
    assert sig is None or len(sig.values) == NUM_PERM * 4
