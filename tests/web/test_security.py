"""The token, the bind rule and the `aggregator dashboard` / `aggregator health` commands."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from aggregator.cli.dashboard_cmd import check_bind
from aggregator.exceptions import InputError
from aggregator.storage.db import make_engine
from aggregator.storage.migrate import upgrade
from aggregator.web.app import create_app
from aggregator.web.security import is_loopback, token_matches

TOKEN = "s3cret-token"


def basic(user: str, password: str) -> str:
    """An HTTP basic Authorization header value."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(("header", "ok"), [
    (None, False), ("", False), (f"Bearer {TOKEN}", True), (f"bearer {TOKEN}", True),
    ("Bearer wrong", False), (f"Bearer {TOKEN}x", False), (basic("admin", TOKEN), True),
    (basic("", TOKEN), True), (basic(TOKEN, "x"), False), ("Basic !!notbase64", False),
    (f"Token {TOKEN}", False),
])  # fmt: skip
def test_token_matches(header: str | None, ok: bool) -> None:
    assert token_matches(header, TOKEN) is ok


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("0.0.0.0", False), ("::", False), ("192.168.1.10", False),
    ("dashboard.example.id", False),
])  # fmt: skip
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_non_loopback_bind_needs_a_token() -> None:
    check_bind("127.0.0.1", None)
    check_bind("0.0.0.0", TOKEN)
    with pytest.raises(InputError, match="--token"):
        check_bind("0.0.0.0", None)


def test_token_is_enforced_on_every_endpoint(seeded: dict[str, Any]) -> None:
    client = TestClient(create_app(seeded["url"], token=TOKEN))
    for path in ("/", "/api/overview", "/metrics", "/runs", "/static/charts.js",
                 "/sources/Warta%20Nusantara"):
        refused = client.get(path)
        assert refused.status_code == 401, path
        assert refused.headers["www-authenticate"].startswith("Basic")
        assert client.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401
        assert client.get(path, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert client.get(path, headers={"Authorization": basic("x", TOKEN)}).status_code == 200
    # A write verb is refused even with the token.
    assert client.post("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`aggregator ARGS` in a subprocess."""
    return subprocess.run([sys.executable, "-m", "aggregator.cli.main", *args],
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, **(env or {})})  # fmt: skip


def test_dashboard_refuses_a_public_bind_without_token(tmp_path: Path) -> None:
    result = run_cli("dashboard", "--db", f"sqlite:///{tmp_path}/x.db", "--host", "0.0.0.0")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: --host 0.0.0.0 is reachable from other machines: give --token TOKEN "
        "(or set AGGREGATOR_DASHBOARD_TOKEN)"]


def test_dashboard_without_database_is_one_line(tmp_path: Path) -> None:
    result = run_cli("dashboard", "--db", f"sqlite:///{tmp_path}/missing.db")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no database at" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_dashboard_command_serves_with_the_env_token(seeded: dict[str, Any]) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "aggregator.cli.main", "dashboard", "--db", seeded["url"],
         "--port", str(port)], env={**os.environ, "AGGREGATOR_DASHBOARD_TOKEN": TOKEN},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/api/overview"
        deadline = time.monotonic() + 30
        status = None
        while status is None:
            try:
                urllib.request.urlopen(url, timeout=2)
                status = 200
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "the dashboard did not start"
                time.sleep(0.2)
        assert status == 401  # the token from the environment is required
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert len(json.load(response)["sources"]) == 5
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_health_command_exit_code_and_json(seeded: dict[str, Any]) -> None:
    result = run_cli("health", "--db", seeded["url"], "--format", "json")
    assert result.returncode == 2, result.stderr  # one failing and one stale source
    verdicts = {v["source"]: v for v in json.loads(result.stdout)}
    assert verdicts["Sepi News"]["status"] == "failing"
    assert verdicts["KabarTimur.id"]["status"] == "degraded"
    table = run_cli("health", "--db", seeded["url"], env={"COLUMNS": "200"})
    assert table.returncode == 2
    assert "median body length 180 chars" in table.stdout


def test_old_database_is_a_one_line_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    engine = make_engine(url)
    upgrade(engine, "0003")  # before source health existed
    engine.dispose()
    for command in (["health"], ["dashboard", "--port", "0"]):
        result = run_cli(*command, "--db", url)
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().splitlines() == [
            "error: the database has no source health table (revision 0014_source_runs): "
            "run `aggregator db upgrade`"]
