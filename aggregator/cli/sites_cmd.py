"""`aggregator sites` (the registry) and `aggregator check-site NAME` (one live article).

`check-site` is the only code in the project that fetches a live site on purpose; it is a
tool for maintainers when a portal changes its layout and never runs in the tests.
"""

from __future__ import annotations

import datetime as dt
import urllib.request
from typing import Annotated, Final

import typer
from rich.console import Console
from rich.table import Table

from aggregator.cli.app import app
from aggregator.cli.console import output_console
from aggregator.dates import resolve_article_dates
from aggregator.discovery import DiscoveryError, parse_document
from aggregator.exceptions import AggregatorError, InputError
from aggregator.extraction import extract_page
from aggregator.sites import get_site
from aggregator.sites.base import SiteSpec
from aggregator.sites.check import first_article, report_rows, validate_article_url
from aggregator.sites.table import HEADERS, markdown_table, rows

#: Bytes read from one live response at most; a bigger one is cut (and may then not parse).
MAX_BYTES: Final = 8 * 1024 * 1024
#: Discovery sources tried at most before giving up on finding an article.
MAX_SOURCES: Final = 3
USER_AGENT: Final = "aggregator-check-site/0.1 (+https://github.com/; maintainer probe)"


@app.command("sites")
def sites(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the table as Markdown (as in docs/sites.md).")
    ] = False,
) -> None:
    """List the site registry: domains, zone, discovery sources, verification, parser fields."""
    if markdown:
        typer.echo(markdown_table())
        return
    table = Table(title="Registered sites", show_lines=False)
    for header in HEADERS:
        table.add_column(header, overflow="fold")
    for row in rows():
        table.add_row(*row, style=None if row[6].startswith("yes") else "dim")
    _console().print(table)


@app.command("check-site")
def check_site(
    name: Annotated[str, typer.Argument(help="Site name from `aggregator sites`.")],
    url: Annotated[
        str | None, typer.Option("--url", help="Check this article instead of the feed's first.")
    ] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=1, max=120, metavar="SECONDS",
        help="How long to wait for each request (the feed, then the article).")] = 20.0,
) -> None:
    """Fetch one live article of NAME and show what extraction makes of it (network)."""
    spec = get_site(name)
    target = validate_article_url(spec, url) if url else _discover_article(spec, timeout)
    html = _fetch(target, timeout)
    page = extract_page(html, target, site=spec)
    published, _modified = resolve_article_dates(
        page.date_candidates, now=dt.datetime.now(dt.UTC), tz=spec.timezone
    )
    table = Table(title=f"{spec.display_name}: {target}", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for key, value in report_rows(page, published):
        table.add_row(key, value)
    _console().print(table)


def _console() -> Console:
    """A console; wide when output is not a terminal, so piped tables stay readable."""
    return output_console()


def _discover_article(spec: SiteSpec, timeout: float) -> str:
    """The first article URL listed by the site's feeds or sitemaps."""
    sources = [*spec.feeds, *spec.news_sitemaps, *spec.sitemaps][:MAX_SOURCES]
    for source in sources:
        try:
            result = parse_document(_fetch(source, timeout), source)
        except (DiscoveryError, AggregatorError) as exc:
            typer.echo(f"warning: {source}: {exc}", err=True)
            continue
        found = first_article(spec, (link.url for link in result.links))
        if found:
            return found
    raise InputError(f"no article URL found in {len(sources)} discovery source(s) of {spec.name}")


def _fetch(url: str, timeout: float) -> bytes:
    """GET `url` (bounded in time and size); InputError on any network failure."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310
            data: bytes = reply.read(MAX_BYTES)
            return data
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot fetch {url}: {exc}") from None
