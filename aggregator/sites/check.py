"""Helpers for `aggregator check-site` (the network calls themselves live in the CLI)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from aggregator.exceptions import ConfigError
from aggregator.sites.base import SiteSpec
from aggregator.types import PageFields, ResolvedDate


def validate_article_url(spec: SiteSpec, url: str) -> str:
    """`url` when it is http(s) on the site's domains; ConfigError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--url must be an http(s) URL, got {url!r}")
    if not spec.owns_host(parts.hostname):
        raise ConfigError(f"--url {url!r} is not on {spec.name} ({', '.join(spec.domains)})")
    return url.strip()


def first_article(spec: SiteSpec, urls: Iterable[str]) -> str | None:
    """The first discovered URL the site's filter accepts as an article."""
    return next((u for u in urls if spec.is_article_url(u)), None)


def report_rows(page: PageFields, published: ResolvedDate) -> list[tuple[str, str]]:
    """What extraction produced, as (field, value) rows for a maintainer to eyeball."""
    body = page.body or ""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    return [
        ("extractor", page.extractor),
        ("title", page.title or "-"),
        ("published", published.value.isoformat() if published.value else "-"),
        ("published from", f"{published.source or '-'}: {published.raw or '-'}"),
        ("authors", ", ".join(page.authors) or "-"),
        ("section", page.section or "-"),
        ("tags", ", ".join(page.tags[:8]) or "-"),
        ("paragraphs", str(len(paragraphs))),
        ("first paragraph", paragraphs[0][:300] if paragraphs else "-"),
        ("last paragraph", paragraphs[-1][-300:] if paragraphs else "-"),
        ("next pages", ", ".join(page.next_page_urls) or "-"),
        ("is article", "yes" if page.is_article else f"no ({page.reject_reason})"),
    ]
