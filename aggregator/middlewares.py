"""Downloader middlewares: the SSRF guard and Retry-After aware backoff.

`SafeDestinationMiddleware` refuses requests to private, loopback, link-local and other
non-public addresses, checking IP literals and the resolved addresses of host names, for
every request including redirects (a redirect is a new request through this chain).  The
crawl's own start hosts (host and port) are allowed: a user who points a crawl at a local
mirror means it.  Off with `AGGREGATOR_SSRF_ALLOW_PRIVATE = True`.

`SafeResolver` (the `TWISTED_DNS_RESOLVER`) repeats the address check when the
downloader itself resolves a host name, so a name that resolved to a public address for
the guard and to a private one at connection time (DNS rebinding) is still refused.

`RobotsPolicyMiddleware` replaces Scrapy's robots.txt middleware: a robots.txt that
answers 5xx means "disallow all" (RFC 9309) rather than "allow all", and a `Crawl-delay`
(capped by `AGGREGATOR_MAX_CRAWL_DELAY`) becomes a floor under the delay of that host's
download slot (`aggregator.crawl_delay`).  Off with `AGGREGATOR_OBEY_CRAWL_DELAY = False`.

`RetryAfterMiddleware` runs before Scrapy's RetryMiddleware sees a 429/503: it honours
`Retry-After` (seconds or HTTP date, capped by `AGGREGATOR_RETRY_AFTER_MAX`) or backs off
exponentially, by raising the download delay of that site's slot, so the retry and every
other request to the site wait.  Off with `AGGREGATOR_RETRY_AFTER_ENABLED = False`.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Sequence
from typing import Any, Final

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError
from twisted.internet.threads import deferToThread

from aggregator.crawl_delay import CrawlDelayFloors
from aggregator.discovery.http import retry_after_seconds
from aggregator.discovery.urls import address_category, host_port

log = logging.getLogger(__name__)

#: What a robots.txt answering 5xx stands for (RFC 9309: complete disallow).
DISALLOW_ALL: Final = b"User-agent: *\nDisallow: /\n"
#: Meta key the spider sets on requests to one of its own start hosts.
START_HOST_META: Final = "aggregator_start_host"
_MAX_CACHE: Final = 4096


class UnsafeDestination(IgnoreRequest):
    """A request to a private/loopback/non-public destination was refused."""


async def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (empty when it does not resolve); never blocks."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # a non-asyncio Twisted reactor: resolve on a thread instead
        loop = None
    try:
        if loop is not None:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        else:
            lookup = deferToThread(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
            infos = await maybe_deferred_to_future(lookup)
    except (OSError, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


#: Host names of the running crawl's start URLs: the resolver lets these resolve anywhere.
_START_NAMES: set[str] = set()
#: Host names the resolver refused (bounded), so failures can be reported as SSRF blocks.
_REFUSED_NAMES: set[str] = set()


class SafeResolver(CachingThreadedResolver):
    """Scrapy's caching resolver that refuses non-public answers for other host names."""

    def __init__(self, reactor: Any, cache_size: int, timeout: float, *, enabled: bool) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> SafeResolver:
        """Same settings as Scrapy's resolver, plus AGGREGATOR_SSRF_ALLOW_PRIVATE."""
        settings = crawler.settings
        size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, size, settings.getfloat("DNS_TIMEOUT"),
                   enabled=not settings.getbool("AGGREGATOR_SSRF_ALLOW_PRIVATE"))  # fmt: skip

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # Twisted API
        """Resolve as Scrapy does, then refuse a non-public address (cached answers too)."""
        deferred = super().getHostByName(name, timeout)
        if self.enabled:
            deferred.addCallback(self.check, name)
        return deferred

    @staticmethod
    def check(address: str, name: str) -> str:
        """`address` if `name` may use it; DNSLookupError for a non-public one.

        IP literals pass: they involve no lookup to rebind, and the middleware has
        already judged them together with their port.
        """
        host = name.lower().rstrip(".")
        category = address_category(address)
        if category is None or host in _START_NAMES or address_category(host) != "invalid":
            return address
        if len(_REFUSED_NAMES) < _MAX_CACHE:
            _REFUSED_NAMES.add(host)
        raise DNSLookupError(f"{name} resolves to a non-public address ({category}); refused")


def refused_by_resolver(url: str) -> bool:
    """True when SafeResolver refused the URL's host name (Twisted reports a DNS error)."""
    target = host_port(url)
    return target is not None and target[0] in _REFUSED_NAMES


