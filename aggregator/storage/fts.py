"""Full-text index DDL: SQLite FTS5 (external content + triggers) and a PostgreSQL tsvector.

SQLite: `articles_fts` indexes `articles.title`, `.body` and `.source` (the source only so
that a source filter is an index intersection) with the `unicode61 remove_diacritics 2`
tokenizer (case and diacritic folding), kept in sync by triggers.
PostgreSQL: a stored generated `search_vector` column (title weight A, body weight B)
under the text search configuration `aggregator_fts` (`simple` + `unaccent` when the
extension can be had, else plain `simple`), with a GIN index; revision 0003 moves it to
the narrow table `article_search` (`aggregator.storage.search_table`).  These objects are not
in the ORM models; Alembic's comparison skips them (`SKIP_NAMES`).
"""

# DDL here is built from module constants only, never from input.
# ruff: noqa: S608

from __future__ import annotations

from sqlalchemy import Connection, text

FTS_TABLE = "articles_fts"
TS_CONFIG = "aggregator_fts"
SEARCH_COLUMN = "search_vector"
#: Objects managed here, hidden from Alembic's model/database comparison.
SKIP_PREFIXES = (FTS_TABLE, "ix_articles_search_vector", SEARCH_COLUMN, "article_search",
                 "ix_article_search")

_SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, body, source, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON articles BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, body, source)
        VALUES (new.id, new.title, new.body, new.source);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON articles BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, source)
        VALUES ('delete', old.id, old.title, old.body, old.source);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF title, body, source ON articles
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, source)
        VALUES ('delete', old.id, old.title, old.body, old.source);
        INSERT INTO {FTS_TABLE}(rowid, title, body, source)
        VALUES (new.id, new.title, new.body, new.source);
    END""",
    # Index rows that existed before the index did (an upgrade of a filled database).
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{s}" for s in ("ai", "ad", "au")] + [
    f"DROP TABLE IF EXISTS {FTS_TABLE}"
]
_PG_VECTOR = (
    f"setweight(to_tsvector('{TS_CONFIG}', coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector('{TS_CONFIG}', coalesce(body, '')), 'B')"
)


def create_fts(conn: Connection) -> None:
    """Create the full-text objects for this connection's dialect."""
    if conn.dialect.name == "postgresql":
        _create_pg(conn)
    else:
        for stmt in _SQLITE_CREATE:
            conn.exec_driver_sql(stmt)


def drop_fts(conn: Connection) -> None:
    """Drop the full-text objects (downgrade)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_articles_{SEARCH_COLUMN}")
        conn.exec_driver_sql(f"ALTER TABLE articles DROP COLUMN IF EXISTS {SEARCH_COLUMN}")
        conn.exec_driver_sql(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {TS_CONFIG}")
    else:
        for stmt in _SQLITE_DROP:
            conn.exec_driver_sql(stmt)


def _unaccent_schema(conn: Connection) -> str | None:
    """The schema of the `unaccent` extension, installing it when allowed; None if absent."""
    find = text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = 'unaccent'"
    )
    schema = conn.execute(find).scalar()
    if schema is not None:
        return str(schema)
    available = conn.execute(
        text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
    ).scalar()
    if not available:
        return None
    try:
        with conn.begin_nested():  # a refusal (no privilege) must not abort the migration
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
    except Exception:  # any refusal means: fall back to plain `simple`
        return None
    return "public"


def _create_pg(conn: Connection) -> None:
    """Text search configuration, generated tsvector column and GIN index."""
    exists = conn.execute(
        text("SELECT 1 FROM pg_ts_config WHERE cfgname = :n AND cfgnamespace = "
             "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"),
        {"n": TS_CONFIG},
    ).scalar()  # fmt: skip
    if not exists:
        conn.exec_driver_sql(
            f"CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = pg_catalog.simple)"
        )
        schema = _unaccent_schema(conn)
        if schema is not None:
            conn.exec_driver_sql(
                f"ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG} ALTER MAPPING FOR "
                f'hword, hword_part, word WITH "{schema}".unaccent, simple'
            )
    conn.exec_driver_sql(
        f"ALTER TABLE articles ADD COLUMN IF NOT EXISTS {SEARCH_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({_PG_VECTOR}) STORED"
    )
    conn.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS ix_articles_{SEARCH_COLUMN} ON articles "
        f"USING gin ({SEARCH_COLUMN})"
    )


#: FTS5 merge settings (revision 0002).  A batch inserts hundreds of documents; with the
#: default automerge=4 the index merges its segments again after every few commits.
#: Letting 16 segments gather per level before merging halves the index upkeep of a
#: bulk insert (measured 87 -> 65 us a document), at the cost of more segments to read
#: per query until they merge (see docs/benchmarks.md, Storage).
FTS5_MERGE_SETTINGS = {"automerge": 16, "crisismerge": 64}
_FTS5_DEFAULTS = {"automerge": 4, "crisismerge": 16}


def tune_fts(conn: Connection) -> None:
    """Revision 0002: FTS5 merge settings (stored in the index itself); on PostgreSQL the
    vector is stored out of line uncompressed (it does not compress: ~2.8 KB either way,
    so trying only cost time on every insert)."""
    if conn.dialect.name == "sqlite":
        _set_fts5(conn, FTS5_MERGE_SETTINGS)
    else:
        conn.exec_driver_sql(
            f"ALTER TABLE articles ALTER COLUMN {SEARCH_COLUMN} SET STORAGE EXTERNAL"
        )


def untune_fts(conn: Connection) -> None:
    """Undo `tune_fts`."""
    if conn.dialect.name == "sqlite":
        _set_fts5(conn, _FTS5_DEFAULTS)
    else:
        conn.exec_driver_sql(
            f"ALTER TABLE articles ALTER COLUMN {SEARCH_COLUMN} SET STORAGE EXTENDED"
        )


def _set_fts5(conn: Connection, settings: dict[str, int]) -> None:
    """`INSERT INTO fts(fts, rank) VALUES(name, value)`: FTS5's persistent configuration."""
    for name, value in settings.items():
        conn.execute(
            text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES (:name, :value)"),
            {"name": name, "value": value},
        )
