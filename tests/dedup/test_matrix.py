"""The vectorised LSH candidate search and verification give the scalar code's answers."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import numpy as np
import pytest

from aggregator.dedup.clusters import (
    CONTAINMENT_THRESHOLD,
    JACCARD_THRESHOLD,
    MIN_CONTAINMENT_SHINGLES,
    _similar,
)
from aggregator.dedup.fingerprint import NUM_PERM, Signature
from aggregator.dedup.matrix import SignatureMatrix, Thresholds, candidate_pairs, verify_pairs

LIMITS = Thresholds(JACCARD_THRESHOLD, CONTAINMENT_THRESHOLD, MIN_CONTAINMENT_SHINGLES)


def _signature(rng: random.Random, base: list[int], equal: int, size: int) -> Signature:
    """A signature sharing exactly `equal` positions with `base`."""
    positions = set(rng.sample(range(NUM_PERM), equal))
    values = [v if i in positions else (v + 1 + rng.randrange(1000)) % 2**32
              for i, v in enumerate(base)]  # fmt: skip
    return Signature(np.asarray(values, dtype="<u4").tobytes(), size)


def _reference_candidates(wanted: list[tuple[int, int, int]], rows: list[tuple[int, int, int]],
                          min_hits: int) -> set[tuple[int, int]]:  # fmt: skip
    """The loop `assign_clusters` used before the vectorised version."""
    by_key: dict[tuple[int, int], list[int]] = defaultdict(list)
    for key, band, mine in wanted:
        by_key[(key, band)].append(mine)
    hits: dict[int, Counter[int]] = defaultdict(Counter)
    for key, band, other in rows:
        for mine in by_key.get((key, band), ()):
            if other != mine:
                hits[mine][other] += 1
    return {(m, o) for m, counts in hits.items() for o, n in counts.items() if n >= min_hits}


@pytest.mark.parametrize("seed", range(5))
def test_verify_pairs_matches_the_scalar_test(seed: int) -> None:
    rng = random.Random(seed)
    own_rows, stored_rows, expected = [], [], []
    pairs = []
    for mine in range(1, 41):
        base = [rng.randrange(2**32) for _ in range(NUM_PERM)]
        own = Signature(np.asarray(base, dtype="<u4").tobytes(), rng.choice([12, 39, 40, 41, 300]))
        own_rows.append((mine, own.values, own.size))
        for k in range(30):
            other_id = 1000 * mine + k
            # Equal positions across the thresholds (0, 1 and 127/128 included), sizes
            # across the containment limits, so every branch of `_similar` is taken.
            equal = rng.choice([0, 1, 2, 10, 40, 55, 63, 64, 65, 100, 127, 128])
            size = rng.choice([5, 39, 40, 80, 120, 1000, 5000, 100000])
            other = _signature(rng, base, equal, size)
            stored_rows.append((other_id, other.values, other.size))
            pairs.append((mine, other_id))
            expected.append(_similar(own, other))
    pairs.append((1, 999_999_999))  # no stored signature: never similar
    expected.append(False)
    got = verify_pairs(SignatureMatrix.from_rows(own_rows), SignatureMatrix.from_rows(stored_rows),
                       np.asarray(pairs, dtype=np.int64), LIMITS, chunk=97)  # fmt: skip
    assert got.tolist() == expected
    assert 0 < sum(expected) < len(expected)  # both outcomes occur


@pytest.mark.parametrize(("seed", "min_hits"), [(0, 1), (1, 1), (2, 2), (3, 3)])
def test_candidate_pairs_match_the_reference_loop(seed: int, min_hits: int) -> None:
    rng = random.Random(seed)
    keys = [rng.randrange(-(2**63), 2**63) for _ in range(60)]  # few keys: many collisions
    wanted = [(rng.choice(keys), rng.randrange(8), rng.randrange(1, 30)) for _ in range(400)]
    rows = [(rng.choice(keys), rng.randrange(8), rng.randrange(1, 200)) for _ in range(3000)]
    rows += [(k, b, m) for k, b, m in wanted[:50]]  # the batch's own rows are stored too
    got = candidate_pairs(np.asarray(wanted, dtype=np.int64), np.asarray(rows, dtype=np.int64),
                          min_hits)  # fmt: skip
    pairs = [tuple(p) for p in got.tolist()]
    assert pairs == sorted(set(pairs))
    assert set(pairs) == _reference_candidates(wanted, rows, min_hits)
    assert pairs


def test_empty_inputs() -> None:
    none = np.zeros((0, 3), dtype=np.int64)
    assert candidate_pairs(none, np.asarray([[1, 0, 2]]), 1).shape == (0, 2)
    empty = SignatureMatrix.from_rows([])
    assert verify_pairs(empty, empty, np.zeros((0, 2), dtype=np.int64), LIMITS).tolist() == []


def test_signatures_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="different lengths"):
        SignatureMatrix.from_rows([(1, b"\0" * 512, 10), (2, b"\0" * 256, 10)])
