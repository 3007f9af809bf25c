"""Frontier fixtures: the shared Redis (unique job names per test, never FLUSHALL),
a private Redis with persistence for restart tests, and PostgreSQL schemas."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aggregator.frontier.job import delete_job
from aggregator.frontier.keys import JobKeys
from tests.storage.dbs import pg_url  # noqa: F401  (fixture)

REDIS_URL = os.environ.get("AGGREGATOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
#: This suite's own port range for the Redis servers it starts.
PRIVATE_PORTS = range(61600, 61700)


def require_redis(url: str = REDIS_URL) -> Any:
    """A client for `url`; skip locally, fail under CI=true, when Redis is unreachable."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {url} is unreachable under CI=true")
        pytest.skip(f"Redis at {url} is unreachable (set CI=true to make this a failure)")
    return client


@pytest.fixture
def redis_url() -> str:
    """The shared test Redis (checked reachable)."""
    require_redis().close()
    return REDIS_URL


@pytest.fixture
def job_name(redis_url: str) -> Iterator[str]:
    """A unique job name; every key of the job is deleted afterwards."""
    name = "test-" + uuid.uuid4().hex[:12]
    yield name
    client = require_redis(redis_url)
    delete_job(client, JobKeys(name))
    client.close()


def _free_port() -> int:
    for port in PRIVATE_PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 61600-61699")


class PrivateRedis:
    """A redis-server of our own, with append-only persistence in a temp dir."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if os.environ.get("CI"):
                pytest.fail("redis-server is not installed (needed under CI=true)")
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.workdir = workdir
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.workdir), "--appendonly", "yes", "--appendfsync", "always",
             "--save", "", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        """SIGTERM: Redis finishes its append-only file and exits."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """A started private Redis (stopped afterwards)."""
    server = PrivateRedis(tmp_path / "redis")
    server.workdir.mkdir()
    server.start()
    yield server
    server.stop()
