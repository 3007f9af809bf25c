"""SSRF guard, Retry-After backoff and failure reasons, called hook by hook (no network)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy import exceptions as exc
from scrapy.core.downloader import Slot
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TimeoutError
from twisted.python.failure import Failure

from aggregator.discovery.http import retry_after_seconds
from aggregator.extensions import failure_reason, failure_status
from aggregator.middlewares import (
    RetryAfterMiddleware,
    SafeDestinationMiddleware,
    SafeResolver,
    UnsafeDestination,
    address_category,
    host_port,
)


def guard(start_hosts: set[tuple[str, int]] | None = None) -> SafeDestinationMiddleware:
    """A guard whose crawl started on `start_hosts`."""
    crawler = get_crawler()
    crawler.stats.open_spider()
    crawler.spider = SimpleNamespace(start_hosts=start_hosts or set())  # type: ignore[assignment]
    return SafeDestinationMiddleware.from_crawler(crawler)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://Example.COM./a", ("example.com", 80)),
        ("https://example.com/a", ("example.com", 443)),
        ("http://127.0.0.1:8080/", ("127.0.0.1", 8080)),
        ("http://[::1]:81/", ("::1", 81)),
        ("http://good.example@127.0.0.1/", ("127.0.0.1", 80)),
        ("file:///etc/passwd", None),
        ("data:text/html,hi", None),
        ("http://[::1/", None),
        ("http://host:99999/", None),
    ],
)
def test_host_port(url: str, expected: tuple[str, int] | None) -> None:
    assert host_port(url) == expected


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("169.254.169.254", "link_local"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "private"),  # carrier-grade NAT: not global
        ("fd00::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("93.184.216.34", None),
        ("2606:2800:220:1:248:1893:25c8:1946", None),
        ("example.com", "invalid"),
    ],
)
def test_address_category(address: str, category: str | None) -> None:
    assert address_category(address) == category


BLOCKED = [
    ("http://127.0.0.1:8080/", "loopback"),
    ("http://127.0.0.1:9999/other-port", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "link_local"),
    ("http://10.0.0.1/", "private"),
    ("http://100.64.0.1/", "private"),
    ("http://good.example@127.0.0.1/", "loopback"),
    ("http://localhost:8080/", "loopback"),  # a host name resolving to loopback
    ("http://2130706433/", "loopback"),  # decimal form of 127.0.0.1
    ("http://0177.0.0.1/", "loopback"),  # octal form
    ("file:///etc/passwd", "bad_url"),
]


@pytest.mark.parametrize(("url", "category"), BLOCKED)
def test_guard_blocks_non_public_destinations(url: str, category: str) -> None:
    mw = guard(start_hosts={("127.0.0.1", 1234)})
    with pytest.raises(UnsafeDestination):
        asyncio.run(mw.process_request(Request(url)))
    stats = mw.crawler.stats.get_stats()  # type: ignore[union-attr]
    assert stats["ssrf/blocked"] == 1
    assert stats[f"ssrf/blocked/{category}"] == 1


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:1234/feed.xml", "http://127.0.0.1:1234/redirect?to=x",
     "http://93.184.216.34/"],
)
def test_guard_allows_start_hosts_and_public_literals(url: str) -> None:
    mw = guard(start_hosts={("127.0.0.1", 1234)})
    assert asyncio.run(mw.process_request(Request(url))) is None
    assert "ssrf/blocked" not in mw.crawler.stats.get_stats()  # type: ignore[union-attr]


def test_unsafe_destination_is_an_ignore_request() -> None:
    assert issubclass(UnsafeDestination, IgnoreRequest)


def test_guard_can_be_switched_off() -> None:
    crawler = get_crawler(settings_dict={"AGGREGATOR_SSRF_ALLOW_PRIVATE": True})
    with pytest.raises(NotConfigured):
        SafeDestinationMiddleware.from_crawler(crawler)


NOW = datetime(2024, 3, 15, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (b"5", 5.0),
        (" 7 ", 7.0),
        ("Fri, 15 Mar 2024 12:00:30 GMT", 30.0),
        ("Fri, 15 Mar 2024 11:00:00 GMT", 0.0),  # in the past: retry now
        ("", None),
        (None, None),
        ("soon", None),
        ("-5", None),
    ],
)
def test_retry_after_seconds(value: str | bytes | None, seconds: float | None) -> None:
    assert retry_after_seconds(value, now=NOW) == seconds


class FakeDownloader:
    """Just enough of Scrapy's Downloader for the backoff middleware."""

    def __init__(self) -> None:
        self.slots = {"example.com": Slot(concurrency=2, delay=0.25, jitter=0.5)}

    def get_slot_key(self, request: Request) -> str:
        return "example.com"


def backoff(cap: float = 120.0) -> tuple[RetryAfterMiddleware, Slot]:
    """A middleware wired to a fake downloader, and the slot it adjusts."""
    crawler = get_crawler(settings_dict={"AGGREGATOR_RETRY_AFTER_MAX": cap})
    crawler.stats.open_spider()
    downloader = FakeDownloader()
    crawler.engine = SimpleNamespace(downloader=downloader)  # type: ignore[assignment]
    return RetryAfterMiddleware.from_crawler(crawler), downloader.slots["example.com"]


