"""One outlet of several publishing copies of the same stories into one database at once.

Usage: python -m tests.storage.concurrent_cluster_writer DB_URL OUTLET START_AT DEAD_LETTER
Outlet o stores its copy of every story 0..STORIES-1 (the wire text plus its own closing
sentence), in a shuffled order, in batches of BATCH, starting at the wall-clock START_AT.
"""

from __future__ import annotations

import random

from aggregator.items import ArticleItem
from tests.storage.concurrent_writer import run_worker
from tests.storage.factories import T0, item, text

STORIES, BATCH = 24, 6


def copy_of(story: int, outlet: int) -> ArticleItem:
    """Outlet `outlet`'s copy of story `story`: same wire text, its own URL and last line."""
    return item(story, url=f"https://outlet{outlet}.example.id/berita/{story}",
                source=f"outlet{outlet}", title=f"Berita {story}",
                body=f"{text(5000 + story, 150)} Dilaporkan ulang oleh redaksi outlet{outlet}.",
                published_at=T0.replace(minute=outlet))  # fmt: skip


def _shuffled_copies(outlet: int) -> list[ArticleItem]:
    stories = list(range(STORIES))
    random.Random(outlet).shuffle(stories)
    return [copy_of(s, outlet) for s in stories]


def main() -> None:
    """Write this outlet's copies; a failed item or a clustering error fails the worker."""
    run_worker(_shuffled_copies, BATCH, ("failed", "cluster_errors"))


if __name__ == "__main__":
    main()
