"""Network faults in one crawl: every URL ends stored, duplicate, dropped or failed, with a reason.

Self-listing sitemap index, redirect loops (A->A, A->B->A, meta refresh), a
self-redirect to the same URL with its query reordered (scrapy#1225), a server that
hangs after the headers, a connection dropped mid-body, a broken chunked body, a 429
with Retry-After, a 503 then 200, a connection closed without an answer.
"""

from __future__ import annotations

import pytest

from aggregator.mirror import MirrorRequest, MirrorServer, Reply
from tests.mockserver import fault_routes
from tests.reliability.helpers import HOSTILE, article_route, crawl, hostile_mirror
from tests.reliability.rawserver import RawServer
from tests.scorecard import record

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
META_LOOP = (b'<html><head><meta http-equiv="refresh" content="0; url=/metaloop">'
             b"<title>Mengalihkan...</title></head><body>Mengalihkan...</body></html>")


def _xml(body: str) -> Reply:
    return Reply(200, body.encode(), content_type="application/xml")


def _self_index(base: str) -> Reply:
    """A sitemap index that lists itself next to one real child sitemap."""
    return _xml(f'<?xml version="1.0"?><sitemapindex xmlns="{SITEMAP_NS}">'
                f"<sitemap><loc>{base}/self-index.xml</loc></sitemap>"
                f"<sitemap><loc>{base}/child.xml</loc></sitemap></sitemapindex>")  # fmt: skip


def _child(base: str) -> Reply:
    return _xml(f'<?xml version="1.0"?><urlset xmlns="{SITEMAP_NS}">'
                f"<url><loc>{base}/article/sitemap</loc></url>"
                f"<url><loc>{base}/article/sitemap</loc></url></urlset>")  # fmt: skip


