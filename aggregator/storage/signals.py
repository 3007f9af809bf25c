"""Signals other stages send to the store pipeline (plain objects: no Scrapy import needed).

`fetch_failed`: send with keyword arguments `url`, `reason`, and optionally `status`
(int), `source` and `kind` ("feed", "sitemap", "index", "article", "article_page"):

    crawler.signals.send_catch_log(signal=fetch_failed, url=..., reason="HTTP 404", status=404)

The store pipeline records it in `failed_fetches` (via `repository.record_failed_fetch`).

`page_rejected`: keyword arguments `url`, `reason` ("bot_challenge", "error_page"...) for a
fetched page that held no article; the source-health extension counts it per source.
"""

from __future__ import annotations

fetch_failed = object()
page_rejected = object()
