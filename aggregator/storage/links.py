"""Authors and tags as rows: name tables plus link tables, replaced per changed article."""

from __future__ import annotations

import functools
import re
from typing import Any, Protocol

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from aggregator.items import ArticleItem
from aggregator.storage import bulk
from aggregator.storage.dialect import dialect_name, insert_for
from aggregator.storage.models import ArticleAuthor, ArticleTag, Author, Tag

_SPACES = re.compile(r"\s+")
#: Names longer than the column are cut, not rejected: a byline is never worth a lost article.
MAX_NAME = 300


class _Planned(Protocol):
    """What `replace_links` needs from a plan."""

    item: ArticleItem
    target_id: int | None


@functools.lru_cache(maxsize=16384)  # bylines and tags repeat across every batch
def name_key(name: str) -> str:
    """Fold case and spacing: "Budi  SANTOSO" and "budi santoso" are one author."""
    return _SPACES.sub(" ", name).strip().casefold()[:MAX_NAME]


def _clean(names: list[str]) -> list[tuple[str, str]]:
    """Distinct (key, display name) pairs in order, empty names dropped."""
    out: dict[str, str] = {}
    for name in names:
        key = name_key(name or "")
        if key:
            out.setdefault(key, _SPACES.sub(" ", name).strip()[:MAX_NAME])
    return list(out.items())


def _ids_for(session: Session, model: Any, pairs: set[tuple[str, str]]) -> dict[str, int]:
    """Create missing name rows and return key -> id."""
    if not pairs:
        return {}
    found = _lookup(session, model, {key for key, _ in pairs})
    # Most names are known after the first batches: insert only the others.
    missing = sorted((key, name) for key, name in pairs if key not in found)
    if missing:
        stmt = insert_for(session, model.__table__).on_conflict_do_nothing(
            index_elements=["name_key"])  # fmt: skip
        session.execute(stmt, [{"name": name, "name_key": key} for key, name in missing])
        found.update(_lookup(session, model, {key for key, _ in missing}))
    return found


def _lookup(session: Session, model: Any, keys: set[str]) -> dict[str, int]:
    """key -> id of the stored names among `keys`."""
    if dialect_name(session) == "postgresql":
        # One unique-index probe per key (as the same-body lookup in `repository`): an
        # `IN` list is planned from statistics, which lag while a bulk load grows the table.
        table = model.__tablename__  # from the model, never from input
        sql = (
            "SELECT n.name_key, n.id FROM unnest(CAST(:keys AS text[])) AS k(key)"  # noqa: S608
            f" CROSS JOIN LATERAL (SELECT name_key, id FROM {table} WHERE name_key = k.key) AS n"
        )
        rows = session.execute(text(sql), {"keys": sorted(keys)})
    else:
        rows = session.execute(select(model.name_key, model.id).where(model.name_key.in_(keys)))
    return {row.name_key: row.id for row in rows}


def replace_links(session: Session, plans: list[_Planned], fresh: set[int] | None = None) -> None:
    """Rewrite the author and tag links of these articles; `fresh` ids have none yet."""
    if not plans:
        return
    ids = [p.target_id for p in plans if p.target_id not in (fresh or set())]
    if ids:
        session.execute(delete(ArticleAuthor).where(ArticleAuthor.article_id.in_(ids)))
        session.execute(delete(ArticleTag).where(ArticleTag.article_id.in_(ids)))
    authors = {p.target_id: _clean(p.item.authors) for p in plans}
    tags = {p.target_id: _clean(p.item.tags) for p in plans}
    author_ids = _ids_for(session, Author, {pair for v in authors.values() for pair in v})
    tag_ids = _ids_for(session, Tag, {pair for v in tags.values() for pair in v})
    author_rows = [
        {"article_id": aid, "author_id": author_ids[key], "position": pos}
        for aid, pairs in authors.items()
        for pos, (key, _) in enumerate(pairs)
    ]
    tag_rows = [{"article_id": aid, "tag_id": tag_ids[key]} for aid, pairs in tags.items()
                for key, _ in pairs]  # fmt: skip
    _insert_links(session, ArticleAuthor.__table__, ("article_id", "author_id", "position"),
                  author_rows)  # fmt: skip
    _insert_links(session, ArticleTag.__table__, ("article_id", "tag_id"), tag_rows)


def _insert_links(session: Session, table: Any, cols: tuple[str, ...],
                  rows: list[dict[str, Any]]) -> None:  # fmt: skip
    """Insert link rows: one `unnest` statement on PostgreSQL, an executemany on SQLite."""
    if not rows:
        return
    if dialect_name(session) != "postgresql":  # plain integers: no conversion layer needed
        bulk.insert_plain(session, table, cols, [tuple(row[c] for c in cols) for row in rows])
        return
    # One statement with one array per column: a row-by-row executemany costs ~11 µs a row.
    arrays = ", ".join(f"CAST(:{c} AS bigint[])" for c in cols)
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) SELECT * FROM unnest({arrays})"  # noqa: S608 - names from the model
    session.execute(text(sql), {c: [row[c] for row in rows] for c in cols})
