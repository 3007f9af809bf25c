"""`aggregator demo` and its bundled sample site; the synthetic benchmark site generator."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from aggregator.cli.main import main
from aggregator.demo.sample import (
    FEED_PATHS,
    OUTLETS,
    SITE_DIR,
    sample_server,
    source_names,
    start_urls,
)
from aggregator.demo.synthetic import (
    MAX_SPAN_DAYS,
    SITEMAP_SIZE,
    WIB,
    date_line,
    generate_site,
    publication_times,
)
from aggregator.discovery import parse_feed, parse_sitemap
from aggregator.mirror import MirrorServer
from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.migrate import ensure_schema
from aggregator.storage.models import Article

TWO_PAGE = "/warta/read/2022/01/10/harga-cabai-rawit-melonjak-jelang-imlek.html"
WARTA_BUS = "/warta/read/2022/01/12/pemkot-surabaya-uji-coba-bus-listrik-di-tiga-rute-baru.html"
KABAR_BUS = "/kabar/regional/read/2022/01/12/surabaya-uji-coba-bus-listrik-di-tiga-rute-baru.html"


@pytest.fixture(scope="module")
def site() -> Iterator[MirrorServer]:
    """The bundled sample site on 127.0.0.1:<ephemeral>."""
    with sample_server() as server:
        yield server


def get(url: str) -> tuple[int, bytes]:
    """GET a loopback URL: (status, body); 4xx/5xx come back as a status, not an error."""
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:  # loopback only
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def discovered(server: MirrorServer) -> list[str]:
    """Article URLs listed by the sample site's feed and sitemap."""
    urls = []
    for url in start_urls(server.base_url):
        status, body = get(url)
        assert status == 200, url
        links = parse_feed(body, url) if url.endswith("rss.xml") else parse_sitemap(body, url).links
        urls += [link.url for link in links]
    return urls


# -- the bundled sample site -------------------------------------------------------------

def test_site_is_package_data() -> None:
    assert SITE_DIR.is_dir()
    assert SITE_DIR.is_relative_to(Path(str(__import__("aggregator").__file__)).parent)
    for rel in ("robots.txt", "index.html", *[p.lstrip("/") for p in FEED_PATHS]):
        assert (SITE_DIR / rel).is_file(), rel


def test_feed_and_sitemap_list_every_article_once(site: MirrorServer) -> None:
    urls = discovered(site)
    assert len(urls) == len(set(urls)) == 7  # five Warta articles, two KabarTimur ones
    for url in urls:
        assert url.startswith(site.base_url + "/")
        status, body = get(url)
        assert status == 200, url
        assert b"{{BASE_URL}}" not in body
        assert b"application/ld+json" in body


def test_robots_names_the_sitemap(site: MirrorServer) -> None:
    status, body = get(site.url("/robots.txt"))
    assert status == 200
    sitemaps = re.findall(r"^Sitemap:\s*(\S+)", body.decode(), flags=re.MULTILINE)
    assert sitemaps == [site.url("/kabar/sitemap-news.xml")]
    assert get(sitemaps[0])[0] == 200


def test_two_page_article_links_its_second_page(site: MirrorServer) -> None:
    first = get(site.url(TWO_PAGE))[1].decode()
    second = get(site.url(TWO_PAGE + "?page=2"))[1].decode()
    assert f'rel="next" href="{site.url(TWO_PAGE)}?page=2"' in first
    assert "Halaman 2" in first
    assert first != second
    assert "(dp/rka)" in second
    assert "(dp/rka)" not in first


def test_syndicated_copy_shares_its_text(site: MirrorServer) -> None:
    def paragraphs(path: str) -> set[str]:
        page = get(site.url(path))[1].decode()
        return set(re.findall(r"<p>([^<]{80,})</p>", page))

    warta = paragraphs(WARTA_BUS)
    kabar = paragraphs(KABAR_BUS)
    assert len(warta & kabar) >= 4


