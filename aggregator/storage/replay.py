"""Store a dead-letter file in the database, exactly once (Scrapy-free).

Articles go through the same writer as a crawl (upsert by canonical URL, then story
clustering), so replaying a file twice, or replaying an article the crawl managed to
commit after all, changes nothing.  Failed fetches are recorded when the URL is neither
stored nor already recorded; failed items when no row with the same URL, stage and
reason exists; crawl runs when no run with the same spider and start time exists.  A
line that is not a JSON record (the half-written last line of a crash) is counted and
skipped.  The file itself is left in place: keeping or removing it is the user's call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.exceptions import InputError
from aggregator.items import ArticleItem
from aggregator.storage.deadletter import read_records
from aggregator.storage.models import Article
from aggregator.storage.models_runs import CrawlRun, FailedFetch, FailedItem
from aggregator.storage.runs import record_crawl_run, record_failed_fetch, record_failed_item
from aggregator.storage.writer import BatchWriter
from aggregator.types import DateCandidate

BATCH = 100
_DATETIMES = ("fetched_at", "published_at", "modified_at")
_ITEM_FIELDS = {f.name for f in dataclasses.fields(ArticleItem)}
#: Item stages whose items are articles to store again (the database refused them).
STORE_STAGES = ("store", "interrupted")


@dataclass(slots=True)
class ReplayReport:
    """What one replay did."""

    records: int = 0
    articles: int = 0  # article records replayed through the writer
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0  # refused again (now in failed_items)
    fetches_recorded: int = 0
    items_recorded: int = 0  # failed-item records (pipeline errors) recorded
    runs_recorded: int = 0
    already_present: int = 0  # bookkeeping records already in the database
    bad_lines: list[int] = field(default_factory=list)


def item_from_dict(data: dict[str, Any]) -> ArticleItem:
    """Rebuild an `ArticleItem` from its dead-letter JSON (unknown keys are ignored)."""
    values = {k: v for k, v in data.items() if k in _ITEM_FIELDS}
    for name in _DATETIMES:
        if isinstance(values.get(name), str):
            values[name] = dt.datetime.fromisoformat(values[name])
    values["date_candidates"] = [DateCandidate(**c) for c in values.get("date_candidates") or []
                                 if isinstance(c, dict)]  # fmt: skip
    try:
        return ArticleItem(**values)
    except TypeError as exc:
        raise ValueError(f"not an article: {exc}") from None


def replay(url: str, path: Path) -> ReplayReport:
    """Store every record of the dead-letter file `path` into the database at `url`."""
    if not path.is_file():
        raise InputError(f"no dead-letter file at {path}")
    report = ReplayReport()
    articles, others = _split(read_records(path), report)
    # Anything the database refuses again goes to a fresh file, never back into `path`.
    again = Path(tempfile.mkdtemp(prefix="aggregator-replay-")) / path.name
    writer = BatchWriter(url, dead_letter=again)
    writer.open()
    try:
        for start in range(0, len(articles), BATCH):
            outcome = writer.write_batch(articles[start:start + BATCH])
            report.articles += outcome.counts["stored"] + outcome.counts["failed"]
            report.failed += outcome.counts["failed"]
            for name in ("inserted", "updated", "unchanged"):
                setattr(report, name, getattr(report, name) + outcome.counts[name])
        assert writer.session is not None
        with writer.session.begin() as session:
            for record in others:
                _bookkeeping(session, record, report)
    finally:
        if writer.engine is not None:
            writer.engine.dispose()
    if writer.dead_letters.records:
        raise InputError(f"the database refused {writer.dead_letters.records} records "
                         f"again; kept in {writer.dead_letter} (and still in {path})")  # fmt: skip
    return report


def _split(records: Iterable[tuple[int, dict[str, Any] | None]], report: ReplayReport) -> tuple[
        list[ArticleItem], list[dict[str, Any]]]:  # fmt: skip
    """Articles to store, and bookkeeping records (fetches, failed items, runs)."""
    articles: list[ArticleItem] = []
    others: list[dict[str, Any]] = []
    for number, record in records:
        if record is None:
            report.bad_lines.append(number)
            continue
        report.records += 1
        item = record.get("item")
        if record.get("stage") in STORE_STAGES and isinstance(item, dict):
            try:
                articles.append(item_from_dict(item))
                continue
            except ValueError:
                pass  # kept as a failed item below
        others.append(record)
    return articles, others


def _bookkeeping(session: Session, record: dict[str, Any], report: ReplayReport) -> None:
    """Record one non-article record unless it is already there."""
    stage = record.get("stage")
    if stage == "fetch" and isinstance(record.get("url"), str):
        _fetch(session, record, report)
    elif stage == "crawl_run" and isinstance(record.get("run"), dict):
        _run(session, record["run"], report)
    elif isinstance(record.get("item"), dict):
        _failed_item(session, record, report)
    else:
        report.bad_lines.append(-1)  # a record of no known kind


def _fetch(session: Session, record: dict[str, Any], report: ReplayReport) -> None:
    url = record["url"]
    known = session.scalar(select(FailedFetch.id).where(FailedFetch.url == url))
    stored = session.scalar(select(Article.id).where(Article.url == url))
    if known is not None or stored is not None:
        report.already_present += 1
        return
    extra = record.get("fetch") or {}
    record_failed_fetch(session, url, reason=str(record.get("reason") or "unknown"),
                        status=extra.get("status"), source=extra.get("source"),
                        kind=extra.get("kind"), when=_when(record))  # fmt: skip
    report.fetches_recorded += 1


def _failed_item(session: Session, record: dict[str, Any], report: ReplayReport) -> None:
    item, stage = record["item"], str(record.get("stage") or "store")
    reason = str(record.get("reason") or "unknown")
    known = session.scalar(select(FailedItem.id).where(
        FailedItem.url == item.get("url"), FailedItem.stage == stage,
        FailedItem.reason == reason[:2000]))  # fmt: skip
    if known is not None:
        report.already_present += 1
        return
    record_failed_item(session, item, reason=reason, stage=stage, when=_when(record))
    report.items_recorded += 1


def _run(session: Session, run: dict[str, Any], report: ReplayReport) -> None:
    started = _parse(run.get("started_at"))
    if started is None:
        report.bad_lines.append(-1)
        return
    known = session.scalar(select(CrawlRun.id).where(CrawlRun.started_at == started,
                                                     CrawlRun.spider == "news"))  # fmt: skip
    if known is not None:
        report.already_present += 1
        return
    record_crawl_run(session, started_at=started, finished_at=_parse(run.get("finished_at")),
                     sites=list(run.get("sites") or []), stats=run.get("stats") or {},
                     finish_reason=run.get("finish_reason"),
                     per_source=run.get("per_source") or {})  # fmt: skip
    report.runs_recorded += 1


def _parse(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _when(record: dict[str, Any]) -> dt.datetime | None:
    return _parse(record.get("failed_at"))


def iter_article_urls(path: Path) -> Iterator[str]:
    """The URLs of the article records of a dead-letter file (for reports and tests)."""
    for _number, record in read_records(path):
        item = (record or {}).get("item")
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            yield item["url"]
