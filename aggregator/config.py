"""Where the database lives: one URL chosen by precedence, validated once."""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from aggregator.exceptions import ConfigError

#: Environment variable read when neither `--db` nor the `DATABASE_URL` setting is given.
ENV_VAR = "AGGREGATOR_DATABASE_URL"
#: Default database file, relative to the working directory (created on demand).
DEFAULT_SQLITE_PATH = Path("data") / "aggregator.db"

_PASSWORD = re.compile(r"//([^:/@]*):[^@/]*@")
_SQLITE_DRIVERS = {"sqlite", "sqlite+pysqlite"}
_POSTGRES_DRIVERS = {"postgresql", "postgres", "postgresql+psycopg"}


def default_database_url() -> str:
    """The default SQLite URL: `./data/aggregator.db` as an absolute path."""
    return "sqlite:///" + str(Path.cwd() / DEFAULT_SQLITE_PATH)


def database_url(cli_value: str | None = None, settings_value: str | None = None) -> str:
    """Pick the URL: `--db`, then the `DATABASE_URL` setting, then the env var, then SQLite."""
    for candidate in (cli_value, settings_value, os.environ.get(ENV_VAR)):
        if candidate is not None and candidate.strip():
            return normalize_url(candidate.strip())
    return default_database_url()


def normalize_url(raw: str) -> str:
    """Validate a database URL and pin the driver (`postgresql://` -> psycopg 3)."""
    url = parse_url(raw)
    driver = url.drivername
    if driver in _POSTGRES_DRIVERS:
        if not url.database:
            raise ConfigError(f"malformed database URL {_safe(raw)!r}: no database name")
        url = url.set(drivername="postgresql+psycopg")
    elif driver in _SQLITE_DRIVERS:
        url = url.set(drivername="sqlite")
    else:
        raise ConfigError(
            f"unsupported database URL {_safe(raw)!r}: use sqlite:///PATH or "
            "postgresql://USER@HOST:PORT/DB"
        )
    return url.render_as_string(hide_password=False)


def parse_url(raw: str) -> URL:
    """Parse a URL string, turning SQLAlchemy's errors into a one-line `ConfigError`."""
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://") :]
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as exc:
        raise ConfigError(f"malformed database URL {_safe(raw)!r}: {exc}") from None
    if url.port is not None and not 0 < url.port < 65536:
        raise ConfigError(f"malformed database URL {_safe(raw)!r}: bad port")
    return url


def _safe(raw: str) -> str:
    """The URL with any password masked, for error messages."""
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: mask what looks like a password
        return _PASSWORD.sub(r"//\1:***@", raw)[:200]
