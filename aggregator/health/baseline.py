"""A source's baseline from its own recent runs: median and MAD, robust outlier test.

The modified z-score (Iglewicz and Hoaglin) `0.6745 * (x - median) / MAD` is robust to
the odd bad run in the history itself, which a mean and standard deviation are not.
A MAD of zero (a very regular source) is floored, so that a tiny change is not an outlier.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

#: Iglewicz-Hoaglin's recommended cut-off for |modified z|.
Z_THRESHOLD = 3.5
_MAD_TO_Z = 0.6745


@dataclass(frozen=True, slots=True)
class Baseline:
    """Median and median absolute deviation of a metric over a source's runs."""

    median: float
    mad: float
    size: int

    def z(self, value: float, *, floor: float) -> float:
        """The modified z-score of `value`, with the MAD floored at `floor`."""
        spread = max(self.mad, floor)
        return _MAD_TO_Z * (value - self.median) / spread if spread > 0 else 0.0


def baseline(values: Sequence[float]) -> Baseline | None:
    """The baseline of `values` (None when empty)."""
    if not values:
        return None
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values)
    return Baseline(median=float(median), mad=float(mad), size=len(values))
