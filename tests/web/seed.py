"""A small, realistic dashboard database: sources in every health state, articles with
revisions, aliases and a cross-outlet story, failed fetches, and crawl runs.

Articles go through the real `upsert_articles` and `assign_clusters`; runs through the
real `record_crawl_run` and `record_source_runs`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from aggregator.dedup.clusters import assign_clusters
from aggregator.health.store import record_source_runs
from aggregator.items import ArticleItem
from aggregator.jobs.catalog import add_schedule
from aggregator.jobs.specs import StartOptions
from aggregator.jobs.timing import Cadence
from aggregator.storage.repository import record_failed_fetch, upsert_articles
from aggregator.storage.runs import record_crawl_run

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
STORY = ("Banjir bandang melanda sejumlah desa di Kabupaten Garut setelah hujan deras "
         "mengguyur kawasan hulu sungai sejak sore. Warga mengungsi ke balai desa dan "
         "petugas gabungan mengevakuasi lansia serta anak-anak dengan perahu karet. ") * 6


def _item(n: int, source: str, **kw: Any) -> ArticleItem:
    """An article of `source` (number n), fetched an hour after publication."""
    published = NOW - dt.timedelta(hours=n + 2)
    fields: dict[str, Any] = {
        "url": f"https://{source.lower().replace(' ', '')}.example.id/read/{n}",
        "source": source, "fetched_at": published + dt.timedelta(hours=1),
        "title": f"Berita {source} nomor {n}",
        "body": f"Isi berita nomor {n} dari {source}. " + "Kalimat pengisi berita. " * (20 + n),
        "published_at": published, "authors": [f"Penulis {n % 3}"], "tags": ["nasional"],
    }  # fmt: skip
    fields.update(kw)
    return ArticleItem(**fields)


def run_row(source: str, started: dt.datetime, **kw: Any) -> dict[str, Any]:
    """A healthy `source_runs` row; keywords override."""
    stored = kw.pop("stored", 40)
    row: dict[str, Any] = {
        "source": source, "started_at": started, "finished_at": started + dt.timedelta(minutes=3),
        "pages_fetched": stored + 5, "articles_scraped": stored, "articles_stored": stored,
        "articles_failed": 0, "fetch_failures": 1, "not_articles": 0, "bot_challenges": 0,
        "zone_corrections": 1, "with_title": stored, "with_date": stored,
        "with_author": int(stored * 0.9), "with_body": stored, "median_body_chars": 2400,
        "lag_p50_seconds": 3600, "lag_p95_seconds": 7200,
        "status_counts": {"200": stored + 4, "404": 1}, "failure_reasons": {"http_404": 1},
        "reject_reasons": {}, "drop_reasons": {"duplicate_url": 2},
        "rule_hits": {"baca-juga": int(stored * 0.8), "ad-slot": stored},
    }  # fmt: skip
    row.update(kw)
    return row


#: (source, hours between runs, runs, last run age in hours, how the latest run differs)
PLAN: list[tuple[str, int, int, float, dict[str, Any]]] = [
    ("Warta Nusantara", 6, 14, 1, {}),
    ("KabarTimur.id", 6, 14, 1, {"median_body_chars": 180, "rule_hits": {"ad-slot": 40}}),
    ("Sepi News", 6, 14, 1, {"stored": 0}),
    ("Lama Pos", 6, 10, 24 * 10, {}),
]


def seed_runs(session: Session) -> dict[str, list[int]]:
    """Crawl runs and per-source rows following PLAN; returns run ids per source."""
    ids: dict[str, list[int]] = {}
    hourly = add_schedule(session, "warta-hourly", StartOptions(feeds=["http://127.0.0.1:9/rss"]),
                          Cadence(cron="0 * * * *"), now=NOW)  # fmt: skip
    session.flush()
    for source, every, count, last_age, latest in PLAN:
        for i in range(count):  # oldest first
            started = NOW - dt.timedelta(hours=last_age + every * (count - 1 - i))
            is_latest = i == count - 1
            # Ordinary run-to-run variation, well inside each source's baseline.
            extra = {"stored": 38 + (i * 5) % 7, "median_body_chars": 2350 + (i * 37) % 100}
            extra.update(latest if is_latest else {})
            if source == "Sepi News" and i >= count - 3:
                extra = {"stored": 0, "failure_reasons": {"timeout": 12}, "fetch_failures": 12}
            row = run_row(source, started, **extra)
            stats = {"store/stored": row["articles_stored"],
                     "downloader/response_count": row["pages_fetched"],
                     "finish_reason": "finished"}  # fmt: skip
            # The latest Warta run was started by the scheduler, the others by hand.
            job = ({"job_id": hourly.id, "job_run_id": 1, "trigger": "schedule"}
                   if source == "Warta Nusantara" and is_latest else None)  # fmt: skip
            run_id = record_crawl_run(session, started_at=started,
                                      finished_at=row["finished_at"], sites=[source],
                                      stats=stats, finish_reason="finished",
                                      per_source={source: {"stored": row["articles_stored"]}},
                                      job=job)  # fmt: skip
            record_source_runs(session, run_id, [row])
            ids.setdefault(source, []).append(run_id)
    return ids


def seed_articles(session: Session, extra: list[ArticleItem] | None = None) -> dict[str, int]:
    """Articles of each source, one revised article, an alias, one shared story."""
    items = [_item(n, src) for src in ("Warta Nusantara", "KabarTimur.id", "Lama Pos",
                                       "Baru.id") for n in range(4)]  # fmt: skip
    story = [_item(100 + i, src, title=f"Banjir bandang di Garut ({src})", body=STORY + src)
             for i, src in enumerate(("Warta Nusantara", "KabarTimur.id", "Lama Pos"))]  # fmt: skip
    result = upsert_articles(session, items + story + list(extra or []))
    assign_clusters(session, result.changed_ids)
    first = items[0]
    revised = dataclasses.replace(first, body=first.body.replace("Isi berita", "Isi baru berita"),
                                  aliases=[first.url + "?utm_source=feed"])  # fmt: skip
    upsert_articles(session, [revised])
    record_failed_fetch(session, "https://sepinews.example.id/feed.xml", reason="timeout",
                        source="Sepi News", kind="feed", when=NOW - dt.timedelta(hours=1))
    return {"revised": result.ids_by_url[first.url],
            "story": result.ids_by_url[story[0].url]}  # fmt: skip


def seed(session: Session, extra: list[ArticleItem] | None = None) -> dict[str, Any]:
    """Everything; returns ids the tests navigate to."""
    runs = seed_runs(session)
    articles = seed_articles(session, extra)
    return {"runs": runs, **articles}
