"""Concurrent lookups at crawl start: a stored article must never look new."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from aggregator.cli.main import main
from aggregator.incremental import state
from aggregator.incremental.state import IncrementalStore
from aggregator.storage.db import make_engine

pytestmark = pytest.mark.timeout(60)


def test_concurrent_ready_checks_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "a.db"
    assert main(["db", "upgrade", "--db", f"sqlite:///{db}"]) == 0
    real_inspect = state.inspect

    def slow_inspect(*args: Any) -> Any:
        time.sleep(0.5)  # a busy disk: the first check takes a while
        return real_inspect(*args)

    monkeypatch.setattr(state, "inspect", slow_inspect)
    store = IncrementalStore(make_engine(f"sqlite:///{db}"))
    barrier = threading.Barrier(4)
    answers: list[bool] = []

    def lookup() -> None:
        barrier.wait()
        answers.append(store.ready())

    threads = [threading.Thread(target=lookup) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert answers == [True] * 4
