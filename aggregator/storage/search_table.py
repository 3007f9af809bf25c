"""PostgreSQL: the full-text index in a narrow table of its own (revision 0003).

Until 0003 the tsvector was a generated column of `articles`.  A search then walked the
articles heap twice: the GIN bitmap's matches, to get their ids, and the ranking window,
to read their vectors.  Those rows carry the compressed body inline (~1.8 KB, four to an
8 KB page), so a word found in 7,000 of the newest 20,000 articles cost ~4,000 page visits
before any ranking.  `article_search` holds only (article id, source, vector pointer): 180
rows to a page, 6 MB of heap at 100,000 articles; the vectors themselves stay in TOAST.
Same query mix on the same 100,000 articles: word p95 42 -> 22 ms, prefix 46 -> 19 ms,
source-filtered 49 -> 32 ms.

Statement-level triggers with transition tables keep it in step with `articles`, one
INSERT ... SELECT per statement (not per row), so any writer (our upserts, an analyst's
own SQL) is indexed.  An UPDATE re-indexes only rows whose title, body or source changed.
Deletes cascade through the foreign key.  These objects are outside the ORM models and
hidden from Alembic's comparison (`fts.SKIP_PREFIXES`).
"""

# DDL here is built from module constants only, never from input.
# ruff: noqa: S608

from __future__ import annotations

from sqlalchemy import Connection

from aggregator.storage.fts import SEARCH_COLUMN, TS_CONFIG, create_fts, tune_fts

SEARCH_TABLE = "article_search"
_SYNC_FUNCTION = "aggregator_article_search_sync"
_TRIGGERS = {"insert": "articles_search_insert", "update": "articles_search_update"}


def _vector(alias: str) -> str:
    """The tsvector of a row of `articles` named `alias`: title weight A, body weight B."""
    return (
        f"setweight(to_tsvector('{TS_CONFIG}', coalesce({alias}.title, '')), 'A') || "
        f"setweight(to_tsvector('{TS_CONFIG}', coalesce({alias}.body, '')), 'B')"
    )


_CREATE_TABLE = f"""CREATE TABLE {SEARCH_TABLE} (
    article_id integer NOT NULL,
    source varchar(200) NOT NULL,
    {SEARCH_COLUMN} tsvector NOT NULL,
    CONSTRAINT pk_{SEARCH_TABLE} PRIMARY KEY (article_id),
    CONSTRAINT fk_{SEARCH_TABLE}_article_id_articles FOREIGN KEY (article_id)
        REFERENCES articles (id) ON DELETE CASCADE
)"""
# `SET search_path FROM CURRENT`: the function finds our tables and text search
# configuration in the schema it was created in, whatever the writer's search_path.
_CREATE_FUNCTION = f"""CREATE OR REPLACE FUNCTION {_SYNC_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {SEARCH_TABLE} (article_id, source, {SEARCH_COLUMN})
        SELECT n.id, n.source, {_vector("n")} FROM new_rows n;
    ELSE
        INSERT INTO {SEARCH_TABLE} (article_id, source, {SEARCH_COLUMN})
        SELECT n.id, n.source, {_vector("n")}
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.title, n.body, n.source) IS DISTINCT FROM (o.title, o.body, o.source)
        ON CONFLICT (article_id) DO UPDATE
        SET source = EXCLUDED.source, {SEARCH_COLUMN} = EXCLUDED.{SEARCH_COLUMN};
    END IF;
    RETURN NULL;
END
$$"""
_CREATE_TRIGGERS = [
    f"""CREATE TRIGGER {_TRIGGERS["insert"]} AFTER INSERT ON articles
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION {_SYNC_FUNCTION}()""",
    f"""CREATE TRIGGER {_TRIGGERS["update"]} AFTER UPDATE ON articles
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION {_SYNC_FUNCTION}()""",
]


def create_search_table(conn: Connection) -> None:
    """Revision 0003 on PostgreSQL: move the vectors out of `articles` (no recomputation)."""
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql(_CREATE_TABLE)
    # The vector does not compress (~2.8 KB either way): stored out of line as it is.
    conn.exec_driver_sql(
        f"ALTER TABLE {SEARCH_TABLE} ALTER COLUMN {SEARCH_COLUMN} SET STORAGE EXTERNAL"
    )
    conn.exec_driver_sql(
        f"INSERT INTO {SEARCH_TABLE} (article_id, source, {SEARCH_COLUMN})"
        f" SELECT id, source, {SEARCH_COLUMN} FROM articles ORDER BY id"
    )
    # Built after the copy: one sorted GIN build instead of row-by-row insertion.
    conn.exec_driver_sql(
        f"CREATE INDEX ix_{SEARCH_TABLE}_vector ON {SEARCH_TABLE} USING gin ({SEARCH_COLUMN})"
    )
    conn.exec_driver_sql(f"ALTER TABLE articles DROP COLUMN {SEARCH_COLUMN}")
    conn.exec_driver_sql(_CREATE_FUNCTION)
    for stmt in _CREATE_TRIGGERS:
        conn.exec_driver_sql(stmt)


def drop_search_table(conn: Connection) -> None:
    """Undo `create_search_table`: the generated column again (recomputed), as at 0002."""
    if conn.dialect.name != "postgresql":
        return
    for trigger in _TRIGGERS.values():
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON articles")
    conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {_SYNC_FUNCTION}()")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
    create_fts(conn)
    tune_fts(conn)
