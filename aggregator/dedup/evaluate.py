"""Pairwise precision and recall of a clustering against true labels (for tests and bench)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PairScores", "pairwise_scores"]


@dataclass(frozen=True, slots=True)
class PairScores:
    """Counts of document pairs and the derived scores."""

    true_pairs: int  # pairs in one true cluster
    predicted_pairs: int  # pairs given one cluster id
    correct_pairs: int  # pairs in both

    @property
    def precision(self) -> float:
        """Share of predicted same-story pairs that are right (1.0 when none predicted)."""
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        """Share of true same-story pairs that were found (1.0 when there are none)."""
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(counts: Counter[Any]) -> int:
    """Number of unordered pairs inside each group."""
    return sum(n * (n - 1) // 2 for n in counts.values())


def pairwise_scores(
    truth: Mapping[Hashable, Hashable], predicted: Mapping[Hashable, Hashable]
) -> PairScores:
    """Compare two labellings of the same documents, pair by pair (O(n) via counts)."""
    if set(truth) != set(predicted):
        raise ValueError("truth and prediction must label the same documents")
    both = Counter((truth[d], predicted[d]) for d in truth)
    return PairScores(
        true_pairs=_pairs(Counter(truth.values())),
        predicted_pairs=_pairs(Counter(predicted.values())),
        correct_pairs=_pairs(both),
    )
