"""Indonesian dates: parse date strings, collect a page's date candidates, resolve them.

Scrapy-free.  `parse_date` normalises one string to an aware UTC datetime;
`collect_date_candidates` finds date strings in a page; `resolve_article_dates`
chooses the published and modified dates by `TRUST_ORDER` with zone cross-checks.
"""

from __future__ import annotations

from aggregator.dates.candidates import collect_date_candidates, url_candidates
from aggregator.dates.parse import Reading, parse_date, read_date
from aggregator.dates.resolve import TRUST_ORDER, resolve_article_dates

__all__ = [
    "TRUST_ORDER",
    "Reading",
    "collect_date_candidates",
    "parse_date",
    "read_date",
    "resolve_article_dates",
    "url_candidates",
]
