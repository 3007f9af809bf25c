"""Scrapy settings for the aggregator (`scrapy.cfg` points here).

Groups are alphabetical; every value that differs from Scrapy's default says why.
Our own settings carry the `AGGREGATOR_` prefix and are read by the component named.
"""

from __future__ import annotations

from typing import Any

# -- Project ------------------------------------------------------------------------------
BOT_NAME = "aggregator"
SPIDER_MODULES = ["spiders"]
# `scrapy crawl` checks the spider's -a arguments first: a bad one is one error line.
COMMANDS_MODULE = "aggregator.scrapy_commands"
NEWSPIDER_MODULE = "spiders"

# -- AutoThrottle: adapt the pace to each site's latency (off by default in Scrapy) --------
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0  # polite first contact; drops quickly on fast sites
AUTOTHROTTLE_MAX_DELAY = 30.0  # default 60: past 30 s a site is better retried next run
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0  # default 1: two parallel requests per site at most

# -- Close conditions ---------------------------------------------------------------------
CLOSESPIDER_TIMEOUT = 6 * 3600  # default 0 (never): a run must end even if a site hangs
CLOSESPIDER_ITEMCOUNT = 0  # `aggregator crawl --max-articles N` sets this

# -- Concurrency and downloads ------------------------------------------------------------
CONCURRENT_REQUESTS = 16  # Scrapy default, stated because the per-domain cap depends on it
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # default 8: news portals are shared infrastructure
COOKIES_ENABLED = False  # news pages need no session; avoids tracking and consent loops
DNS_TIMEOUT = 15  # default 60
DOWNLOAD_DELAY = 0.25  # floor under AutoThrottle (default 0)
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # default 1 GiB: no article page or feed is this big
DOWNLOAD_TIMEOUT = 30  # default 180: a hung site must not stall the run
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024  # default 32 MiB
REDIRECT_MAX_TIMES = 5  # default 20: news URLs redirect once or twice (http->https, amp)
RETRY_ENABLED = True
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"  # default ERROR: the spider's errback logs the one line
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]  # Scrapy's default list
RETRY_TIMES = 2  # Scrapy default; RetryAfterMiddleware spaces the retries out

# -- Security (docs/topics/security.rst) --------------------------------------------------
# Only http(s): crawled URLs come from untrusted feeds, so no file:, data:, ftp: or s3:.
DOWNLOAD_HANDLERS: dict[str, Any] = {"file": None, "data": None, "ftp": None, "s3": None}
REMOTE_CONTROL_ENABLED = False  # newer Scrapy's local control port: unused here
TELNETCONSOLE_ENABLED = False  # default True: an open local console we never use
TWISTED_DNS_RESOLVER = "aggregator.middlewares.SafeResolver"  # SSRF check at connect time
URLLENGTH_LIMIT = 2083  # Scrapy default, matched by the discovery URL filter

# -- Identity and politeness --------------------------------------------------------------
ROBOTSTXT_OBEY = True  # Scrapy's default is False; we always honour robots.txt
USER_AGENT = (
    "aggregator/0.1 (+https://github.com/aggregator-id/aggregator; Indonesian news research)"
)

# -- Components ---------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt (100): a refused host gets no request at all, not even robots.txt.
    "aggregator.middlewares.SafeDestinationMiddleware": 50,
    # Scrapy's robots.txt handling, except that a 5xx robots.txt disallows all (RFC 9309).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "aggregator.middlewares.RobotsPolicyMiddleware": 100,
    # After RetryMiddleware (550) in request order, so it sees 429/503 responses first.
    "aggregator.middlewares.RetryAfterMiddleware": 560,
    "aggregator.incremental.middleware.IncrementalMiddleware": 120,  # skip before any work
    # First of all: after SIGINT/SIGTERM no request reaches the network (aggregator.interrupt).
    "aggregator.interrupt.glue.InterruptMiddleware": 10,
    # Before decompression (590) in response order: a gzip body cut short is retried.
    "aggregator.truncation.TruncatedGzipMiddleware": 595,
    # Next to the downloader: every exchange as received; off unless AGGREGATOR_ARCHIVE_DIR.
    "aggregator.archive.middleware.ArchiveMiddleware": 950,
}
EXTENSIONS = {
    "aggregator.extensions.CrawlProgress": 500,
    "aggregator.extensions.RobotsErrorLog": 510,
    "aggregator.interrupt.glue.InterruptExtension": 520,
    "aggregator.download_size.OversizeMarker": 530,  # a size cancel is `too_large` (issue 12)
    "aggregator.health_extension.SourceHealthMetrics": 540,
}
ITEM_PIPELINES = {
    "aggregator.pipelines.validate.ValidatePipeline": 100,
    "aggregator.pipelines.clean.CleanPipeline": 200,
    "aggregator.pipelines.dates.DatesPipeline": 300,
    "aggregator.pipelines.dedup.DedupPipeline": 400,
    "aggregator.pipelines.store.StorePipeline": 500,
}

# -- Feed exports and logging -------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"  # default escapes non-ASCII in JSON
LOG_FORMATTER = "aggregator.extensions.OneLineLogFormatter"  # a drop is one line, no item dump
LOG_LEVEL = "INFO"  # default DEBUG logs every request

# -- Aggregator ---------------------------------------------------------------------------
AGGREGATOR_ARCHIVE_DIR = None  # WARC directory; `crawl --archive DIR` sets it (archive)
AGGREGATOR_MAX_ARTICLE_PAGES = 20  # pages followed per multi-page article (spider)
AGGREGATOR_MAX_CRAWL_DELAY = 30.0  # longest robots.txt Crawl-delay honoured, seconds (middlewares)
AGGREGATOR_MAX_SITEMAPS = 500  # sitemaps fetched per run, index recursion included (spider)
AGGREGATOR_OBEY_CRAWL_DELAY = True  # False ignores robots.txt Crawl-delay (middlewares)
AGGREGATOR_PROGRESS_CALLBACK = None  # callable(dict) called on progress (extensions)
AGGREGATOR_PROGRESS_INTERVAL = 0.5  # seconds between progress callbacks (extensions)
AGGREGATOR_RETRY_AFTER_MAX = 120.0  # longest Retry-After honoured, seconds (middlewares)
AGGREGATOR_SOURCE_NAMES: dict[str, str] = {}  # "host[:port][/path]" -> source name (article)
AGGREGATOR_SSRF_ALLOW_PRIVATE = False  # True lets any crawl reach private hosts (middlewares)
AGGREGATOR_VALIDATE_MIN_BODY_CHARS = 1  # shorter bodies are dropped (pipelines.validate)
AGGREGATOR_DEAD_LETTER_DIR = None  # dead-letter folder; default beside the SQLite file (store)
AGGREGATOR_INTERRUPT_FORCE_TIMEOUT = 5.0  # s a forced stop may spend storing (interrupt)
AGGREGATOR_INTERRUPT_GRACE = 10.0  # s from the first signal to the forced stop (interrupt)
DATABASE_URL = None  # else `--db`, $AGGREGATOR_DATABASE_URL, ./data/aggregator.db (config)
