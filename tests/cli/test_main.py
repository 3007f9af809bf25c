"""The console entry point: errors are one readable line and a nonzero exit, never a traceback."""

from __future__ import annotations

import pytest

from aggregator.cli.main import main
from aggregator.exceptions import ConfigError
from tests.storage.cli_helpers import run_cli


@pytest.mark.parametrize(
    "args",
    [
        ("no-such-command",),
        ("search", "--no-such-option"),
    ],
)
def test_usage_error_is_one_line_and_nonzero(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")


def test_help_lists_the_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("crawl", "extract", "demo", "sites", "search", "stats", "export", "db"):
        assert command in result.stdout


def test_domain_error_becomes_exit_status_two(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise ConfigError("unknown site 'nosuch'")

    monkeypatch.setattr("aggregator.cli.main.app", explode)
    assert main(["anything"]) == 2
    assert capsys.readouterr().err.strip() == "error: unknown site 'nosuch'"
