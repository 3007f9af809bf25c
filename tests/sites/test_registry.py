"""The registry: look-ups, duplicate detection, spec validation, URL ownership."""

from __future__ import annotations

import pytest

from aggregator.exceptions import ConfigError
from aggregator.sites import SITES, all_sites, get_site, select_sites, site_for_url
from aggregator.sites.base import IndexPage, SiteSpec
from aggregator.sites.registry import build_registry

REQUIRED = [
    "detik",
    "kompas",
    "tribunnews",
    "cnnindonesia",
    "cnbcindonesia",
    "liputan6",
    "antaranews",
    "tempo",
    "okezone",
    "suara",
    "republika",
    "merdeka",
    "viva",
    "sindonews",
    "kumparan",
    "idntimes",
    "jpnn",
    "kapanlagi",
    "wowkeren",
    "mediaindonesia",
    "jakartapost",
    "jakartaglobe",
    "tempoen",
]


def test_every_required_portal_is_registered() -> None:
    assert set(REQUIRED) <= set(SITES)
    assert [s.name for s in all_sites()] == sorted(SITES)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://news.detik.com/berita/d-6453785/x", "detik"),
        ("https://DETIK.COM/", "detik"),
        ("https://jateng.tribunnews.com/2023/01/01/x", "tribunnews"),
        ("https://www.serambinews.com/2023/01/01/x", "tribunnews"),
        ("https://makassar.tribunnews.com/2023/01/01/x", "tribun-wita"),
        ("https://papua.tribunnews.com/2023/01/01/x", "tribun-wit"),
        ("http://en.tempo.co/read/1234567/x", "tempoen"),
        ("http://gaya.tempo.co/read/1234567/x", "tempo"),
        ("http://thejakartaglobe.beritasatu.com/news/x/", "jakartaglobe"),
        ("https://example.com/read/2023/01/01/1/x", None),
        ("https://notdetik.com/berita/d-6453785/x", None),
        ("https://detik.com.evil.example/berita/d-6453785/x", None),
        ("not a url", None),
        ("http://[::1/", None),
    ],
)
def test_site_for_url(url: str, name: str | None) -> None:
    spec = site_for_url(url)
    assert (spec.name if spec else None) == name


def test_get_site_is_case_insensitive_and_lists_names_on_error() -> None:
    assert get_site(" Kompas ").name == "kompas"
    with pytest.raises(ConfigError, match=r"unknown site 'nope'.*detik.*kompas"):
        get_site("nope")


def test_duplicate_name_fails() -> None:
    a = SiteSpec(name="a", domains=("a.example",))
    with pytest.raises(ConfigError, match="duplicate site name 'a'"):
        build_registry([a, SiteSpec(name="a", domains=("b.example",))])


