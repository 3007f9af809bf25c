"""Leases on the real Redis: a popped request stays in Redis until acked, and returns to
the queue with its priority once its lease expires (a worker killed with SIGKILL)."""

from __future__ import annotations

import time

import pytest

from aggregator.frontier.job import connect
from aggregator.frontier.keys import JobKeys
from aggregator.frontier.leases import LeaseBook, Leases, lease_id


@pytest.fixture
def leases(redis_url: str, job_name: str) -> Leases:
    return Leases(connect(redis_url), JobKeys(job_name), "w1", timeout=0.3)


def push(leases: Leases, member: bytes, priority: int) -> None:
    leases.server.zadd(leases.keys.queue, {member: -priority})


def test_pop_moves_the_best_request_into_inflight(leases: Leases) -> None:
    push(leases, b"low", 0)
    push(leases, b"high", 10)
    assert leases.pop() == b"high"
    assert leases.server.zcard(leases.keys.queue) == 1
    assert leases.outstanding() == 1
    assert leases.server.hget(leases.keys.leases, b"high").endswith(b" w1")
    leases.ack([b"high"])
    assert leases.outstanding() == 0
    assert leases.pop() == b"low"
    assert leases.pop() is None


def test_an_expired_lease_returns_to_the_queue_with_its_priority(leases: Leases) -> None:
    push(leases, b"a", 5)
    push(leases, b"b", 1)
    assert leases.pop() == b"a"  # then the worker dies: no renew, no ack
    assert leases.reclaim() == 0  # not yet expired
    time.sleep(0.4)
    assert leases.reclaim() == 1
    assert leases.outstanding() == 0
    assert leases.server.zscore(leases.keys.queue, b"a") == -5
    assert leases.pop() == b"a"  # still ahead of the lower-priority request


def test_renewed_leases_are_not_reclaimed(leases: Leases) -> None:
    push(leases, b"a", 0)
    member = leases.pop()
    assert member is not None
    for _ in range(4):
        time.sleep(0.15)
        leases.renew([member])
    assert leases.reclaim() == 0
    assert leases.outstanding() == 1


def test_a_reclaimed_lease_is_not_recreated_by_a_late_renew(leases: Leases) -> None:
    push(leases, b"a", 0)
    assert leases.pop() == b"a"
    time.sleep(0.4)
    assert leases.reclaim() == 1
    leases.renew([b"a"])  # the stalled worker wakes up
    assert leases.outstanding() == 0
    assert leases.server.zcard(leases.keys.queue) == 1


def test_lease_book_acks_at_once_or_after_the_store_commits(leases: Leases) -> None:
    for name in (b"a", b"b"):
        push(leases, name, 0)
    book = LeaseBook(leases)
    first, second = book.take(leases.pop() or b""), book.take(leases.pop() or b"")
    book.processed(first, durable=True)  # nothing buffered: acked now
    assert leases.outstanding() == 1
    book.processed(second, durable=False)  # its item waits in the store's buffer
    assert leases.outstanding() == 1
    waiting = book.begin_flush()
    assert waiting == [second]
    book.ack(waiting)  # the flush committed
    assert leases.outstanding() == 0
    assert book.held == {}
    assert lease_id(b"a") != lease_id(b"b")


def test_a_released_lease_is_back_in_the_queue_at_once(leases: Leases) -> None:
    book = LeaseBook(leases)
    push(leases, b"a", 5)
    push(leases, b"b", 1)
    lid = book.take(leases.pop() or b"")
    assert book.release(lid)
    assert not book.release(lid)  # no longer held: nothing to give back twice
    assert not book.release("unknown")
    assert leases.outstanding() == 0
    assert leases.server.hlen(leases.keys.leases) == 0
    assert leases.server.zscore(leases.keys.queue, b"a") == -5  # its priority kept
    assert leases.pop() == b"a"
    assert leases.release([b"not-leased"]) == 0  # a member nobody holds is not queued
    assert leases.server.zscore(leases.keys.queue, b"not-leased") is None
