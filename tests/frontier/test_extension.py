"""FrontierExtension's end of a worker: an idle worker with uncommitted items commits them
and looks at the job again as soon as the commit is done, not at the engine's next tick."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.exceptions import DontCloseSpider

from aggregator.frontier.extension import FrontierExtension


class _Store:
    """A store with one uncommitted item until `flush_now` commits it."""

    def __init__(self, fail: bool = False) -> None:
        self.durable = False
        self.fail = fail
        self.flushes = 0

    async def flush_now(self) -> None:
        self.flushes += 1
        if self.fail:
            raise RuntimeError("database gone")
        self.durable = True


class _NextCall:
    def __init__(self) -> None:
        self.scheduled = 0

    def schedule(self, delay: float = 0) -> None:
        self.scheduled += 1


def _extension(store: _Store) -> tuple[FrontierExtension, _NextCall]:
    nextcall = _NextCall()
    crawler: Any = SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None),
                                   engine=SimpleNamespace(_slot=SimpleNamespace(nextcall=nextcall)))
    runtime: Any = SimpleNamespace(store=store, book=SimpleNamespace(awaiting=[]), extra={},
                                   store_idle=lambda: store.durable)  # fmt: skip
    return FrontierExtension(crawler, runtime), nextcall


def test_an_idle_worker_commits_and_wakes_its_engine_when_done() -> None:
    store = _Store()
    ext, nextcall = _extension(store)
    with pytest.raises(DontCloseSpider):
        ext.spider_idle(spider=None)
    assert store.flushes == 1
    assert store.durable
    assert nextcall.scheduled == 1  # woken by the commit, not left to the 5 s tick


def test_a_failed_commit_still_wakes_the_engine() -> None:
    store = _Store(fail=True)
    ext, nextcall = _extension(store)
    with pytest.raises(DontCloseSpider):
        ext.spider_idle(spider=None)
    assert nextcall.scheduled == 1