def _reordered(request: MirrorRequest) -> Reply:
    """`?a=1&b=2` redirects to `?b=2&a=1` (same Scrapy fingerprint), which is the article."""
    if request.target.endswith("?a=1&b=2"):
        return Reply(301, b"", {"Location": "/selfq?b=2&a=1"})
    return article_route("Uji Coba Pengalihan Kueri Terbalik", 7)(request)


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Run the one crawl; return its outcome with the URLs it was given."""
    # The 429 comes from its own host: its Retry-After slows that host only, as intended.
    with hostile_mirror() as server, RawServer() as raw, MirrorServer(
        HOSTILE, routes=fault_routes(), host="127.0.0.2"
    ) as limiter:
        base = server.base_url
        server.add_route("/self-index.xml", lambda r: _self_index(base))
        server.add_route("/child.xml", lambda r: _child(base))
        server.add_route("/article/sitemap", article_route("Artikel dari Peta Situs", 1))
        server.add_route("/selfq", _reordered)
        server.add_route("/metaloop", lambda r: Reply(200, META_LOOP))
        server.add_route("/ping", lambda r: Reply(302, b"", {"Location": "/pong"}))
        server.add_route("/pong", lambda r: Reply(302, b"", {"Location": "/ping"}))
        urls = {
            "loop": server.url("/loop"),
            "metaloop": server.url("/metaloop"),
            "ping": server.url("/ping"),
            "reordered": server.url("/selfq?a=1&b=2"),
            "hang": raw.url("/hang"),
            "partial": raw.url("/partial"),
            "chunked": raw.url("/bad-chunked"),
            "limited": limiter.url("/status/429?retry_after=1"),
            "flaky": server.url("/flaky/1/pages/broken-markup.html"),
            "drop": server.url("/drop"),
            "missing": server.url("/no-such-page"),
        }
        args = [a for u in urls.values() for a in ("--url", u)]
        run = crawl(tmp_path_factory.mktemp("faults"), *args,
                    "--sitemap", server.url("/self-index.xml"),
                    "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=1")  # fmt: skip
        hits = {p: server.hits(p) for p in ("/self-index.xml", "/child.xml", "/article/sitemap",
                                            "/loop", "/metaloop")}  # fmt: skip
        hits["/status/429"] = limiter.hits("/status/429")
        hits["hang"] = raw.hits["/hang"]
    return {"run": run, "urls": urls, "hits": hits, "base": base}


def test_crawl_finishes_cleanly(faults: dict) -> None:
    run = faults["run"]
    assert run.rc == 0, run.output
    assert run.stats["finish_reason"] == "finished"
    assert "Traceback" not in run.output


def test_every_start_url_has_an_outcome(faults: dict) -> None:
    run, urls, base = faults["run"], faults["urls"], faults["base"]
    failed = run.failed()
    expected_failures = {
        "loop": {"too_many_redirects"}, "metaloop": {"too_many_redirects"},
        "hang": {"timeout"},
        "partial": {"data_loss", "connection_lost"},
        "chunked": {"data_loss", "connection_lost"}, "limited": {"http_429"},
        "drop": {"connection_lost"}, "missing": {"http_404"},
    }  # fmt: skip
    for name, reasons in expected_failures.items():
        assert failed.get(urls[name]) in reasons, (name, failed.get(urls[name]))
    # The A->B->A loop is recorded once, under the URL asked for (checked below), not a hop.
    assert base + "/pong" not in failed
    titles = {r["title"] for r in run.rows("articles")}
    assert titles == {"Artikel dari Peta Situs", "Uji Coba Pengalihan Kueri Terbalik",
                      "Warga Bogor Gotong Royong Bersihkan Sungai Ciliwung"}  # fmt: skip
    assert not {urls["reordered"], urls["flaky"]} & set(failed)
    # Nothing silently lost: failures counted in the stats match the failed table.
    assert run.stat("spider/failed") == len(expected_failures) + 1
    assert run.stat_sum("spider/failed/article/") == len(failed) == len(expected_failures) + 1
    record("malformed", "transport faults (loops, hang, partial, bad chunking, 429, drop, 404)",
           urls=len(urls), stored=len(titles), failed_with_reason=len(failed), lost=0,
           crashes=0)  # fmt: skip


def test_redirect_loop_failure_is_recorded_under_the_requested_url(faults: dict) -> None:
    run, urls = faults["run"], faults["urls"]
    assert run.failed().get(urls["ping"]) == "too_many_redirects"


def test_self_listing_sitemap_index_is_fetched_once(faults: dict) -> None:
    run, hits = faults["run"], faults["hits"]
    assert hits["/self-index.xml"] == 1
    assert hits["/child.xml"] == 1
    assert hits["/article/sitemap"] == 1  # listed twice, fetched once
    assert run.stat("discovery/sitemap_repeated") == 1
    # Listed twice in one sitemap: counted like a repeat across documents (issue 12, item 6).
    assert run.stat("discovery/duplicate_url") == 1


def test_loops_and_retries_are_bounded(faults: dict) -> None:
    run, hits = faults["run"], faults["hits"]
    assert hits["/loop"] == 6  # the request + REDIRECT_MAX_TIMES (5) redirects
    assert hits["/metaloop"] == 6  # a meta refresh to itself obeys the same cap
    assert hits["/status/429"] == 2  # RETRY_TIMES=1
    assert hits["hang"] == 2  # the timeout is retried once, then given up
    assert run.stat("retry_after/backoff") >= 2  # the 429 twice, the 503 once
    record("redirects", "A->A loop, meta-refresh loop", hops_before_stop=hits["/loop"] - 1,
           redirect_max_times=5, silent_drops=0)  # fmt: skip
    record("timeouts", "hang after headers (DOWNLOAD_TIMEOUT=3, RETRY_TIMES=1)",
           attempts=hits["hang"], bound_attempts=2,
           outcome=run.failed()[faults["urls"]["hang"]])  # fmt: skip


def test_crawl_run_is_recorded(faults: dict) -> None:
    run = faults["run"]
    runs = run.rows("crawl_runs")
    assert len(runs) == 1
    assert runs[0]["finish_reason"] == "finished"
    assert runs[0]["items_stored"] == 3
    sources = run.rows("crawl_run_sources")
    assert sum(r["items_stored"] for r in sources) == 3
    assert sum(r["fetch_failures"] for r in sources) == run.stat("spider/failed")
