"""The job's end rule, table-driven: no worker ends the job while another holds work."""

from __future__ import annotations

import pytest

from aggregator.frontier.idle import SEED_DONE, Snapshot, WorkerState, decide

NOW = 1000.0


def ws(state: str, since: float, beat: float = NOW) -> WorkerState:
    return WorkerState(state, since, beat)  # type: ignore[arg-type]


@pytest.mark.parametrize(("snap", "finished", "why"), [
    (Snapshot(3, 0, SEED_DONE, {"a": ws("idle", 0)}), False, "queued"),
    (Snapshot(0, 2, SEED_DONE, {"a": ws("idle", 0)}), False, "leased"),
    (Snapshot(0, 0, None, {"a": ws("idle", 0)}), False, "start requests"),
    (Snapshot(0, 0, "w1", {"a": ws("idle", 0)}), False, "start requests"),
    (Snapshot(0, 0, SEED_DONE, {"a": ws("idle", 0), "b": ws("busy", 990)}), False, "b is busy"),
    (Snapshot(0, 0, SEED_DONE, {"a": ws("idle", 0), "b": ws("idle", 998)}), False, "b idle"),
    (Snapshot(0, 0, SEED_DONE, {"a": ws("idle", 0), "b": ws("idle", 990)}), True, "every"),
    # a dead worker (no beat for 30 s) and a closed one do not hold the job open
    (Snapshot(0, 0, SEED_DONE, {"a": ws("idle", 0), "b": ws("busy", 0, beat=900)}), True, ""),
    (Snapshot(0, 0, SEED_DONE, {"a": ws("idle", 0), "b": ws("closed", 999)}), True, ""),
])  # fmt: skip
def test_decide(snap: Snapshot, finished: bool, why: str) -> None:
    decision = decide(snap, now=NOW, idle_seconds=5, dead_after=30)
    assert decision.finished is finished
    assert why in decision.reason


def test_worker_state_json_roundtrip_and_damage() -> None:
    state = ws("idle", 12.5, 13.0)
    assert WorkerState.from_json(state.to_json()) == state
    assert WorkerState.from_json(b"not json").state == "closed"
