"""Storage test fixtures (defined in `tests.storage.dbs`, shared with the CLI tests)."""

from tests.storage.dbs import db_url, engine, pg_url, sessions, sqlite_url  # noqa: F401