class SafeDestinationMiddleware:
    """Refuse requests whose destination is not a public address (SSRF guard)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self._cache: dict[tuple[str, int], str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SafeDestinationMiddleware:
        """Build from settings; NotConfigured when private destinations are allowed."""
        if crawler.settings.getbool("AGGREGATOR_SSRF_ALLOW_PRIVATE"):
            raise NotConfigured("AGGREGATOR_SSRF_ALLOW_PRIVATE is on")
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_opened(self, spider: Any = None) -> None:
        """Tell the resolver which host names are the crawl's own."""
        self._names = {host for host, _ in self._start_hosts()}
        _START_NAMES.update(self._names)

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        """Forget this crawl's start host names."""
        _START_NAMES.difference_update(getattr(self, "_names", set()))

    def _start_hosts(self) -> set[tuple[str, int]]:
        """The crawl's own start hosts, as the spider declared them."""
        spider = self.crawler.spider
        return set(getattr(spider, "start_hosts", ()) or ())

    async def process_request(self, request: Request) -> None:
        """Raise `UnsafeDestination` unless the request goes to a public address."""
        target = host_port(request.url)
        if target is None:
            self._block(request, "bad_url")
        assert target is not None  # for the type checker: _block raises
        if target in self._start_hosts():
            return None
        verdict = await self._verdict(*target)
        if verdict is not None:
            self._block(request, verdict)
        return None

    async def _verdict(self, host: str, port: int) -> str | None:
        """Category of the destination ('loopback'...), None when public; cached per host."""
        key = (host, port)
        if key in self._cache:
            return self._cache[key]
        literal = address_category(host.strip("[]"))
        if literal != "invalid":
            verdict = literal  # an IP literal: no lookup needed
        else:
            addresses = await resolve(host, port)
            # Unresolvable hosts are left to the downloader, which reports a DNS error.
            verdict = next((c for a in addresses if (c := address_category(a))), None)
        if len(self._cache) < _MAX_CACHE:
            self._cache[key] = verdict
        return verdict

    def _block(self, request: Request, category: str) -> None:
        """Count, log one line and refuse the request."""
        assert self.stats is not None
        self.stats.inc_value("ssrf/blocked")
        self.stats.inc_value(f"ssrf/blocked/{category}")
        log.warning("Refused %s: destination is %s (SSRF guard)", request.url, category)
        raise UnsafeDestination(f"unsafe destination ({category}): {request.url}")


class RobotsPolicyMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's rule for server errors, and Crawl-delay.

    A robots.txt answering 5xx (after the retries) means "disallow everything" for this
    run instead of Scrapy's "allow everything"; 4xx still means "no rules" (RFC 9309 2.3.1).
    A `Crawl-delay` for our user agent (or `*`) spaces the host's requests by at least
    that many seconds, at most `AGGREGATOR_MAX_CRAWL_DELAY`; Scrapy parses but ignores it.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # Scrapy parses Crawl-delay but ignores it; this obeys it (unless turned off).
        self._crawl_delays = CrawlDelayFloors.from_crawler(crawler)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        """Swap a 5xx answer for a disallow-all file, then parse as Scrapy does."""
        if 500 <= response.status <= 599:
            self._stats.inc_value("robotstxt/server_error_disallow")
            log.warning("robots.txt of %s answered %s: not crawling that host this run",
                        netloc, response.status)  # fmt: skip
            response = response.replace(body=DISALLOW_ALL)
        await super()._parse_robots(response, netloc, request)


class RetryAfterMiddleware:
    """Slow a site down on 429/503: honour Retry-After (capped) or back off exponentially."""

    def __init__(self, crawler: Crawler, *, cap: float, base: float, codes: set[int]) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.cap, self.base, self.codes = cap, base, codes
        self._until: dict[str, float] = {}  # slot key -> monotonic time its back-off ends

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        """Build from settings; NotConfigured when disabled."""
        settings = crawler.settings
        if not settings.getbool("AGGREGATOR_RETRY_AFTER_ENABLED", True):
            raise NotConfigured("AGGREGATOR_RETRY_AFTER_ENABLED is off")
        return cls(
            crawler,
            cap=settings.getfloat("AGGREGATOR_RETRY_AFTER_MAX", 120.0),
            base=settings.getfloat("AGGREGATOR_RETRY_BACKOFF_BASE", 1.0),
            codes={int(c) for c in settings.getlist("AGGREGATOR_RETRY_AFTER_CODES", [429, 503])},
        )

    def process_response(self, request: Request, response: Response) -> Response:
        """Raise the site's delay before the retry middleware reschedules the request."""
        if response.status not in self.codes:
            # AutoThrottle lowers the delay after every success; keep a pending back-off.
            self._hold_slot(request)
            return response
        header = retry_after_seconds(response.headers.get("Retry-After"))
        attempt = int(request.meta.get("retry_times", 0))
        wanted = header if header is not None else self.base * (2**attempt)
        delay = min(wanted, self.cap)
        assert self.stats is not None
        self.stats.inc_value("retry_after/backoff")
        if wanted > self.cap:
            self.stats.inc_value("retry_after/capped")
        key = self._slow_slot(request, delay)
        if key is not None:
            self._until[key] = max(self._until.get(key, 0.0), time.monotonic() + delay)
            log.info("Backing off %s for %.1fs after HTTP %s", key, delay, response.status)
        return response

    def _slot(self, request: Request) -> tuple[str, Any] | None:
        """(key, slot) of the downloader slot the request belongs to, if it exists."""
        downloader: Any = getattr(self.crawler.engine, "downloader", None)
        if downloader is None:
            return None
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        return None if slot is None else (key, slot)

    def _slow_slot(self, request: Request, delay: float) -> str | None:
        """Make the slot wait at least `delay` seconds from now; returns the slot key."""
        found = self._slot(request)
        if found is None:
            return None
        key, slot = found
        # Jitter may shorten a delay by up to `jitter`; scale so even the shortest draw waits.
        slot.delay = max(slot.delay, delay / max(1.0 - slot.jitter, 0.1))
        slot.lastseen = time.monotonic()  # the wait starts now (the downloader's clock)
        return str(key)

    def _hold_slot(self, request: Request) -> None:
        """Re-impose what is left of a slot's back-off after AutoThrottle lowered it."""
        found = self._slot(request)
        if found is None or found[0] not in self._until:
            return
        remaining = self._until[found[0]] - time.monotonic()
        if remaining <= 0:
            del self._until[found[0]]
            return
        self._slow_slot(request, remaining)
