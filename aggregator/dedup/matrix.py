"""Signature verification for many candidates at once (numpy), same answers as one by one.

`assign_clusters` verifies every LSH candidate of an article: on a large archive that is
hundreds of candidates per article, and comparing them one `bytes` pair at a time cost
more than everything else the store does.  `SignatureMatrix` holds the candidates'
signatures as one uint32 matrix and answers for a whole row set in a few array
operations.  The arithmetic is the scalar test's, in the same order and in float64, so
the decisions are identical (tests/dedup/test_matrix.py compares them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from aggregator.dedup.fingerprint import NUM_PERM

__all__ = ["SignatureMatrix", "Thresholds"]

_DTYPE = np.dtype("<u4")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When two signatures are the same story (see `aggregator.dedup.clusters`)."""

    jaccard: float
    containment: float
    min_containment_shingles: int


@dataclass(slots=True)
class SignatureMatrix:
    """Stored signatures, one row each, and the row of every article id."""

    row_of: dict[int, int] = field(default_factory=dict)
    values: np.ndarray = field(default_factory=lambda: np.zeros((0, NUM_PERM), dtype=_DTYPE))
    sizes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, bytes, int]]) -> SignatureMatrix:
        """Build from (article_id, packed minhash, shingle count) rows."""
        ids: list[int] = []
        blobs: list[bytes] = []
        sizes: list[int] = []
        for article_id, blob, size in rows:
            ids.append(article_id)
            blobs.append(bytes(blob))
            sizes.append(size)
        if not ids:
            return cls()
        width = len(blobs[0])
        if width == 0 or any(len(b) != width for b in blobs):
            raise ValueError("signatures have different lengths")
        values = np.frombuffer(b"".join(blobs), dtype=_DTYPE).reshape(len(ids), -1)
        return cls({a: i for i, a in enumerate(ids)}, values, np.asarray(sizes, dtype=np.int64))

    def rows_for(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row of each id (0 where absent) and whether it is present, vectorised."""
        known = np.fromiter(self.row_of, dtype=np.int64, count=len(self.row_of))
        order = np.argsort(known)
        pos = np.searchsorted(known[order], ids)
        pos = np.minimum(pos, max(len(known) - 1, 0))
        present = known[order][pos] == ids if len(known) else np.zeros(len(ids), dtype=bool)
        rows = order[pos] if len(known) else np.zeros(len(ids), dtype=np.int64)
        return rows, present


def candidate_pairs(wanted: np.ndarray, rows: np.ndarray, min_hits: int) -> np.ndarray:
    """Distinct (batch article, other article) pairs sharing at least `min_hits` bands.

    `wanted` holds (bucket key, band, batch article) for every band of the batch, `rows`
    the stored (bucket key, band, article) rows of those buckets.  A row matches a wanted
    entry when key and band are equal and the articles differ.  Sorted by (mine, other).
    """
    if not len(wanted) or not len(rows):
        return np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((wanted[:, 1], wanted[:, 0]))
    keys, bands, mines = wanted[order, 0], wanted[order, 1], wanted[order, 2]
    left = np.searchsorted(keys, rows[:, 0], side="left")
    counts = np.searchsorted(keys, rows[:, 0], side="right") - left
    row_idx = np.repeat(np.arange(len(rows)), counts)
    # Position inside each row's run of equal keys: 0, 1, ... counts[row] - 1.
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    idx = np.repeat(left, counts) + (np.arange(len(row_idx)) - starts)
    match = (bands[idx] == rows[row_idx, 1]) & (mines[idx] != rows[row_idx, 2])
    return _distinct_pairs(mines[idx][match], rows[row_idx[match], 2], min_hits)


def _distinct_pairs(mines: np.ndarray, others: np.ndarray, min_hits: int) -> np.ndarray:
    """Sorted distinct (mine, other) pairs occurring at least `min_hits` times."""
    order = np.lexsort((others, mines))
    mines, others = mines[order], others[order]
    first = np.ones(len(mines), dtype=bool)
    first[1:] = (mines[1:] != mines[:-1]) | (others[1:] != others[:-1])
    starts = np.flatnonzero(first)
    if min_hits > 1:
        hits = np.diff(np.append(starts, len(mines)))
        starts = starts[hits >= min_hits]
    return np.stack((mines[starts], others[starts]), axis=1)


def verify_pairs(own: SignatureMatrix, stored: SignatureMatrix, pairs: np.ndarray,
                 limits: Thresholds, chunk: int = 8192) -> np.ndarray:  # fmt: skip
    """Boolean mask over `pairs` (mine, other): both signed, and the same story.

    Pairs whose other article has no stored signature are False (never compared).
    """
    out = np.zeros(len(pairs), dtype=bool)
    mine_rows, mine_ok = own.rows_for(pairs[:, 0])
    other_rows, other_ok = stored.rows_for(pairs[:, 1])
    todo = np.flatnonzero(mine_ok & other_ok)
    if len(todo) and own.values.shape[1] != stored.values.shape[1]:
        raise ValueError("signatures have different lengths")
    for start in range(0, len(todo), chunk):  # bounded temporaries on huge candidate sets
        sel = todo[start : start + chunk]
        a, b = mine_rows[sel], other_rows[sel]
        out[sel] = _same_story(own.values[a], own.sizes[a], stored.values[b], stored.sizes[b],
                               limits)  # fmt: skip
    return out


def _same_story(a: np.ndarray, a_size: np.ndarray, b: np.ndarray, b_size: np.ndarray,
                limits: Thresholds) -> np.ndarray:  # fmt: skip
    """Row-wise `clusters._similar`: the same operations in the same order, in float64."""
    # J = equal / n; overlap = J * (|A| + |B|) / (1 + J); contained: overlap / min >= c.
    jaccard = np.count_nonzero(a == b, axis=1) / a.shape[1]
    smaller = np.minimum(a_size, b_size)
    with np.errstate(divide="ignore", invalid="ignore"):
        overlap = jaccard * (a_size + b_size) / (1 + jaccard)
        contained = ((smaller >= limits.min_containment_shingles) & (jaccard > 0)
                     & (overlap / smaller >= limits.containment))  # fmt: skip
    result: np.ndarray = (jaccard >= limits.jaccard) | contained
    return result
