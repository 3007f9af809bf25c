"""The guards themselves, without a crawl: bounded gunzip, address checks, shipped settings."""

from __future__ import annotations

import tracemalloc

import pytest

from aggregator import settings
from aggregator.discovery import TooLargeError
from aggregator.discovery.xmlsafe import maybe_gunzip
from aggregator.middlewares import address_category, host_port
from tests.reliability.helpers import HOSTILE

pytestmark = pytest.mark.timeout(60)

MIB = 1024 * 1024


@pytest.mark.timeout(30)
def test_gunzip_stops_at_the_limit_without_inflating_the_bomb() -> None:
    bomb = (HOSTILE / "bombs/sitemap-bomb-8m.xml.gz").read_bytes()
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError):
            maybe_gunzip(bomb, limit=MIB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * MIB  # the 8 MiB document was never held in memory
    assert len(maybe_gunzip(bomb, limit=16 * MIB)) > 8 * MIB  # and the bomb is real


@pytest.mark.parametrize(("address", "category"), [
    ("127.0.0.2", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("169.254.169.254", "link_local"), ("fe80::1%eth0", "link_local"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("100.64.0.1", "private"), ("fc00::1", "private"), ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"), ("8.8.8.8", None), ("2001:4860:4860::8888", None),
    ("103.3.60.1", None), ("not-an-ip", "invalid"),
])  # fmt: skip
def test_address_categories(address: str, category: str | None) -> None:
    assert address_category(address) == category


@pytest.mark.parametrize(("url", "expected"), [
    ("http://good.example@127.0.0.1:8080/x", ("127.0.0.1", 8080)),  # userinfo is not the host
    ("https://KOMPAS.com./a", ("kompas.com", 443)),
    ("http://[::1]/a", ("::1", 80)),
    ("file:///etc/passwd", None), ("ftp://127.0.0.1/", None), ("javascript:alert(1)", None),
    ("http://127.0.0.1:99999/", None), ("http:///nohost", None),
])  # fmt: skip
def test_host_port_sees_the_real_destination(url: str, expected: tuple[str, int] | None) -> None:
    assert host_port(url) == expected


def test_shipped_settings_are_hardened() -> None:
    assert all(settings.DOWNLOAD_HANDLERS[s] is None for s in ("file", "data", "ftp", "s3"))
    assert settings.TELNETCONSOLE_ENABLED is False
    assert settings.REMOTE_CONTROL_ENABLED is False
    assert settings.ROBOTSTXT_OBEY is True
    assert 1 <= settings.REDIRECT_MAX_TIMES <= 10
    assert 0 < settings.DOWNLOAD_TIMEOUT <= 60
    assert 0 < settings.DNS_TIMEOUT <= 60
    assert settings.CLOSESPIDER_TIMEOUT > 0  # a run always ends
    assert settings.AGGREGATOR_SSRF_ALLOW_PRIVATE is False
    assert "aggregator.middlewares.SafeDestinationMiddleware" in settings.DOWNLOADER_MIDDLEWARES
    assert settings.TWISTED_DNS_RESOLVER == "aggregator.middlewares.SafeResolver"
    assert settings.AGGREGATOR_MAX_SITEMAPS > 0
