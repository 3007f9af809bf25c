"""Every page and its JSON twin on SQLite and PostgreSQL; read-only; headers; /metrics."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.migrate import upgrade
from aggregator.web.app import create_app
from aggregator.web.schedules import list_schedules, scheduler_lag_seconds
from aggregator.web.security import CSP


def pages(ids: dict[str, Any]) -> list[str]:
    """Every HTML page of the seeded database."""
    last_run = ids["runs"]["KabarTimur.id"][-1]
    return ["/", "/sources/KabarTimur.id", "/sources/Sepi%20News", "/runs", "/runs?page=2",
            f"/runs/{last_run}", f"/articles/{ids['revised']}", f"/articles/{ids['story']}",
            "/clusters", "/search?q=banjir", "/search?q=banjir&source=Lama+Pos",
            "/schedules"]  # fmt: skip


@pytest.fixture
def client(seeded: dict[str, Any]) -> TestClient:
    """A test client on the seeded database."""
    return TestClient(create_app(seeded["url"]))


def test_every_page_and_its_json(client: TestClient, seeded: dict[str, Any]) -> None:
    for path in pages(seeded["ids"]):
        html = client.get(path)
        assert html.status_code == 200, (path, html.text[:500])
        assert html.headers["content-type"].startswith("text/html")
        assert html.headers["content-security-policy"] == CSP
        assert "<script>" not in html.text  # only <script src=...>: no inline script
        api_path = "/api/overview" if path == "/" else "/api" + path
        data = client.get(api_path)
        assert data.status_code == 200, api_path
        assert isinstance(data.json(), dict)


def test_overview_verdicts(client: TestClient) -> None:
    rows = {r["source"]: r for r in client.get("/api/overview").json()["sources"]}
    assert {k: r["status"] for k, r in rows.items()} == {
        "Warta Nusantara": "ok", "KabarTimur.id": "degraded", "Sepi News": "failing",
        "Lama Pos": "stale", "Baru.id": "never run"}  # fmt: skip
    assert "median body length 180 chars, usual 2,394" in rows["KabarTimur.id"]["reasons"]
    stored = rows["Warta Nusantara"]["spark"]["stored"]
    assert stored == [38 + (i * 5) % 7 for i in range(14)]  # oldest first, as seeded
    assert rows["Warta Nusantara"]["spark"]["baseline"] == 41  # median of the earlier runs
    assert rows["Warta Nusantara"]["coverage"]["author"] == pytest.approx(0.9)
    assert rows["Sepi News"]["failed_fetches"] == 1
    order = [r["source"] for r in client.get("/api/overview").json()["sources"]]
    assert order[0] == "Sepi News"  # worst first


def test_source_page_data(client: TestClient) -> None:
    data = client.get("/api/sources/KabarTimur.id").json()
    assert data["verdict"]["status"] == "degraded"
    assert data["series"]["body"][-1] == 180
    assert data["series"]["stored"][:3] == [38, 43, 41]  # oldest first, as seeded
    assert "baca-juga" in data["series"]["rules"]
    assert data["status_mix"]["404"] == 14  # one per run
    assert data["freshness"]["articles"] >= 5
    assert data["freshness"]["p50_seconds"] > 0  # first seen after publication


def test_article_revisions_aliases_and_cluster(client: TestClient, seeded: dict[str, Any]) -> None:
    revised = client.get(f"/api/articles/{seeded['ids']['revised']}").json()
    assert [r["revision"] for r in revised["revisions"]] == [1]
    diff = revised["revisions"][0]["diff"]
    assert any(d["kind"] == "del" and "Isi berita" in d["text"] for d in diff)
    assert any(d["kind"] == "add" and "Isi baru berita" in d["text"] for d in diff)
    assert [a["url"].endswith("utm_source=feed") for a in revised["aliases"]] == [True]
    story = client.get(f"/api/articles/{seeded['ids']['story']}").json()
    assert {c["source"] for c in story["cluster"]} == {"KabarTimur.id", "Lama Pos"}
    clusters = client.get("/api/clusters").json()["clusters"]
    assert clusters[0]["outlets"] == 3


def test_search_uses_the_search_engine_and_filters(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "banjir garut"}).json()["hits"]
    assert {h["source"] for h in hits} == {"Warta Nusantara", "KabarTimur.id", "Lama Pos"}
    only = client.get("/api/search", params={"q": "banjir", "source": "Lama Pos"}).json()
    assert [h["source"] for h in only["hits"]] == ["Lama Pos"]
    bad = client.get("/api/search", params={"q": "banjir", "since": "kemarin"})
    assert bad.status_code == 400
    assert "invalid date" in bad.json()["error"]


def test_missing_things_are_404(client: TestClient) -> None:
    for path in ("/sources/nobody", "/runs/999999", "/articles/999999"):
        assert client.get(path).status_code == 404
        assert client.get("/api" + path).status_code == 404
    assert client.get("/nothing-here").status_code == 404


def test_schedules_empty_without_jobs(engine: Any, db_url: str) -> None:
    empty = TestClient(create_app(db_url))
    assert empty.get("/api/schedules").json() == {"schedules": []}
    assert "No scheduled jobs." in empty.get("/schedules").text


def test_schedules_empty_without_a_schedules_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    engine = make_engine(url)
    upgrade(engine, "0003")  # before scheduled jobs existed
    with session_factory(engine)() as session:
        assert list_schedules(session) == []
        assert scheduler_lag_seconds(session, dt.datetime.now(dt.UTC)) == {}


def test_only_get_and_head(client: TestClient) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        for path in ("/", "/api/overview", "/metrics", "/runs/1", "/static/app.css"):
            response = client.request(method, path)
            assert response.status_code == 405, (method, path)
            assert response.headers["allow"] == "GET, HEAD"
    assert client.head("/").status_code == 200
    assert client.head("/metrics").status_code == 200


def test_metrics_parse_and_match_the_verdicts(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200
    families = {f.name: f for f in text_string_to_metric_families(response.text)}
    status = {(s.labels["source"], s.labels["status"]): s.value
              for s in families["aggregator_source_status"].samples}  # fmt: skip
    assert status[("Sepi News", "failing")] == 1
    assert status[("Sepi News", "ok")] == 0
    assert status[("KabarTimur.id", "degraded")] == 1
    assert status[("Baru.id", "never run")] == 1
    stored = {s.labels["source"]: s.value
              for s in families["aggregator_source_last_run_articles_stored"].samples}
    assert stored["Sepi News"] == 0
    assert stored["Warta Nusantara"] == 38 + (13 * 5) % 7
    failures = {(s.labels["source"], s.labels["reason"]): s.value
                for s in families["aggregator_source_last_run_fetch_failures"].samples}
    assert failures[("Sepi News", "timeout")] == 12
    articles = {s.labels["source"]: s.value for s in families["aggregator_source_articles"].samples}
    assert articles["Baru.id"] == 4
    assert "aggregator_source_last_success_timestamp_seconds" in families
    assert "aggregator_source_last_run_duration_seconds" in families
    assert "aggregator_scheduler_lag_seconds" in families  # empty without jobs


def test_static_assets_are_served(client: TestClient) -> None:
    js = client.get("/static/vendor/uPlot.iife.min.js")
    assert js.status_code == 200
    assert "uPlot" in js.text
    assert client.get("/static/charts.js").status_code == 200


def test_runs_show_the_scheduler_trigger(client: TestClient, seeded: dict[str, Any]) -> None:
    warta = seeded["ids"]["runs"]["Warta Nusantara"]
    listed = {r["id"]: r for r in client.get("/api/runs?page=1").json()["runs"]}
    scheduled = listed[warta[-1]]["trigger"]
    assert (scheduled["job"], scheduled["trigger"]) == ("warta-hourly", "schedule")
    assert listed[warta[-2]]["trigger"] == {"job": None, "job_id": None, "trigger": "manual"}
    detail = client.get(f"/api/runs/{warta[-1]}").json()
    assert detail["run"]["trigger"]["job"] == "warta-hourly"
    assert "warta-hourly (schedule)" in client.get("/runs").text
    assert "warta-hourly (schedule)" in client.get(f"/runs/{warta[-1]}").text


def test_schedules_page_lists_the_jobs(client: TestClient, seeded: dict[str, Any]) -> None:
    jobs = client.get("/api/schedules").json()["schedules"]
    assert [j["name"] for j in jobs] == ["warta-hourly"]
    assert jobs[0]["cadence"] == "cron 0 * * * *"
    assert "warta-hourly" in client.get("/schedules").text


def test_a_vanished_database_is_a_503_with_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/gone.db"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = create_app(url)
    client = TestClient(app)
    assert client.get("/api/overview").status_code == 200
    (tmp_path / "gone.db").unlink()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"gone.db{suffix}").unlink(missing_ok=True)
    app.app.state.dashboard.engine.dispose()  # pooled connections would keep the old file
    response = client.get("/api/overview")
    assert response.status_code == 503
    assert response.json()["error"]
    assert "\n" not in response.json()["error"]
    assert client.get("/").status_code == 503
