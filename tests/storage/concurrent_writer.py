"""One of several processes writing overlapping batches into one database at once.

Usage: python -m tests.storage.concurrent_writer DB_URL WORKER START_AT DEAD_LETTER
Worker w writes items w*STEP .. w*STEP+COUNT-1 (half shared with the next worker), in a
shuffled order, in batches of BATCH, starting at the wall-clock time START_AT.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

from aggregator.items import ArticleItem
from aggregator.storage.writer import BatchWriter
from tests.storage.factories import item

COUNT, STEP, BATCH = 240, 120, 40


def run_worker(items_for: Callable[[int], list[ArticleItem]], batch: int,
               counters: tuple[str, ...]) -> None:  # fmt: skip
    """argv: DB_URL WORKER START_AT DEAD_LETTER.  Open (migrating if needed), wait for the
    common start, write `items_for(worker)` in batches, exit nonzero if any of `counters`."""
    url, worker, start_at, dead = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    items = items_for(worker)
    time.sleep(max(0.0, start_at - time.time()))
    writer = BatchWriter(url, dead_letter=dead)
    writer.open()
    errors = 0
    for i in range(0, len(items), batch):
        outcome = writer.write_batch(items[i : i + batch])
        errors += sum(outcome.counts[key] for key in counters)
    print(f"worker {worker} errors={errors}")
    sys.exit(1 if errors else 0)


def _shuffled_items(worker: int) -> list[ArticleItem]:
    numbers = list(range(worker * STEP, worker * STEP + COUNT))
    random.Random(worker).shuffle(numbers)
    return [item(n) for n in numbers]


def main() -> None:
    """Write this worker's overlapping share; any failed item fails the worker."""
    run_worker(_shuffled_items, BATCH, ("failed",))


if __name__ == "__main__":
    main()
