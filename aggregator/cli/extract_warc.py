"""`aggregator extract --warc FILE`: the article pages of WARC files as JSONL (streaming).

Each page goes through the same stages as `aggregator extract FILE` (extraction,
item building, cleaning, dates) with `now` = the record's WARC-Date.  In our own
WARC files the `metadata` records say which pages are article first pages (others are
counted and skipped) and carry the feed entry a page was found by.  Only pages
extraction takes for articles are printed; a one-line summary goes to stderr.  A
damaged file gives one error line naming the file and offset; the other files go on.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import typer

from aggregator.article import build_article, source_for
from aggregator.cleaning.item import apply_clean
from aggregator.cli.extract_cmd import check_html, date_item, resolve_site, to_record
from aggregator.exceptions import InputError
from aggregator.extraction import extract_page


def extract_warcs(paths: list[Path], *, site_name: str | None) -> None:
    """Print one JSON line per article page of every file; raise if any file failed."""
    from aggregator.archive.reader import ArchiveReadError
    from aggregator.archive.warcextract import warc_pages

    counts: Counter[str] = Counter()
    failed = 0
    for path in paths:
        if not path.is_file():
            failed += 1
            typer.echo(f"error: {path}: no such file", err=True)
            continue
        try:
            for found in warc_pages(path, counts):
                page = found.page
                counts["pages"] += 1
                if page.meta.get("aggregator_kind") not in (None, "article"):
                    # Our own archive: feeds, sitemaps, index pages, and pages 2.. of an
                    # article (stitched only by `reextract`, which has the captures index).
                    counts[f"kind/{page.meta['aggregator_kind']}"] += 1
                    continue
                try:
                    check_html(path, page.body)  # the checks `extract FILE` makes
                except InputError:
                    counts["not_html"] += 1
                    continue
                site = resolve_site(site_name, page.url)
                fields = extract_page(page.body, page.url, site=site, encoding=page.encoding)
                if not fields.is_article:
                    counts[f"not_article/{fields.reject_reason or 'unknown'}"] += 1
                    continue
                discovery = page.meta.get("aggregator_discovery")  # a feed entry, if any
                item = build_article([fields], url=page.url, source=source_for(page.url, site),
                                     fetched_at=page.fetched_at, site=site,
                                     discovery=discovery if isinstance(discovery, dict) else None)
                apply_clean(item)
                date_item(item, page.fetched_at)
                record = to_record(path, item)
                record["warc_offset"] = found.offset
                typer.echo(json.dumps(record, ensure_ascii=False))
                counts["articles"] += 1
        except ArchiveReadError as exc:
            failed += 1
            typer.echo(f"error: {exc}", err=True)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    typer.echo(f"{len(paths)} WARC files: {summary or 'nothing found'}", err=True)
    if failed:
        raise InputError(f"{failed} of {len(paths)} WARC files could not be read completely")
