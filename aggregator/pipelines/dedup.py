"""DedupPipeline: canonical URL, content hash, and in-run exact duplicates dropped.

For each `ArticleItem`:

- `url` becomes `canonicalize_url(url, canonical_hint=item.canonical_hint)`; the URL the
  article was reached by, earlier aliases (redirect sources) and the canonical form of
  each go to `aliases` (the incremental middleware looks those up on the next run);
- `content_hash` is set from the body;
- a second item with the same canonical URL, or the same source and content hash, is
  dropped (`dedup/duplicate/url`, `dedup/duplicate/content`).  Both checks look at a
  bounded window of recent keys (`AGGREGATOR_DEDUP_MEMORY`, default 100 000), so memory
  stays flat on long crawls; duplicates across runs are resolved by the store upsert.

Stats: `dedup/items`, `dedup/canonical_changed`, `dedup/duplicate/*`, `dedup/invalid_url`.
Setting: `AGGREGATOR_DEDUP_ENABLED` (default True).
"""

from __future__ import annotations

import contextlib
import hashlib
from typing import Any

from scrapy.exceptions import DropItem, NotConfigured

from aggregator.dedup import URLError, canonicalize_url, content_hash, normalize_body
from aggregator.items import ArticleItem

DEFAULT_MEMORY = 100_000
#: Shorter bodies ("Foto: ...", "Simak videonya") repeat across different articles.
MIN_CONTENT_WORDS = 20


def _words(body: str | None) -> int:
    """Number of words in the normalised body."""
    return len(normalize_body(body).split()) if body else 0


class _RecentKeys:
    """A bounded set of 64-bit key digests, kept in two generations.

    Keys go into the current generation; when it holds half the limit, it becomes the
    previous one and the older keys are forgotten whole.  A key seen again is carried
    into the current generation, so the most recently seen `limit // 2` keys are always
    remembered and at most `limit` are.  Plain sets of ints take about 75 bytes a key,
    against about 175 for an LRU `OrderedDict` of byte strings (8.7 MB per 50,000 keys).
    """

    def __init__(self, limit: int) -> None:
        """Remember at most `limit` keys (at least 2)."""
        self.limit = max(2, limit)
        self._generation = self.limit // 2
        self._current: set[int] = set()
        self._previous: set[int] = set()

    def seen(self, key: str) -> bool:
        """Record `key`; True if it was already there."""
        digest = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest())
        if digest in self._current:
            return True
        known = digest in self._previous
        if known:
            self._previous.discard(digest)
        if len(self._current) >= self._generation:
            self._previous, self._current = self._current, set()
        self._current.add(digest)
        return known

    def __len__(self) -> int:
        """Number of keys remembered."""
        return len(self._current) + len(self._previous)


class DedupPipeline:
    """Canonicalise URLs, hash bodies and drop exact duplicates seen earlier in the run."""

    def __init__(self, stats: Any, memory: int = DEFAULT_MEMORY) -> None:
        """Keep the stats collector and two bounded key windows."""
        self.stats = stats
        self.urls = _RecentKeys(memory)
        self.contents = _RecentKeys(memory)
        self.aliases = _RecentKeys(memory)  # URLs that reached the store as aliases

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupPipeline:
        """Build from the crawler; `AGGREGATOR_DEDUP_ENABLED = False` turns it off."""
        if not crawler.settings.getbool("AGGREGATOR_DEDUP_ENABLED", True):
            raise NotConfigured("AGGREGATOR_DEDUP_ENABLED is off")
        memory = crawler.settings.getint("AGGREGATOR_DEDUP_MEMORY", DEFAULT_MEMORY)
        return cls(crawler.stats, memory)

    def process_item(self, item: Any) -> Any:
        """Refine an `ArticleItem` in place or raise `DropItem`; other items pass through."""
        if not isinstance(item, ArticleItem):
            return item
        self.stats.inc_value("dedup/items")
        redirected_from = list(item.aliases)  # before canonicalisation: redirect sources
        self._canonicalize(item)
        if item.body:
            item.content_hash = content_hash(item.body)
        new_aliases = self._new_aliases(redirected_from)  # always: records them
        if self.urls.seen(item.url):
            if new_aliases:
                # E.g. a feed link redirecting to an article stored earlier in this run:
                # the store must learn the link as an alias, or every re-run fetches it.
                self.stats.inc_value("dedup/duplicate_kept_for_aliases")
                return item
            self._drop("url", item)
        if (item.content_hash and _words(item.body) >= MIN_CONTENT_WORDS
                and self.contents.seen(f"{item.source}\x00{item.content_hash}")):
            self._drop("content", item)
        return item

    def _canonicalize(self, item: ArticleItem) -> None:
        """Set the canonical URL and record the variants as aliases."""
        try:
            plain = canonicalize_url(item.url)
        except URLError as exc:
            self.stats.inc_value("dedup/invalid_url")
            raise DropItem(f"invalid article URL: {exc}", log_level="INFO") from None
        canonical = canonicalize_url(item.url, canonical_hint=item.canonical_hint)
        aliases = [item.url, plain]
        for alias in item.aliases:  # e.g. redirect sources: keep them and their key form
            with contextlib.suppress(URLError):  # a non-URL alias is dropped
                aliases.extend((alias, canonicalize_url(alias)))
        if canonical != item.url:
            self.stats.inc_value("dedup/canonical_changed")
        item.url = canonical
        item.aliases = list(dict.fromkeys(a for a in aliases if a and a != canonical))

    def _new_aliases(self, redirected_from: list[str]) -> bool:
        """True when a redirect source is new in this run (each one is recorded).

        Only redirect sources count: URL variants (tracking parameters, AMP) find their
        article through canonicalisation on the next run, a redirecting link does not.
        """
        fresh = [url for url in redirected_from if not self.aliases.seen(url)]
        return bool(fresh)

    def _drop(self, reason: str, item: ArticleItem) -> None:
        """Count and drop an in-run duplicate."""
        self.stats.inc_value(f"dedup/duplicate/{reason}")
        raise DropItem(f"duplicate {reason}: {item.url}", log_level="INFO")
