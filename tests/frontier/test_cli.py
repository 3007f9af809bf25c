"""The frontier's command-line errors: one readable line and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.cli.main import main
from aggregator.frontier.job import connect, create_job, mark_finished
from tests.frontier.conftest import _free_port


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def test_unreachable_redis_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there
    code, err = run(["crawl", "--url", "http://127.0.0.1:9/a", "--db",
                     f"sqlite:///{tmp_path}/a.db", "--frontier", url, "--workers", "2"], capsys)
    assert code == 2
    assert err.startswith(f"error: cannot reach Redis at {url}")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("extra", "message"), [
    (["--workers", "2"], "--workers needs --frontier"),
    (["--frontier", "http://127.0.0.1:6379"], "--frontier must be a redis://"),
])  # fmt: skip
def test_bad_frontier_options(extra: list[str], message: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, err = run(["crawl", "--url", "http://127.0.0.1:9/a", "--db",
                     f"sqlite:///{tmp_path}/a.db", *extra], capsys)
    assert code == 2
    assert message in err


def test_joining_an_unknown_job(redis_url: str, job_name: str,
                                capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, err = run(["worker", "--frontier", redis_url, "--job", job_name], capsys)
    assert code == 2
    assert f"no job {job_name!r}" in err
    code, err = run(["worker", "--frontier", redis_url, "--job", "bad name!"], capsys)
    assert code == 2
    assert "bad job name" in err


def test_joining_a_finished_job_exits_at_once(
    redis_url: str, job_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = connect(redis_url)
    keys = create_job(server, job_name, {"url": ["http://127.0.0.1:9/a"]})
    mark_finished(server, keys)
    code = main(["worker", "--frontier", redis_url, "--job", job_name, "--db",
                 f"sqlite:///{tmp_path}/a.db"])  # fmt: skip
    assert code == 0
    assert "job already finished" in capsys.readouterr().out
    with pytest.raises(Exception, match="already exists"):
        create_job(server, job_name, {})
