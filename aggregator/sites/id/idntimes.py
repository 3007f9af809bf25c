"""idntimes.com: /<channel>/<sub>/<author>/<slug> (older) or /<channel>/<sub>/<slug>-<id>."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="idntimes",
    label="IDN Times",
    domains=("idntimes.com",),
    # Source: public RSS catalogues of open-source
    # Indonesian news readers.
    feeds=("https://www.idntimes.com/rss",),
    article_patterns=(
        r"^/(news|business|tech|sport|hype|life|health|travel|food|science|men|korea|automotive|opinion|fiction)/[\w-]+/[\w.-]+",
    ),
    exclude_patterns=(r"^/(tag|search|video|quiz|topic|indeks)/", r"/video/"),
    notes="unverified: no saved page; generic extraction only",
)