@pytest.mark.parametrize(
    ("status", "headers", "meta", "min_wait"),
    [
        (429, {"Retry-After": "10"}, {}, 10.0),
        (503, {"Retry-After": "3"}, {}, 3.0),
        (429, {}, {}, 1.0),  # no header: base 1 s
        (503, {}, {"retry_times": 2}, 4.0),  # exponential: 1 * 2**2
        (429, {"Retry-After": "9999"}, {}, 120.0),  # capped
    ],
)
def test_backoff_raises_slot_delay(status: int, headers: dict[str, str],
                                   meta: dict[str, Any], min_wait: float) -> None:
    mw, slot = backoff()
    request = Request("https://example.com/a", meta=meta)
    response = Response(request.url, status=status, headers=headers, request=request)
    assert mw.process_response(request, response) is response
    shortest = slot.delay * (1 - slot.jitter)  # the smallest draw of the jittered delay
    assert shortest == pytest.approx(min_wait)
    assert mw.crawler.stats.get_value("retry_after/backoff") == 1  # type: ignore[union-attr]


def test_backoff_counts_capping_and_ignores_other_statuses() -> None:
    mw, slot = backoff(cap=5)
    request = Request("https://example.com/a")
    ok = Response(request.url, status=200, request=request)
    assert mw.process_response(request, ok) is ok
    assert slot.delay == 0.25
    busy = Response(request.url, status=429, headers={"Retry-After": "60"}, request=request)
    mw.process_response(request, busy)
    assert mw.crawler.stats.get_value("retry_after/capped") == 1  # type: ignore[union-attr]
    assert slot.delay * (1 - slot.jitter) == pytest.approx(5.0)


def _http_error(status: int) -> Failure:
    response = Response("https://example.com/a", status=status)
    return Failure(HttpError(response, "Ignoring non-200 response"))


@pytest.mark.parametrize(
    ("failure", "reason", "status"),
    [
        (_http_error(404), "http_404", 404),
        (_http_error(500), "http_500", 500),
        (Failure(DNSLookupError("x")), "dns_error", None),
        (Failure(TimeoutError()), "timeout", None),
        (Failure(ConnectionRefusedError()), "connection_refused", None),
        (Failure(IgnoreRequest("Forbidden by robots.txt")), "robots_forbidden", None),
        (Failure(UnsafeDestination("x")), "ssrf_blocked", None),
        (Failure(IgnoreRequest("other")), "ignored", None),
        (Failure(exc.CannotResolveHostError("x.test resolves to a non-public address "
                                            "(loopback); refused")), "ssrf_blocked", None),
        (Failure(ValueError("x")), "value_error", None),
        (Failure(exc.CannotResolveHostError("x")), "dns_error", None),
        (Failure(exc.DownloadConnectionRefusedError("x")), "connection_refused", None),
        (Failure(exc.DownloadTimeoutError("x")), "timeout", None),
        (Failure(exc.DownloadFailedError("x")), "connection_lost", None),
        (Failure(exc.ResponseDataLossError("x")), "data_loss", None),
        (Failure(exc.DownloadCancelledError("Received 99 bytes which is larger than download "
                                            "max size (10) in request <GET x>.")),
         "too_large", None),
        (Failure(IgnoreRequest("Ignored response <200 x> because its body (1 B compressed, "
                               "9 B decompressed so far) exceeded DOWNLOAD_MAXSIZE (5 B)")),
         "too_large", None),
        (Failure(IgnoreRequest("max redirections reached")), "too_many_redirects", None),
        (Failure(exc.DownloadCancelledError("user cancelled")), "cancelled", None),
        (Failure(UnsafeDestination("unsafe destination (loopback): http://x/robots.txt")),
         "ssrf_blocked", None),
    ],
)
def test_failure_reason(failure: Failure, reason: str, status: int | None) -> None:
    assert failure_reason(failure) == reason
    assert failure_status(failure) == status


@pytest.mark.parametrize(
    ("address", "name", "allowed"),
    [
        ("93.184.216.34", "example.com", True),
        ("127.0.0.1", "rebind.example", False),
        ("10.1.2.3", "intranet.example", False),
        ("169.254.169.254", "metadata.example", False),
        ("127.0.0.1", "mirror.local", True),  # a start host name of the running crawl
        ("127.0.0.1", "MIRROR.local.", True),
        ("127.0.0.1", "127.0.0.1", True),  # IP literals are the middleware's job
        ("10.0.0.1", "::ffff:10.0.0.1", True),
    ],
)
def test_resolver_refuses_non_public_answers(address: str, name: str, allowed: bool) -> None:
    from aggregator import middlewares

    middlewares._START_NAMES.add("mirror.local")
    try:
        if allowed:
            assert SafeResolver.check(address, name) == address
        else:
            with pytest.raises(DNSLookupError, match="non-public"):
                SafeResolver.check(address, name)
            assert middlewares.refused_by_resolver(f"http://{name}:8080/x")
    finally:
        middlewares._START_NAMES.discard("mirror.local")


def test_guard_registers_start_names_for_the_resolver() -> None:
    from aggregator import middlewares

    mw = guard(start_hosts={("mirror.local", 80)})
    mw.spider_opened()
    assert "mirror.local" in middlewares._START_NAMES
    mw.spider_closed()
    assert "mirror.local" not in middlewares._START_NAMES


def test_backoff_survives_autothrottle_lowering_the_delay() -> None:
    mw, slot = backoff()
    request = Request("https://example.com/a")
    busy = Response(request.url, status=429, headers={"Retry-After": "30"}, request=request)
    mw.process_response(request, busy)
    slot.delay = 0.5  # what AutoThrottle does after a fast 200 on the same site
    ok = Response(request.url, status=200, request=request)
    mw.process_response(request, ok)
    assert slot.delay * (1 - slot.jitter) == pytest.approx(30.0, abs=0.5)


def test_backoff_ends_when_its_time_is_over() -> None:
    mw, slot = backoff()
    request = Request("https://example.com/a")
    busy = Response(request.url, status=503, headers={"Retry-After": "0"}, request=request)
    mw.process_response(request, busy)
    slot.delay = 0.25
    mw.process_response(request, Response(request.url, status=200, request=request))
    assert slot.delay == 0.25
    assert mw._until == {}
