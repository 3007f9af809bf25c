"""Per-host tokens on the real Redis: a limit shared by every client, a delay between
grants, and tokens of a dead holder that lapse."""

from __future__ import annotations

import time

from aggregator.frontier.job import connect
from aggregator.frontier.keys import JobKeys
from aggregator.frontier.politeness import HostTokens


def tokens(redis_url: str, job: str, **kw: float) -> HostTokens:
    params = {"limit": 2, "delay": 0.0, "ttl": 5.0, **kw}
    return HostTokens(connect(redis_url), JobKeys(job), limit=int(params["limit"]),
                      delay=params["delay"], ttl=params["ttl"])  # fmt: skip


def test_the_limit_holds_across_clients(redis_url: str, job_name: str) -> None:
    workers = [tokens(redis_url, job_name) for _ in range(4)]  # four processes' clients
    grants = [w.acquire("a.test:80") for w in workers]
    granted = [g for g in grants if g.token]
    assert len(granted) == 2
    assert all(g.wait > 0 for g in grants if not g.token)
    assert workers[0].acquire("b.test:80").token  # another host is not affected
    token = granted[0].token
    assert token is not None
    workers[0].release("a.test:80", token)
    assert workers[3].acquire("a.test:80").token


def test_the_delay_spaces_grants_for_everyone(redis_url: str, job_name: str) -> None:
    one, two = (tokens(redis_url, job_name, limit=10, delay=0.3) for _ in range(2))
    assert one.acquire("h:1").token
    refused = two.acquire("h:1")
    assert refused.token is None
    assert 0 < refused.wait <= 0.3
    time.sleep(refused.wait + 0.02)
    assert two.acquire("h:1").token


def test_a_dead_holders_token_lapses(redis_url: str, job_name: str) -> None:
    client = tokens(redis_url, job_name, limit=1, ttl=0.3)
    assert client.acquire("h:1").token  # never released: the holder was killed
    assert client.acquire("h:1").token is None
    time.sleep(0.35)
    assert client.acquire("h:1").token


def test_a_callers_longer_delay_spaces_grants_for_everyone(redis_url: str, job_name: str) -> None:
    """A worker whose slot has a Crawl-delay passes it; the next grant to anyone waits."""
    one, two = (tokens(redis_url, job_name, limit=10, delay=0.0) for _ in range(2))
    assert one.acquire("h:1", delay=0.3).token
    refused = two.acquire("h:1")  # this worker has no delay of its own yet
    assert refused.token is None
    assert 0.2 < refused.wait <= 0.3
    assert two.acquire("h:2").token  # other hosts are not held back