def test_duplicate_domain_fails() -> None:
    a = SiteSpec(name="a", domains=("a.example",))
    with pytest.raises(ConfigError, match="claimed by both 'a' and 'b'"):
        build_registry([a, SiteSpec(name="b", domains=("x.example", "a.example"))])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "Bad Name", "domains": ("a.example",)},
        {"name": "a", "domains": ()},
        {"name": "a", "domains": ("www.a.example",)},
        {"name": "a", "domains": ("nodot",)},
        {"name": "a", "domains": ("a.example",), "timezone": "Mars/Olympus"},
        {"name": "a", "domains": ("a.example",), "article_patterns": ("(",)},
        {"name": "a", "domains": ("a.example",), "feeds": ("ftp://a.example/rss",)},
        {"name": "a", "domains": ("a.example",), "index_pages": (IndexPage("/indeks?p={page}"),)},
    ],
)
def test_bad_spec_fails_at_construction(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        SiteSpec(**kwargs)  # type: ignore[arg-type]


def test_is_article_url_filters() -> None:
    spec = SiteSpec(
        name="x",
        domains=("x.example",),
        article_patterns=(r"^/read/\d+",),
        exclude_patterns=(r"/video/",),
        exclude_hosts=("tv.x.example",),
    )
    assert spec.is_article_url("https://www.x.example/read/12")
    assert spec.is_article_url("https://news.x.example/read/12")
    assert not spec.is_article_url("https://x.example/video/read/12")
    assert not spec.is_article_url("https://x.example/read/12/video/")
    assert not spec.is_article_url("https://tv.x.example/read/12")
    assert not spec.is_article_url("https://y.example/read/12")
    assert not spec.is_article_url("ftp://x.example/read/12")
    assert not spec.is_article_url("https://x.example/tag/12")


def test_index_page_pagination() -> None:
    assert IndexPage("https://x.example/i?p={page}", max_pages=3).urls() == [
        "https://x.example/i?p=1",
        "https://x.example/i?p=2",
        "https://x.example/i?p=3",
    ]
    assert IndexPage("https://x.example/i").urls() == ["https://x.example/i"]


def test_every_spec_has_discovery_and_a_timezone() -> None:
    for spec in SITES.values():
        assert spec.discovery_count >= 1, spec.name
        assert spec.start_urls(), spec.name
        for url in spec.start_urls():
            # Feeds may sit on a sibling host (en.tempo.co's feed is on rss.tempo.co).
            assert site_for_url(url) is not None, (spec.name, url)


def test_select_sites_expands_all_and_comma_lists() -> None:
    assert [s.name for s in select_sites(["kompas,detik", "kompas"])] == ["kompas", "detik"]
    assert [s.name for s in select_sites(["all"])] == sorted(SITES)
    assert select_sites([" ", ""]) == []
    with pytest.raises(ConfigError, match="unknown site 'nope'"):
        select_sites(["detik,nope"])


# Links read off the saved index pages in tests/fixtures/id-news/pages, labelled by hand.
@pytest.mark.parametrize(
    ("url", "is_article"),
    [
        ("http://regional.kompas.com/read/xml/2016/02/23/14505601/Pilkada.Kalteng.Diundur", True),
        ("http://indeks.kompas.com/?p=6", False),
        ("http://tekno.kompas.com/gallery", False),
        (
            "https://food.detik.com/foto-kuliner/d-6383886/bearology-cafe-berkonsep-teddy-bear",
            False,
        ),
        ("https://travel.detik.com/detiktv/d-6384006/mitos-letusan-gunung-api", False),
        ("https://www.detik.com/tag/ferdy-sambo", False),
        ("https://finance.detik.com/berita-ekonomi-bisnis/d-6383972/ini-dia-dokter-terkaya", True),
        ("http://video.liputan6.com/news/video-kades-di-bandung-tewas-2437216", False),
        ("http://www.liputan6.com/indeks/2016/02/11", False),
        ("https://m.liputan6.com/bisnis/read/4687648/10-perusahaan-duduki-peringkat", True),
        ("https://m.merdeka.com/company/disclaimer.html", False),
        ("https://www.merdeka.com/trending/hebat-deretan-3-anak-hercules-kuliah.html", True),
        ("https://www.merdeka.com/peristiwa/kasus-covid.html?utm_source=rss&utm_medium=feed", True),
        ("https://www.merdeka.com/foto/artis/1365290/20211018091515-potret-prilly.html", False),
        ("http://news.okezone.com/topic/15187/gempa-jakarta", False),
        (
            "http://bola.okezone.com/read/2015/11/05/261/1244194/pep-puas-balas-dendam-ke-arsenal",
            True,
        ),
        ("http://www.tempo.co/read/kolom/2015/11/02/2327/restorasi-maritim-minus-kebijakan", True),
        ("http://www.tempo.co/read/bbc/sport/2015/11/05/41189247/bayern-muenchen-menggilas", True),
        ("http://rss.tempo.co/index.php/teco/news/feed", False),
        ("https://en.tempo.co/read/beritafoto/35757/Unidentified-Bodies-are-Exhumed", False),
        ("http://en.tempo.co/read/news/2015/11/03/055715339/Mount-Merapi-Forest-Fire", True),
        ("http://www.viva.co.id/indeks?page=1", False),
        ("http://bola.viva.co.id/news/read/736130-6-klub-tak-terkenal-ini-pernah-juara", True),
    ],
)
def test_links_from_saved_index_pages(url: str, is_article: bool) -> None:
    spec = site_for_url(url)
    assert spec is not None
    assert spec.is_article_url(url) is is_article
