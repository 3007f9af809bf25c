"""SQL views for analysts, BI tools and dashboards (documented in docs/database.md).

Days are calendar days in Western Indonesian Time (WIB, UTC+7), the newsroom day of
most sources; an article's day is its publication date, else when we first saw it.
"""

# DDL here is built from module constants only, never from input.
# ruff: noqa: S608

from __future__ import annotations

from sqlalchemy import Connection

_DAY = {
    "sqlite": "date(coalesce(a.published_at, a.first_seen_at), '+7 hours')",
    "postgresql": "(coalesce(a.published_at, a.first_seen_at) AT TIME ZONE 'Asia/Jakarta')::date",
}
_SECONDS = {
    "sqlite": "(julianday(r.finished_at) - julianday(r.started_at)) * 86400.0",
    "postgresql": "extract(epoch FROM r.finished_at - r.started_at)",
}
_AUTHORS = {
    "sqlite": "(SELECT group_concat(name, ', ') FROM (SELECT au.name FROM article_authors aa "
    "JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id ORDER BY aa.position))",
    "postgresql": "(SELECT string_agg(au.name, ', ' ORDER BY aa.position) FROM article_authors aa "
    "JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id)",
}

_OUTCOME = """CASE
    WHEN r.finished_at IS NULL THEN 'running'
    WHEN coalesce(r.finish_reason, '') <> 'finished' THEN coalesce(r.finish_reason, 'unknown')
    WHEN s.items_stored = 0 AND (s.items_failed > 0 OR s.fetch_failures > 0) THEN 'failed'
    WHEN s.items_failed > 0 OR s.fetch_failures > 0 THEN 'partial'
    WHEN s.items_stored = 0 THEN 'empty'
    ELSE 'ok' END"""


def _views(dialect: str) -> dict[str, str]:
    """View name -> SELECT, for one dialect."""
    day, seconds, authors = _DAY[dialect], _SECONDS[dialect], _AUTHORS[dialect]
    return {
        "v_articles": f"""SELECT a.id, a.url, a.source, a.title, a.description, a.published_at,
            {day} AS day_wib, a.modified_at, {authors} AS authors, a.section, a.language,
            a.wire_source, a.cluster_id, a.is_cluster_origin, a.revision_count,
            length(a.body) AS body_chars, a.first_seen_at, a.last_seen_at
            FROM articles a""",
        "v_articles_per_source_day": f"""SELECT a.source, {day} AS day_wib,
            count(*) AS articles FROM articles a GROUP BY a.source, {day}""",
        "v_article_authors": """SELECT aa.article_id, au.name AS author, aa.position, a.source,
            a.published_at FROM article_authors aa JOIN authors au ON au.id = aa.author_id
            JOIN articles a ON a.id = aa.article_id""",
        "v_article_tags": """SELECT at.article_id, t.name AS tag, a.source, a.published_at
            FROM article_tags at JOIN tags t ON t.id = at.tag_id
            JOIN articles a ON a.id = at.article_id""",
        "v_crawl_runs": f"""SELECT r.id, r.spider, r.started_at, r.finished_at,
            {seconds} AS duration_seconds, r.pages_fetched, r.items_scraped, r.items_stored,
            r.items_inserted, r.items_updated, r.duplicates, r.items_dropped, r.errors,
            r.items_failed, r.finish_reason FROM crawl_runs r""",
        "v_latest_crawl_per_source": f"""SELECT s.source, r.id AS crawl_run_id, r.started_at,
            r.finished_at, r.finish_reason, s.items_stored, s.items_failed, s.fetch_failures,
            {_OUTCOME} AS outcome
            FROM crawl_run_sources s JOIN crawl_runs r ON r.id = s.crawl_run_id
            WHERE r.id = (SELECT max(s2.crawl_run_id) FROM crawl_run_sources s2
                          WHERE s2.source = s.source)""",
        "v_clusters": """SELECT a.cluster_id, count(*) AS articles,
            count(DISTINCT a.source) AS sources, min(a.published_at) AS first_published_at,
            max(a.published_at) AS last_published_at
            FROM articles a WHERE a.cluster_id IS NOT NULL GROUP BY a.cluster_id""",
    }


VIEW_NAMES = tuple(_views("sqlite"))


def create_views(conn: Connection) -> None:
    """(Re)create every view for this connection's dialect."""
    dialect = "postgresql" if conn.dialect.name == "postgresql" else "sqlite"
    for name, select in _views(dialect).items():
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE VIEW {name} AS {select}")


def drop_views(conn: Connection) -> None:
    """Drop every view (downgrade)."""
    for name in reversed(VIEW_NAMES):
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")
