"""SeenUrls: a set of URLs that keeps digests, for the spider's scheduled-URL memory."""

from __future__ import annotations

import pytest

from aggregator.discovery.seen import SeenUrls

URLS = [
    "https://news.detik.com/berita/d-7000001/judul",
    "https://news.detik.com/berita/d-7000001/judul?page=2",
    "https://www.kompas.com/read/2025/01/01/123/judul",
    "https://www.kompas.com/read/2025/01/01/123/judul/",  # differs by one slash
    "https://example.id/berita/é-ünïcode",
    "https://example.id/\udcff-lone-surrogate",  # never crashes the spider
]


def test_membership_as_a_set_of_the_same_urls() -> None:
    seen = SeenUrls(URLS[:2])
    assert len(seen) == 2
    for url in URLS:
        assert (url in seen) == (url in URLS[:2])
    seen.update(URLS)
    assert len(seen) == len(URLS)
    assert all(url in seen for url in URLS)
    seen.add(URLS[0])  # again: still one entry
    assert len(seen) == len(URLS)


@pytest.mark.parametrize("other", [None, 7, b"https://news.detik.com/berita/d-7000001/judul"])
def test_non_strings_are_never_members(other: object) -> None:
    assert other not in SeenUrls(URLS)


def test_memory_per_url_is_a_fraction_of_the_strings() -> None:
    """On news-length URLs (90 characters) a digest costs 49 bytes against the string's
    139; the set's own table is the same size either way."""
    import sys

    urls = [f"https://news.example.co.id/berita/read/2025/01/01/{100000 + i}/"
            f"judul-berita-yang-cukup-panjang-{i}" for i in range(20_000)]  # fmt: skip
    seen = SeenUrls(urls)
    digests = seen._digests
    held = sys.getsizeof(digests) + sum(sys.getsizeof(d) for d in digests)
    strings = sys.getsizeof(set(urls)) + sum(sys.getsizeof(u) for u in urls)
    assert (strings - held) / len(urls) >= 85  # bytes saved per URL
