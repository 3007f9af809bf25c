"""A URL set in Redis, standing in for the spider's in-memory `set`s in a frontier job.

The spider asks `url in seen` and then calls `seen.add(url)`.  Two workers asking about
the same URL at once must not both get False, so `in` is atomic test-and-add (SADD):
the first asker claims the URL.  `len()` does not count a claim not yet confirmed by
`add`, so the spider's "at most N sitemaps" check counts as it does in memory.
"""

from __future__ import annotations

from typing import Any


class RedisSeenSet:
    """Set-like (`in`, `add`, `len`) over a Redis set; nothing is kept in memory."""

    def __init__(self, server: Any, key: str) -> None:
        self.server = server
        self.key = key
        self._claimed: str | None = None

    def __contains__(self, url: object) -> bool:
        """True if already seen; otherwise the URL is claimed by this caller."""
        added = int(self.server.sadd(self.key, str(url)))
        self._claimed = str(url) if added else None
        return not added

    def add(self, url: str) -> None:
        """Confirm a claim (or add a URL that was never asked about)."""
        if self._claimed != url:
            self.server.sadd(self.key, url)
        self._claimed = None

    def discard(self, url: str) -> None:
        """Forget a URL."""
        self.server.srem(self.key, url)

    def __len__(self) -> int:
        return int(self.server.scard(self.key)) - (1 if self._claimed is not None else 0)

    def update(self, urls: Any) -> None:
        """Add many URLs."""
        batch = [str(u) for u in urls]
        if batch:
            self.server.sadd(self.key, *batch)