def test_time_zones_on_show(site: MirrorServer) -> None:
    pages = "".join(get(url)[1].decode() for url in discovered(site))
    for zone in (" WIB<", " WITA<", " WIT<"):
        assert zone in pages, zone
    for boilerplate in ("Baca juga:", "ADVERTISEMENT", "(wk/tiar)", "<strong>Jakarta</strong> -"):
        assert boilerplate in pages, boilerplate


def test_outlet_names_are_the_pages_own(site: MirrorServer) -> None:
    """Each outlet's name is the og:site_name of every article it lists."""
    named: dict[str, set[str]] = {}
    for url in discovered(site):
        page = get(url)[1].decode()
        path = url.removeprefix(site.base_url)
        outlet = next(p for p in OUTLETS if path.startswith(p))
        named.setdefault(outlet, set()).update(
            re.findall(r'property="og:site_name" content="([^"]+)"', page)
        )
    assert named == {path: {name} for path, name in OUTLETS.items()}


def test_source_names_key_this_server() -> None:
    assert source_names("http://127.0.0.1:4321") == {
        "127.0.0.1:4321/warta/": "Warta Nusantara",
        "127.0.0.1:4321/kabar/": "KabarTimur.id",
    }


# -- the synthetic site of the crawl benchmark ---------------------------------------------

def test_synthetic_site_layout(tmp_path: Path) -> None:
    n = SITEMAP_SIZE + 7
    generated = generate_site(tmp_path, n, seed=3)
    assert len(generated.articles) == n
    assert len({a.path for a in generated.articles}) == n
    assert len({a.title for a in generated.articles}) == n
    index = (tmp_path / "sitemap.xml").read_bytes().replace(b"{{BASE_URL}}", b"http://h")
    children = [s.url for s in parse_sitemap(index, "http://h/sitemap.xml").sitemaps]
    assert children == ["http://h/sitemap-news-1.xml", "http://h/sitemap-news-2.xml"]
    total = 0
    for child in children:
        body = (tmp_path / child.removeprefix("http://h/")).read_bytes()
        total += len(parse_sitemap(body.replace(b"{{BASE_URL}}", b"http://h"), child).links)
    assert total == n
    for art in generated.articles[:: n // 5]:
        page = (tmp_path / art.path.lstrip("/")).read_text(encoding="utf-8")
        assert date_line(art.published) in page
        assert art.title in page


def test_synthetic_site_is_deterministic(tmp_path: Path) -> None:
    one = generate_site(tmp_path / "a", 30, seed=5)
    two = generate_site(tmp_path / "b", 30, seed=5)
    for a, b in zip(one.articles, two.articles, strict=True):
        assert a == b
        page = a.path.lstrip("/")
        assert (one.root / page).read_bytes() == (two.root / page).read_bytes()


def test_synthetic_bodies_are_not_near_duplicates(tmp_path: Path) -> None:
    generated = generate_site(tmp_path, 40, seed=9)

    def shingles(art_path: str) -> set[tuple[str, ...]]:
        page = (tmp_path / art_path.lstrip("/")).read_text(encoding="utf-8")
        words = " ".join(re.findall(r"<p>(.*?)</p>", page)).split()
        return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}

    sets = [shingles(a.path) for a in generated.articles]
    worst = max(
        len(x & y) / len(x | y) for i, x in enumerate(sets) for y in sets[i + 1 :]
    )
    assert worst < 0.3


@pytest.mark.parametrize("n", [1, 500, 50_000, 1_000_000])
def test_synthetic_dates_stay_in_the_past_however_many(n: int) -> None:
    dates = publication_times(n, random.Random(1))
    assert len(dates) == n
    assert dates == sorted(dates)
    assert dates[-1] - dates[0] <= dt.timedelta(days=MAX_SPAN_DAYS, minutes=30)
    assert dates[-1] < dt.datetime(2026, 1, 1, tzinfo=WIB)


