"""One article: text, metadata, aliases, revisions with diffs, cluster members."""

from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.storage.models import Article, ArticleAlias
from aggregator.web.common import iso, safe_href
from aggregator.web.sources import NotFound

CLUSTER_LIMIT = 50
_META = ("source", "section", "language", "wire_source", "published_raw", "published_source",
         "modified_raw", "modified_source", "timezone", "extractor", "content_hash",
         "page_count", "revision_count", "cluster_id", "is_cluster_origin")  # fmt: skip
_TIMES = ("published_at", "modified_at", "fetched_at", "first_seen_at", "last_seen_at",
          "updated_at")  # fmt: skip


def _diff(old: str | None, new: str | None) -> list[dict[str, str]]:
    """A line diff of two texts as (kind, text) rows: kind is add, del, hunk or same."""
    lines = difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(),
                                 lineterm="", n=1)  # fmt: skip
    rows = []
    for line in list(lines)[2:]:  # skip the ---/+++ header
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        rows.append({"kind": kind, "text": line})
    return rows


def _revisions(article: Article) -> list[dict[str, Any]]:
    """Each kept revision, with the diff to the text that replaced it."""
    revs = sorted(article.revisions, key=lambda r: r.revision)
    texts = [(r.title, r.body) for r in revs] + [(article.title, article.body)]
    out = []
    for i, rev in enumerate(revs):
        nxt_title, nxt_body = texts[i + 1]
        out.append({"revision": rev.revision, "title": rev.title,
                    "fetched_at": iso(rev.fetched_at), "superseded_at": iso(rev.superseded_at),
                    "title_changed": rev.title != nxt_title,
                    "diff": _diff(rev.body, nxt_body)})  # fmt: skip
    return out


def _cluster(session: Session, article: Article) -> list[dict[str, Any]]:
    """The other articles of the same story."""
    if article.cluster_id is None:
        return []
    stmt = (select(Article.id, Article.source, Article.title, Article.published_at,
                   Article.is_cluster_origin)
            .where(Article.cluster_id == article.cluster_id, Article.id != article.id)
            .order_by(Article.published_at).limit(CLUSTER_LIMIT))  # fmt: skip
    return [{"id": i, "source": s, "title": t, "published_at": iso(p), "origin": o}
            for i, s, t, p, o in session.execute(stmt)]  # fmt: skip


def article_detail(session: Session, article_id: int) -> dict[str, Any]:
    """Everything the article page shows."""
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"no article {article_id}")
    aliases = session.scalars(select(ArticleAlias.url).where(
        ArticleAlias.article_id == article_id).order_by(ArticleAlias.id))  # fmt: skip
    return {
        "id": article.id, "url": article.url, "href": safe_href(article.url),
        "title": article.title, "description": article.description, "body": article.body,
        "authors": list(article.authors or []), "editors": list(article.editors or []),
        "tags": list(article.tags or []), "credit_codes": list(article.credit_codes or []),
        "image_url": article.image_url,
        "meta": {k: getattr(article, k) for k in _META},
        "times": {k: iso(getattr(article, k)) for k in _TIMES},
        "aliases": [{"url": u, "href": safe_href(u)} for u in aliases],
        "revisions": _revisions(article),
        "cluster": _cluster(session, article),
    }  # fmt: skip

