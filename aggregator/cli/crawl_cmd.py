"""`aggregator crawl`: run the news spider with live progress and a summary table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from aggregator.cli.app import app
from aggregator.cli.console import output_console
from aggregator.exceptions import ConfigError
from aggregator.extensions import CrawlSummary, Progress

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def parse_settings(pairs: list[str]) -> dict[str, Any]:
    """`NAME=VALUE` strings -> dict; JSON values (numbers, lists, true) are decoded."""
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"bad setting {pair!r}: use NAME=VALUE")
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw  # a plain string such as a database URL
        out[name.strip()] = value
    return out


def progress_line(progress: Progress) -> str:
    """One status line: pages, articles, dropped, errors."""
    return (f"pages {progress.pages}  articles {progress.articles}  "
            f"dropped {progress.dropped}  errors {progress.errors}")  # fmt: skip


def summary_table(summary: CrawlSummary) -> Table:
    """The end-of-crawl table (totals, then every drop/failure reason)."""
    table = Table(title="Crawl summary", show_header=False)
    table.add_column()
    table.add_column(overflow="fold")  # a long path wraps instead of losing its end
    rows = [("Pages fetched", summary.pages), ("Articles", summary.articles),
            ("Stored", summary.stored_detail), ("Refused by the database", summary.store_failed),
            ("Dropped", summary.dropped),
            ("Unchanged (skipped)", summary.unchanged),
            ("Errors", summary.errors), ("SSRF blocked", summary.ssrf_blocked),
            ("robots.txt forbidden", summary.robots_forbidden),
            ("Finish reason", summary.finish_reason or "-"),
            ("Elapsed (s)", f"{summary.elapsed_seconds:.1f}")]  # fmt: skip
    for label, value in rows:
        table.add_row(label, str(value))
    for reason, count in summary.reasons.items():
        table.add_row(f"  {reason}", str(count))
    if summary.dead_letter_file:
        table.add_row("Dead-lettered", f"{summary.dead_lettered} -> {summary.dead_letter_file}")
    if summary.interrupted:
        table.add_row("Interrupted by", summary.interrupted)
    if summary.fatal:
        table.add_row("Fatal error", summary.fatal)
    return table


@app.command("crawl")
def crawl(
    feed: Annotated[list[str] | None, typer.Option(
        "--feed", metavar="URL", help="RSS or Atom feed (repeatable)")] = None,
    sitemap: Annotated[list[str] | None, typer.Option(
        "--sitemap", metavar="URL", help="Sitemap or sitemap index, .gz too (repeatable)")] = None,
    index: Annotated[list[str] | None, typer.Option(
        "--index", metavar="URL",
        help="Listing page; '{page}' in it is the page number, walked until the "
             "listing shows nothing new (repeatable)")] = None,
    index_pages: Annotated[int, typer.Option(
        "--index-pages", min=1, metavar="N", help="Pages walked per --index at most")] = 5,
    url: Annotated[list[str] | None, typer.Option(
        "--url", metavar="URL", help="Article URL (repeatable)")] = None,
    site: Annotated[list[str] | None, typer.Option(
        "--site", metavar="NAME", help="Registered site, comma list or 'all' (repeatable)")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL",
        help="Database URL (else -s DATABASE_URL, $AGGREGATOR_DATABASE_URL, "
             "./data/aggregator.db)")] = None,
    max_articles: Annotated[int | None, typer.Option(
        "--max-articles", min=1, metavar="N", help="Stop after N articles")] = None,
    log_level: Annotated[str, typer.Option(
        "--log-level", metavar="LEVEL", help="DEBUG, INFO, WARNING or ERROR")] = "WARNING",
    setting: Annotated[list[str] | None, typer.Option(
        "-s", "--set", metavar="NAME=VALUE", help="Scrapy setting (repeatable)")] = None,
    stats_file: Annotated[Path | None, typer.Option(
        "--stats-file", metavar="PATH", help="Write the final crawl stats as JSON")] = None,
    frontier: Annotated[str | None, typer.Option(
        "--frontier", metavar="URL",
        help="Share the crawl through Redis (redis://HOST:PORT/DB); see docs/scale-out.md")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, metavar="N", help="Local worker processes (with --frontier)")] = None,
    archive: Annotated[Path | None, typer.Option(
        "--archive", metavar="DIR",
        help="Keep every fetch in WARC files in DIR (setting AGGREGATOR_ARCHIVE_DIR)")] = None,
) -> None:
    """Crawl feeds, sitemaps, index pages, article URLs or registered sites into the database."""
    from aggregator.crawler import CrawlOptions, run_crawl

    if log_level.upper() not in LOG_LEVELS:
        raise ConfigError(f"--log-level must be one of {', '.join(LOG_LEVELS)}")
    console = Console(stderr=True)
    status = console.status("starting crawl...")
    options = CrawlOptions(
        feeds=feed or [], sitemaps=sitemap or [], urls=url or [], sites=site or [],
        indexes=index or [], index_pages=index_pages,
        db_url=db, max_articles=max_articles, log_level=log_level,
        settings={**parse_settings(setting or []),
                  **({"AGGREGATOR_ARCHIVE_DIR": str(archive)} if archive else {})},
        progress=lambda p: status.update(progress_line(p)),
    )  # fmt: skip
    if frontier is not None or workers is not None:
        from aggregator.cli.worker_cmd import crawl_distributed

        if frontier is None:
            raise ConfigError("--workers needs --frontier redis://HOST:PORT/DB")
        return crawl_distributed(options, frontier, workers or 1)
    from aggregator.interrupt.report import exit_on_interrupt

    with status, exit_on_interrupt():
        summary = run_crawl(options)
    output_console().print(summary_table(summary))
    if summary.dead_letter_file:  # whole, on one line: it is what to replay
        typer.echo(f"{summary.dead_lettered} items dead-lettered to {summary.dead_letter_file};"
                   f" replay them with: aggregator replay-dead-letter {summary.dead_letter_file}")
    if stats_file is not None:
        stats_file.write_text(json.dumps(summary.stats, default=str, indent=2, sort_keys=True))
    if summary.interrupted:
        from aggregator.interrupt.report import interrupted_line

        typer.echo(interrupted_line(summary), err=True)
        raise typer.Exit(summary.exit_code)
    if summary.failed:
        raise typer.Exit(1)
