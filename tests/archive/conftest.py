"""Database fixtures for the archive tests (a fresh SQLite file, a fresh PG schema)."""

from tests.storage.dbs import db_url, pg_url, sqlite_url  # noqa: F401
