"""Incremental crawling: re-runs fetch only what may have changed.

Scrapy-free logic lives in `policy` (when to re-fetch an article), `state` (database
lookups and buffered writes) and `watermark` (when to stop paging an index); the thin
Scrapy layer is `aggregator.incremental.middleware.IncrementalMiddleware`.
"""

from aggregator.incremental.policy import RecheckPolicy, StoredArticle, decide, discovery_date

__all__ = ["RecheckPolicy", "StoredArticle", "decide", "discovery_date"]
