"""The bundled sample site: where its files are and which URLs start a crawl of it.

The site (`aggregator/demo/site/`, package data) holds two fictional outlets on one
host: "Warta Nusantara" under `/warta/` (an RSS 2.0 feed) and "KabarTimur.id" under
`/kabar/` (a Google News sitemap, also named in `robots.txt`).  Files hold the
placeholder `{{BASE_URL}}`, which `aggregator.mirror` replaces with its own address.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from aggregator.mirror import MirrorServer

#: Root of the sample site inside the installed package.
SITE_DIR: Final = Path(__file__).resolve().parent / "site"
#: Discovery documents, one per outlet (paths on the mirror).
FEED_PATH: Final = "/warta/rss.xml"
SITEMAP_PATH: Final = "/kabar/sitemap-news.xml"
FEED_PATHS: Final = (FEED_PATH, SITEMAP_PATH)
#: The index page listing every article of both outlets.
INDEX_PATH: Final = "/index.html"
#: Each outlet's path on the mirror -> its name (the og:site_name its pages carry).
OUTLETS: Final = {"/warta/": "Warta Nusantara", "/kabar/": "KabarTimur.id"}


def site_dir() -> Path:
    """The sample site's root directory; raises if the package data is missing."""
    if not (SITE_DIR / "robots.txt").is_file():
        raise FileNotFoundError(f"sample site not found at {SITE_DIR} (broken install?)")
    return SITE_DIR


def start_urls(base_url: str) -> list[str]:
    """The feed and sitemap URLs a crawl of the sample site starts from."""
    base = base_url.rstrip("/")
    return [base + path for path in FEED_PATHS]


def source_names(base_url: str) -> dict[str, str]:
    """AGGREGATOR_SOURCE_NAMES for a crawl of the sample site served at `base_url`.

    Both outlets share the mirror's host, which would name both after it; the setting
    names them as the outlets do, keyed by this server's host, port and outlet path.
    """
    where = urlsplit(base_url).netloc
    return {where + path: name for path, name in OUTLETS.items()}


def sample_server(port: int = 0) -> MirrorServer:
    """A (not yet started) loopback server for the sample site."""
    return MirrorServer(site_dir(), port=port)
