"""One outlet of several publishing copies of the same stories into one database at once.

Usage: python -m tests.storage.concurrent_cluster_writer DB_URL OUTLET START_AT DEAD_LETTER
Outlet o stores its copy of every story 0..STORIES-1 (the wire text plus its own closing
sentence), in a shuffled order, in batches of BATCH, starting at the wall-clock START_AT.
"""

from __future__ import annotations

import random
import sys
import time

from aggregator.items import ArticleItem
from aggregator.storage.writer import BatchWriter
from tests.storage.factories import T0, item, text

STORIES, BATCH = 24, 6


def copy_of(story: int, outlet: int) -> ArticleItem:
    """Outlet `outlet`'s copy of story `story`: same wire text, its own URL and last line."""
    return item(story, url=f"https://outlet{outlet}.example.id/berita/{story}",
                source=f"outlet{outlet}", title=f"Berita {story}",
                body=f"{text(5000 + story, 150)} Dilaporkan ulang oleh redaksi outlet{outlet}.",
                published_at=T0.replace(minute=outlet))  # fmt: skip


def main() -> None:
    """Open (migrating if needed), wait for the common start, write, report."""
    url, outlet, start_at, dead = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    stories = list(range(STORIES))
    random.Random(outlet).shuffle(stories)
    time.sleep(max(0.0, start_at - time.time()))
    writer = BatchWriter(url, dead_letter=dead)
    writer.open()
    errors = 0
    for i in range(0, len(stories), BATCH):
        outcome = writer.write_batch([copy_of(s, outlet) for s in stories[i : i + BATCH]])
        errors += outcome.counts["failed"] + outcome.counts["cluster_errors"]
    print(f"outlet {outlet} errors={errors}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
