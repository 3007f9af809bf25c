"""thejakartapost.com: /<section>/YYYY/MM/DD/<slug>.html."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="jakartapost",
    label="The Jakarta Post",
    domains=("thejakartapost.com",),
    language="en",
    feeds=("https://www.thejakartapost.com/feed",),
    news_sitemaps=("https://www.thejakartapost.com/news-sitemap.xml",),
    article_patterns=(r"/\d{4}/\d\d/\d\d/[\w-]+\.html$",),
    exclude_patterns=(r"^/(multimedia|video|tag|topics|search)/",),
)
