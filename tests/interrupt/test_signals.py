"""`Interrupts`: phases, exit codes, grace timer, forced stop (the handler called directly)."""

from __future__ import annotations

import signal
import threading

import pytest

from aggregator.interrupt import Interrupted, Interrupts, exit_code, signal_name


def test_exit_codes_follow_the_shell_convention() -> None:
    assert (exit_code(signal.SIGINT), exit_code(signal.SIGTERM)) == (130, 143)
    assert signal_name(signal.SIGTERM) == "SIGTERM"


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_before_the_crawl_starts_raises_with_its_code(signum: int, code: int) -> None:
    state = Interrupts()
    with pytest.raises(Interrupted) as info:
        state._handle(signum, None)
    assert info.value.exit_code == code


def test_first_signal_is_graceful_second_forces() -> None:
    calls: list[str] = []
    forced = threading.Event()
    state = Interrupts(grace=60)
    state.on_graceful = lambda: calls.append("graceful")
    state.on_force = lambda s, why: (calls.append(why), forced.set())
    state.phase = "running"
    state._handle(signal.SIGTERM, None)
    assert calls == ["graceful"]
    assert (state.name, state.code, state.finish_reason) == ("SIGTERM", 143, "interrupted_sigterm")
    state._handle(signal.SIGINT, None)
    assert forced.wait(5)
    assert calls == ["graceful", "SIGINT received twice"]
    assert state.code == 143  # the first signal decides the status
    state.finished()


def test_grace_period_over_forces_the_stop() -> None:
    forced = threading.Event()
    reasons: list[str] = []
    state = Interrupts(grace=0.05)
    state.on_force = lambda s, why: (reasons.append(why), forced.set())
    state.phase = "running"
    state._handle(signal.SIGINT, None)
    assert forced.wait(5)
    assert reasons == ["grace period over"]


def test_no_forced_stop_once_the_crawl_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    forced, exited = threading.Event(), threading.Event()
    monkeypatch.setattr("aggregator.interrupt.signals._exit", lambda code: exited.set())
    state = Interrupts(grace=0.05, force_timeout=0.5)
    state.on_force = lambda s, why: forced.set()
    state.phase = "running"
    state._handle(signal.SIGINT, None)
    state.finished()  # returned before the timer fired: nothing to save
    assert exited.wait(5)  # but a process still alive past the bound is ended
    assert not forced.is_set()
    assert state.code == 130  # still reported as interrupted
