"""`scrapy crawl`, checking the spider's `-a` arguments before anything starts.

Scrapy builds the spider inside the running crawl, so a bad argument surfaces as
"Task exception was never retrieved" and a 30-line traceback.  A spider class with a
`check_arguments(**spargs)` classmethod gets them checked while the options are read,
before the crawler process (and its log banner) exists: a bad one is one
`error: ...` line on stderr and exit status 2, as with `aggregator crawl`.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.spiderloader import get_spider_loader

from aggregator.exceptions import AggregatorError


class Command(ScrapyCrawlCommand):
    """`scrapy crawl SPIDER [-a NAME=VALUE ...]`."""

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Scrapy's option handling, then the spider's own argument check."""
        super().process_options(args, opts)
        if len(args) != 1 or self.settings is None:
            return  # Scrapy's usage error follows in run()
        loader = get_spider_loader(self.settings)
        try:
            spidercls = loader.load(args[0])
        except KeyError:  # Scrapy itself answers this with a traceback
            _fail(f"unknown spider {args[0]!r}; this project has: {', '.join(loader.list())}")
        check = getattr(spidercls, "check_arguments", None)
        if check is None:
            return
        try:
            check(**opts.spargs)
        except AggregatorError as exc:
            _fail(str(exc))


def _fail(message: str) -> NoReturn:
    """One `error:` line and exit status 2 (a usage error)."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)
