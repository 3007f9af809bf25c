"""database_url: precedence, normalisation and malformed input."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.config import ENV_VAR, database_url, normalize_url
from aggregator.exceptions import ConfigError


@pytest.mark.parametrize(
    ("cli", "setting", "env", "expected"),
    [
        ("sqlite:///a.db", "sqlite:///b.db", "sqlite:///c.db", "sqlite:///a.db"),
        (None, "sqlite:///b.db", "sqlite:///c.db", "sqlite:///b.db"),
        (None, None, "sqlite:///c.db", "sqlite:///c.db"),
        ("  ", None, "sqlite:///c.db", "sqlite:///c.db"),
    ],
)
def test_precedence(
    monkeypatch: pytest.MonkeyPatch, cli: str | None, setting: str | None, env: str,
    expected: str,
) -> None:  # fmt: skip
    monkeypatch.setenv(ENV_VAR, env)
    assert database_url(cli, setting) == expected


def test_default_is_data_dir_of_cwd(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    assert database_url() == f"sqlite:///{tmp_path / 'data' / 'aggregator.db'}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgres://u:pw@h/db", "postgresql+psycopg://u:pw@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite+pysqlite:///x.db", "sqlite:///x.db"),
        ("sqlite://", "sqlite://"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["not a url", "mysql://u@h/db", "postgresql://u@h:99999/db", "postgresql://u@h:abc/db",
     "postgresql://u@h", "://nothing"],
)  # fmt: skip
def test_malformed_is_one_line_config_error(raw: str) -> None:
    with pytest.raises(ConfigError) as info:
        normalize_url(raw)
    assert "\n" not in str(info.value)


def test_password_is_masked_in_errors() -> None:
    with pytest.raises(ConfigError) as info:
        normalize_url("mysql://user:s3cret@h/db")
    assert "s3cret" not in str(info.value)
