"""Local workers forked from a preloaded server: what is preloaded, and that a forked
worker behaves as an `aggregator worker` process (its exit status, Popen's interface)."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from aggregator.frontier import forkserver
from aggregator.frontier.forkserver import WorkerProcess, preload_modules, start_worker

#: Nothing listens on port 1: joining fails with one line and exit status 2.
UNREACHABLE = ["worker", "--frontier", "redis://127.0.0.1:1/0", "--job", "nobody-home"]


def test_preloaded_modules_name_the_workers_components_and_install_no_reactor() -> None:
    names = preload_modules()
    assert "aggregator.frontier.pipeline" in names  # FrontierStorePipeline
    assert "aggregator.frontier.middleware" in names  # FrontierPolitenessMiddleware
    assert "aggregator.frontier.scheduler" in names
    assert len(names) == len(set(names))
    # The fork server imports them before any worker installs its reactor: importing
    # one that installs Twisted's default reactor would break every worker.
    code = ("import importlib, sys\n"
            f"for name in {names!r}: importlib.import_module(name)\n"
            "print('twisted.internet.reactor' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)  # fmt: skip
    assert out.stdout.strip() == "False"


@pytest.mark.skipif(not forkserver.fork_server_available(), reason="no fork server here")
def test_a_forked_worker_exits_with_the_commands_status() -> None:
    proc = start_worker(UNREACHABLE)
    assert isinstance(proc, WorkerProcess)
    assert proc.wait(timeout=120) == 2
    assert proc.poll() == proc.returncode == 2


@pytest.mark.skipif(not forkserver.fork_server_available(), reason="no fork server here")
def test_a_killed_worker_reports_the_signal_as_popen_does() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        port = silent.getsockname()[1]
        proc = start_worker(["worker", "--frontier", f"redis://127.0.0.1:{port}/0",
                             "--job", "nobody-home"])  # fmt: skip
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=1.0)  # still waiting for Redis to answer
        proc.kill()
        assert proc.wait(timeout=60) == -9


def test_without_a_fork_server_workers_are_plain_subprocesses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(forkserver, "fork_server_available", lambda: False)
    proc = start_worker(UNREACHABLE)
    assert isinstance(proc, subprocess.Popen)
    assert proc.wait(timeout=120) == 2


def test_waiting_with_progress_returns_every_workers_status(redis_url: str, job_name: str) -> None:
    from aggregator.frontier.launch import wait_for_job

    snapshots: list[object] = []
    procs = [start_worker(UNREACHABLE), start_worker(["worker", "--frontier", redis_url,
                                                      "--job", job_name])]  # fmt: skip
    codes = wait_for_job(redis_url, job_name, procs, progress=snapshots.append, interval=0.1)
    assert codes == [2, 2]  # Redis unreachable; a job that does not exist
    assert all(p.poll() == 2 for p in procs)
