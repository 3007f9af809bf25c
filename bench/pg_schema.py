"""A fresh PostgreSQL schema for a benchmark run (local server, trust auth)."""

from __future__ import annotations

import uuid

import psycopg

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


def fresh_schema_url(prefix: str) -> str:
    """Create schema `<prefix>_<random>` and return a URL whose search_path is it."""
    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"{PG_ADMIN}?options=-csearch_path%3D{schema}"


def drop_schema_of(url: str) -> None:
    """Drop the schema named in a URL made by `fresh_schema_url`."""
    schema = url.rsplit("%3D", 1)[-1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
