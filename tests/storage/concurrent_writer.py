"""One of several processes writing overlapping batches into one database at once.

Usage: python -m tests.storage.concurrent_writer DB_URL WORKER START_AT DEAD_LETTER
Worker w writes items w*STEP .. w*STEP+COUNT-1 (half shared with the next worker), in a
shuffled order, in batches of BATCH, starting at the wall-clock time START_AT.
"""

from __future__ import annotations

import random
import sys
import time

from aggregator.storage.writer import BatchWriter
from tests.storage.factories import item

COUNT, STEP, BATCH = 240, 120, 40


def main() -> None:
    """Open (migrating if needed), wait for the common start, write, report."""
    url, worker, start_at, dead = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    numbers = list(range(worker * STEP, worker * STEP + COUNT))
    random.Random(worker).shuffle(numbers)
    time.sleep(max(0.0, start_at - time.time()))
    writer = BatchWriter(url, dead_letter=dead)
    writer.open()
    failed = 0
    for i in range(0, len(numbers), BATCH):
        outcome = writer.write_batch([item(n) for n in numbers[i : i + BATCH]])
        failed += outcome.counts["failed"]
    print(f"worker {worker} failed={failed}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