def test_synthetic_site_rejects_empty() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate_site(Path("/nonexistent"), 0)


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        ("2022-01-08T15:40:00+07:00", "Sabtu, 08 Januari 2022 15:40 WIB"),
        ("2022-01-08T08:40:00+00:00", "Sabtu, 08 Januari 2022 15:40 WIB"),
        ("2025-12-31T17:30:00+00:00", "Kamis, 01 Januari 2026 00:30 WIB"),
    ],
)
def test_date_line(iso: str, expected: str) -> None:
    import datetime as dt

    assert date_line(dt.datetime.fromisoformat(iso)) == expected


# -- `aggregator demo` end to end (a real crawl in a subprocess) ----------------------------

#: Path of each sample article -> its publication instant in UTC (from the page's own
#: date line: WIB is UTC+7, WITA UTC+8, WIT UTC+9).
FIRST = "/warta/read/2022/01/08/banjir-rob-genangi-permukiman-pesisir-utara-jakarta.html"
TIMNAS = "/warta/read/2022/01/11/timnas-u23-menang-2-1-dalam-laga-uji-coba-di-bandung.html"
EXPECTED_UTC = {
    FIRST: "2022-01-08T08:40",
    "/warta/read/2022/01/09/ribuan-pengunjung-padati-festival-layang-layang-sanur.html":
        "2022-01-09T02:15",  # 10:15 WITA
    TWO_PAGE: "2022-01-10T02:05",
    TIMNAS: "2022-01-11T14:30",
    WARTA_BUS: "2022-01-12T06:00",
    KABAR_BUS: "2022-01-12T07:20",
    "/kabar/regional/read/2022/01/14/pelabuhan-jayapura-tambah-dua-crane.html":
        "2022-01-13T23:00",  # 08:00 WIT
}


@dataclass
class DemoResult:
    """One `aggregator demo` subprocess: its result, working dir and stored rows by path."""

    proc: subprocess.CompletedProcess[str]
    cwd: Path
    rows: dict[str, Article]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    """`aggregator demo --db sqlite:///<tmp>` once; its output and stored rows by URL path."""
    work = tmp_path_factory.mktemp("demo")
    db_url = f"sqlite:///{work / 'demo.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "aggregator.cli.main", "demo", "--db", db_url],
        capture_output=True, text=True, timeout=240, check=False, cwd=work,
        env={**os.environ, "COLUMNS": "200"},
    )
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            rows = list(session.scalars(select(Article)))
    finally:
        engine.dispose()
    by_path = {re.sub(r"^http://127\.0\.0\.1:\d+", "", r.url): r for r in rows}
    return DemoResult(result, work, by_path)


@pytest.mark.slow
def test_demo_stores_every_article_once(demo_run: DemoResult) -> None:
    assert demo_run.proc.returncode == 0, demo_run.proc.stderr[-2000:]
    assert set(demo_run.rows) == set(EXPECTED_UTC)
    assert "7 articles stored: 7 new" in demo_run.proc.stdout
    assert not (demo_run.cwd / "data").exists()  # --db given: no default database made


@pytest.mark.slow
def test_demo_names_each_outlet(demo_run: DemoResult) -> None:
    """Both outlets share 127.0.0.1, yet each is stored (and shown) under its own name."""
    sources = {path: row.source for path, row in demo_run.rows.items()}
    assert {s for p, s in sources.items() if p.startswith("/warta/")} == {"Warta Nusantara"}
    assert {s for p, s in sources.items() if p.startswith("/kabar/")} == {"KabarTimur.id"}
    assert "Warta Nusantara" in demo_run.proc.stdout
    assert "KabarTimur.id" in demo_run.proc.stdout


@pytest.mark.slow
def test_demo_stitches_the_two_page_article(demo_run: DemoResult) -> None:
    rows = demo_run.rows
    article = rows[TWO_PAGE]
    assert article.page_count == 2
    body = article.body or ""
    assert body.count("Harga cabai rawit merah di sejumlah pasar tradisional melonjak") == 1
    assert "Pedagang berharap harga kembali normal setelah musim panen" in body
    assert body.index("melonjak menjelang") < body.index("Dinas perdagangan setempat")
    for boilerplate in ("Baca juga", "ADVERTISEMENT", "SCROLL TO RESUME", "(dp/rka)", "Halaman 2"):
        assert boilerplate not in body, boilerplate
    assert "dp/rka" in article.credit_codes


