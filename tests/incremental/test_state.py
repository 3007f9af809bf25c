"""IncrementalStore.ready(): one table check answers every concurrent caller."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from aggregator.incremental import state
from aggregator.incremental.state import IncrementalStore
from aggregator.storage.db import make_engine

pytestmark = pytest.mark.timeout(30)


def _counting_inspect(monkeypatch: pytest.MonkeyPatch, delay: float) -> list[int]:
    """Patch the table check to take `delay` seconds; the list counts the calls."""
    calls: list[int] = []
    real = state.inspect

    def slow(*args: Any) -> Any:
        calls.append(1)
        time.sleep(delay)
        return real(*args)

    monkeypatch.setattr(state, "inspect", slow)
    return calls


def _ask_together(store: IncrementalStore, n: int) -> list[bool]:
    """`ready()` from `n` threads released at once."""
    barrier = threading.Barrier(n)
    answers: list[bool] = []

    def ask() -> None:
        barrier.wait(timeout=5)
        answers.append(store.ready())

    threads = [threading.Thread(target=ask) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    return answers


def test_concurrent_callers_wait_for_the_first_check(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting_inspect(monkeypatch, 0.3)
    store = IncrementalStore(engine)
    assert _ask_together(store, 4) == [True] * 4
    assert len(calls) == 1
    assert store.ready()
    assert len(calls) == 1  # once ready, never checked again


def test_missing_tables_are_rechecked_after_a_pause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    calls = _counting_inspect(monkeypatch, 0.1)
    store = IncrementalStore(empty)
    assert _ask_together(store, 3) == [False] * 3
    assert len(calls) == 1  # the others took the answer of the check they waited for
    store._checked_at -= state._RECHECK_TABLES_S + 1  # as if the pause had passed
    assert store.ready() is False
    assert len(calls) == 2
    empty.dispose()
