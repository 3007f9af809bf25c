"""A loopback news site spread over several hosts, with slow pages and a server-side log.

Article i lives on host `i % len(hosts)`; each host serves `/robots.txt`, a sitemap index
`/sitemap.xml` of its own articles (children of at most 1,000 URLs) and the article pages,
generated on demand (`aggregator.demo.synthetic` markup, so 100,000 pages cost no disk).
Article pages answer after `delay` seconds.  The server measures what the issue asks the
tests to check: hits per article path, and the most requests in progress at once per host.
Used by tests/frontier and bench/bench_workers.py.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final

from aggregator.demo.synthetic import WIB, _article_html, _make_article

CHILD_SIZE: Final = 1000
ARTICLE_ID: Final = re.compile(r"^/berita/read/\d{4}/\d{2}/\d{2}/(\d+)/")
START: Final = dt.datetime(2025, 1, 1, 6, 0, tzinfo=WIB)


def article(i: int) -> tuple[str, str]:
    """(path, html with `{{BASE_URL}}`) of article number `i`, the same on every call."""
    rng = random.Random(i)
    published = START + dt.timedelta(minutes=7 * i)
    art = _make_article(rng, i, published)
    return art.path, _article_html(rng, art, i)


class SlowSite:
    """`n` articles over `hosts` (loopback addresses); use as a context manager."""

    def __init__(self, n: int, hosts: list[str], *, delay: float = 0.2,
                 crawl_delay: float | None = None) -> None:  # fmt: skip
        self.n = n
        self.hosts = hosts
        self.delay = delay
        self.crawl_delay = crawl_delay  # robots.txt Crawl-delay, when set
        self.arrivals: dict[str, list[float]] = {}  # host:port -> article GET arrival times
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()  # article path -> GETs
        self.other_hits: Counter[str] = Counter()  # robots, sitemaps, unknown paths
        self.active: Counter[str] = Counter()  # host:port -> requests in progress
        self.peak: Counter[str] = Counter()  # host:port -> most in progress at once
        self.first_hit: float | None = None  # time.monotonic() of the first article GET
        self.last_hit: float | None = None  # ... and of the last one answered
        self.servers: list[ThreadingHTTPServer] = []
        self.threads: list[threading.Thread] = []

    # -- lifecycle -------------------------------------------------------------------
    def __enter__(self) -> SlowSite:
        for index, host in enumerate(self.hosts):
            handler = type("_Handler", (_Handler,), {"site": self, "host_index": index})
            server = ThreadingHTTPServer((host, 0), handler)
            server.daemon_threads = True
            server.request_queue_size = 128
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                      daemon=True)  # fmt: skip
            thread.start()
            self.servers.append(server)
            self.threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    # -- addresses -------------------------------------------------------------------
    def base(self, index: int) -> str:
        host, port = self.servers[index].server_address[:2]
        return f"http://{host}:{port}"

    @property
    def sitemaps(self) -> list[str]:
        """One sitemap index per host."""
        return [self.base(i) + "/sitemap.xml" for i in range(len(self.hosts))]

    def articles_of(self, index: int) -> range:
        return range(index, self.n, len(self.hosts))

    def all_paths(self) -> list[str]:
        return [article(i)[0] for i in range(self.n)]

    def min_span(self, gaps: int) -> float:
        """The shortest time in which one host received `gaps` + 1 article GETs."""
        with self.lock:
            spans = [times[i + gaps] - times[i] for times in map(sorted, self.arrivals.values())
                     for i in range(len(times) - gaps)]  # fmt: skip
        return min(spans, default=float("inf"))

    def fewest_hosts(self, window: int, upto: int) -> int:
        """The fewest distinct hosts among `window` consecutive article GETs, over the
        first `upto` GETs: 1 means that for a while only one host was being crawled."""
        with self.lock:
            order = [h for _, h in sorted((t, h) for h, ts in self.arrivals.items() for t in ts)]
        order = order[:upto]
        return min((len(set(order[i:i + window])) for i in range(len(order) - window + 1)),
                   default=0)  # fmt: skip

    def max_peak(self) -> int:
        with self.lock:
            return max(self.peak.values(), default=0)

    # -- pages -----------------------------------------------------------------------
    def sitemap_index(self, index: int) -> bytes:
        count = len(self.articles_of(index))
        children = "".join(f"<sitemap><loc>{self.base(index)}/sitemap-{k}.xml</loc></sitemap>"
                           for k in range(0, count, CHILD_SIZE))  # fmt: skip
        return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns='
                f'"http://www.sitemaps.org/schemas/sitemap/0.9">{children}</sitemapindex>').encode()

    def child_sitemap(self, index: int, first: int) -> bytes:
        ids = list(self.articles_of(index))[first:first + CHILD_SIZE]
        urls = "".join(f"<url><loc>{self.base(index)}{article(i)[0]}</loc></url>" for i in ids)
        return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns='
                f'"http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode()

    def article_page(self, index: int, path: str) -> bytes | None:
        found = ARTICLE_ID.match(path)
        if not found:
            return None
        i = int(found.group(1)) - 100000
        if not 0 <= i < self.n or i % len(self.hosts) != index:
            return None
        real_path, html = article(i)
        if real_path != path:
            return None
        return html.replace("{{BASE_URL}}", self.base(index)).encode()


class _Handler(BaseHTTPRequestHandler):
    site: SlowSite
    host_index: int
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        site, key = self.site, self.headers.get("Host", "?")
        with site.lock:
            site.active[key] += 1
            site.peak[key] = max(site.peak[key], site.active[key])
        try:
            status, ctype, body = self._answer(site)
        finally:
            # Done before the response is written: once a client has read it, it may
            # hand its host token on, and the next request must not find this one
            # still counted (a false "3 at once" under a limit of 2).
            with site.lock:
                site.active[key] -= 1
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, site: SlowSite) -> tuple[int, str, bytes]:
        """(status, content type, body) of this GET, after the page's delay."""
        path = self.path.split("?", 1)[0]
        body: bytes | None
        ctype = "application/xml"
        if path == "/robots.txt":
            rules = "User-agent: *\nAllow: /\n"
            if site.crawl_delay is not None:
                rules += f"Crawl-delay: {site.crawl_delay}\n"
            body, ctype = rules.encode(), "text/plain"
        elif path == "/sitemap.xml":
            body = site.sitemap_index(self.host_index)
        elif (m := re.match(r"^/sitemap-(\d+)\.xml$", path)) is not None:
            body = site.child_sitemap(self.host_index, int(m.group(1)))
        else:
            body, ctype = site.article_page(self.host_index, path), "text/html; charset=utf-8"
            if body is not None:
                with site.lock:
                    site.first_hit = site.first_hit or time.monotonic()
                    site.arrivals.setdefault(self.headers.get("Host", "?"), []).append(
                        time.monotonic())
                time.sleep(site.delay)
                with site.lock:
                    site.hits[path] += 1
                    site.last_hit = time.monotonic()
        if body is None:
            with site.lock:
                site.other_hits[path] += 1
            body, status = b"not found", 404
        else:
            status = 200
            if not path.startswith("/berita/"):
                with site.lock:
                    site.other_hits[path] += 1
        return status, ctype, body