@pytest.mark.slow
def test_demo_clusters_the_syndicated_copy(demo_run: DemoResult) -> None:
    rows = demo_run.rows
    assert rows[WARTA_BUS].cluster_id is not None
    assert rows[WARTA_BUS].cluster_id == rows[KABAR_BUS].cluster_id
    others = [r.cluster_id for p, r in rows.items() if p not in (WARTA_BUS, KABAR_BUS)]
    assert len(set(others)) == len(others)
    assert rows[WARTA_BUS].cluster_id not in others


@pytest.mark.slow
def test_demo_fields(demo_run: DemoResult) -> None:
    rows = demo_run.rows
    first = rows[FIRST]
    assert first.title == "Banjir Rob Genangi Permukiman Warga di Pesisir Utara Jakarta"
    assert first.authors == ["Rina Kartika"]
    assert "wk/tiar" in first.credit_codes
    assert "(wk/tiar)" not in (first.body or "")
    assert (first.body or "").rstrip().endswith("seiring turunnya permukaan air laut.")
    assert rows[TIMNAS].authors == ["Yoga Pratama", "Fajar Nugraha"]


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(EXPECTED_UTC))
def test_demo_dates(path: str, demo_run: DemoResult) -> None:
    """Each page's own zone (WIB, WITA, WIT) is believed, whatever the default zone."""
    published = demo_run.rows[path].published_at
    assert published == dt.datetime.fromisoformat(EXPECTED_UTC[path]).replace(tzinfo=dt.UTC)


def test_demo_fails_when_nothing_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db_url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = make_engine(db_url)
    ensure_schema(engine)
    engine.dispose()
    monkeypatch.setattr("aggregator.demo.runner.crawl_sample", lambda base, db: None)
    assert main(["demo", "--db", db_url]) == 2
    assert "stored no articles" in capsys.readouterr().err


@pytest.mark.slow
def test_keep_serving_serves_until_ctrl_c(tmp_path: Path) -> None:
    errors = (tmp_path / "stderr.txt").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "aggregator.cli.main", "demo", "--keep-serving",
         "--db", f"sqlite:///{tmp_path / 'demo.db'}"],
        stdout=subprocess.PIPE, stderr=errors, text=True, cwd=tmp_path,
    )
    try:
        assert proc.stdout is not None
        url = None
        for _ in range(500):  # bounded: the demo prints well under 100 lines
            line = proc.stdout.readline()
            if not line or line.startswith("Still serving "):
                url = line.split()[2] if line else None
                break
        assert url is not None, (tmp_path / "stderr.txt").read_text()[-2000:]
        status, body = get(url)
        assert status == 200
        assert b"Indeks Berita" in body
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        errors.close()


@pytest.mark.slow
def test_demo_again_into_the_same_database(demo_run: DemoResult) -> None:
    """A second run (new port, same pages) shows the same seven articles, stored once."""
    db_url = f"sqlite:///{demo_run.cwd / 'demo.db'}"
    again = subprocess.run(
        [sys.executable, "-m", "aggregator.cli.main", "demo", "--db", db_url],
        capture_output=True, text=True, timeout=240, check=False, cwd=demo_run.cwd,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert again.returncode == 0, again.stderr[-2000:]
    # The re-run says that nothing was new: the pages came back at new URLs (aliases).
    assert "7 articles stored: 0 new, 7 aliases of stored articles" in again.stdout
    assert "7 (0 new, 7 aliases of stored articles)" in again.stdout
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            assert len(session.scalars(select(Article)).all()) == 7
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("db_url", "message"),
    [
        ("mysql://u@h/db", "unsupported database URL"),
        ("postgresql://nobody@127.0.0.1:1/nothing", "cannot connect to the database"),
    ],
)
def test_demo_bad_database_is_one_line(db_url: str, message: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "aggregator.cli.main", "demo", "--db", db_url],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    assert lines[0].startswith("error: ")
    assert message in lines[0]
