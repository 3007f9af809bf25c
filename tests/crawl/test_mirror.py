"""The loopback mirror server: files, content types, conditional GET, hits and fault routes."""

from __future__ import annotations

import gzip
import http.client
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from aggregator.mirror import MirrorServer, Reply, content_type_for
from tests.mockserver import SITE_DIR, make_mirror


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET `url` and return (status, headers, body) without raising on HTTP errors."""
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/feed.xml", "application/xml"),
        ("/a/b.html", "text/html; charset=utf-8"),
        ("/read/2024/03/14/1/judul", "text/html; charset=utf-8"),
        ("/sitemap.xml.gz", "application/gzip"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/x.atom", "application/atom+xml"),
    ],
)
def test_content_type_by_extension(path: str, expected: str) -> None:
    assert content_type_for(path) == expected


def test_serves_files_with_base_url_filled_in(mirror: MirrorServer) -> None:
    status, headers, body = fetch(mirror.url("/feed.xml"))
    assert status == 200
    assert headers["Content-Type"] == "application/xml"
    assert b"{{BASE_URL}}" not in body
    assert mirror.url("/indeks").encode() in body


def test_gzip_served_raw_with_links_rewritten(mirror: MirrorServer) -> None:
    status, headers, body = fetch(mirror.url("/sitemap-archive.xml.gz"))
    assert status == 200
    assert headers["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in headers
    assert mirror.url("/berita/").encode() in gzip.decompress(body)


def test_query_selects_variant_file(mirror: MirrorServer) -> None:
    path = "/read/2024/03/15/08000031/mudik-lebaran-2024-ini-jadwal-lengkap-rekayasa-lalu-lintas"
    _, _, page1 = fetch(mirror.url(path))
    _, _, page2 = fetch(mirror.url(path + "?page=2"))
    _, _, other = fetch(mirror.url(path + "?utm_source=x"))
    assert b"Halaman 2 - Warta" in page2
    assert page1 != page2
    assert other == page1  # an unknown query falls back to the bare file


def test_conditional_get(mirror: MirrorServer) -> None:
    _, headers, _ = fetch(mirror.url("/atom.xml"))
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert fetch(mirror.url("/atom.xml"), {"If-None-Match": etag})[0] == 304
    assert fetch(mirror.url("/atom.xml"), {"If-None-Match": '"other"'})[0] == 200
    assert fetch(mirror.url("/atom.xml"), {"If-Modified-Since": last_modified})[0] == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert fetch(mirror.url("/atom.xml"), {"If-Modified-Since": old})[0] == 200
    assert fetch(mirror.url("/atom.xml"), {"If-Modified-Since": "garbage"})[0] == 200


@pytest.mark.parametrize("path", ["/nope.html", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"])
def test_missing_and_traversal_are_404(mirror: MirrorServer, path: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", mirror.port, timeout=10)
    conn.request("GET", path)  # raw target, so `..` is not normalised by a client
    assert conn.getresponse().status == 404
    conn.close()


def test_hits_are_counted_per_path_and_thread_safe(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("x")
    with MirrorServer(tmp_path) as server:
        workers = [
            threading.Thread(target=lambda: [fetch(server.url("/a.html?q=1")) for _ in range(5)])
            for _ in range(4)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
        assert server.hits("/a.html") == 20
        assert server.hits("/a.html?q=1") == 20
        assert server.total_hits() == 20
        server.reset_hits()
        assert server.hits("/a.html") == 0


def test_pluggable_route_and_prefix_match(tmp_path: Path) -> None:
    routes = {"/api/": lambda r: Reply(201, r.path.encode(), content_type="text/plain")}
    with MirrorServer(tmp_path, routes=routes) as server:
        assert fetch(server.url("/api/x/y"))[0:3:2] == (201, b"/api/x/y")
        server.add_route("/api/x/", lambda r: Reply(202, b"longest"))
        assert fetch(server.url("/api/x/y"))[0] == 202


def test_robots_txt_served_when_present(mirror: MirrorServer, tmp_path: Path) -> None:
    assert b"Disallow: /private/" in fetch(mirror.url("/robots.txt"))[2]
    with MirrorServer(tmp_path) as empty:
        assert fetch(empty.url("/robots.txt"))[0] == 404


@pytest.mark.parametrize(
    ("path", "status", "needle"),
    [
        ("/status/503?retry_after=7", 503, b"503"),
        ("/status/404", 404, b"404"),
        ("/delay/0.05", 200, b"slept"),
        ("/notxml", 200, b"<!DOCTYPE html>"),
        ("/challenge", 200, b"Checking your browser"),
        ("/redirect?to=/feed.xml", 302, b""),
    ],
)
def test_fault_routes(mirror: MirrorServer, path: str, status: int, needle: bytes) -> None:
    got_status, headers, body = fetch(mirror.url(path))
    assert got_status == status
    assert needle in body
    if "retry_after" in path:
        assert headers["Retry-After"] == "7"
    if path.startswith("/redirect"):
        assert headers["Location"] == "/feed.xml"


def test_drop_closes_without_response(mirror: MirrorServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", mirror.port, timeout=10)
    conn.request("GET", "/drop")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        conn.getresponse()
    conn.close()


def test_flaky_route_recovers() -> None:
    with make_mirror(SITE_DIR) as server:
        assert fetch(server.url("/flaky/2/robots.txt"))[0] == 503
        assert fetch(server.url("/flaky/2/robots.txt"))[0] == 503
        assert fetch(server.url("/flaky/2/robots.txt"))[0] == 200


def test_url_requires_started_server(tmp_path: Path) -> None:
    server = MirrorServer(tmp_path)
    with pytest.raises(RuntimeError):
        server.url("/")
