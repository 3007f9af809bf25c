"""The dead-letter file: where items and failure records go when the database refuses them.

One JSON object per line, appended and flushed to disk (`fsync`) before the writer
reports the items as handled, so a crash right after cannot lose them.  Records:

    {"failed_at": ISO, "stage": "store"|"pipeline"|"interrupted", "reason": ...,
     "database_error": ..., "item": {ArticleItem fields}}
    {"failed_at": ISO, "stage": "fetch", "reason": ..., "database_error": ..., "url": ...,
     "fetch": {"status": ..., "source": ..., "kind": ...}}
    {"failed_at": ISO, "stage": "crawl_run", ..., "run": {record_crawl_run arguments}}

The file lives beside the SQLite database by default (`crawl.db` ->
`crawl.dead-letter.jsonl`), in `AGGREGATOR_DEAD_LETTER_DIR` when that is set, or at the
exact path of the `AGGREGATOR_STORE_DEAD_LETTER` setting.  When that place cannot be
written (a read-only directory is one way a database fails), the records go to the
fallback directory instead, and `DeadLetter.path` names the file that really holds them.
`aggregator replay-dead-letter FILE` stores them (see `aggregator.storage.replay`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from aggregator.storage.runs import json_safe

log = logging.getLogger(__name__)

#: Environment variable naming the directory for dead-letter files.
DIR_ENV = "AGGREGATOR_DEAD_LETTER_DIR"
SUFFIX = ".dead-letter.jsonl"


def default_path(db_url: str, directory: str | Path | None = None) -> Path:
    """Where the dead-letter file of `db_url` lives (absolute path)."""
    directory = directory or os.environ.get(DIR_ENV) or None
    url = make_url(db_url)
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        db_path = Path(database).expanduser().absolute()
        folder = Path(directory).expanduser().absolute() if directory else db_path.parent
        return folder / f"{db_path.stem}{SUFFIX}"
    # A server database has no folder of its own: name the file after host and database.
    name = "-".join(part for part in (url.host, database) if part) or "database"
    folder = Path(directory).expanduser().absolute() if directory else Path.cwd() / "data"
    return folder / f"{name}{SUFFIX}"


def fallback_dir() -> Path:
    """Where records go when the chosen file cannot be written."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "aggregator"


class DeadLetter:
    """Thread-safe appender; counts what it wrote and remembers the file it used."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.records = 0  # records written by this process
        self.items = 0  # of which article items
        self._lock = threading.Lock()

    def write(self, records: Iterable[dict[str, Any]]) -> int:
        """Append records durably; returns how many were written.

        Raises OSError only when neither the chosen file nor the fallback can be written.
        """
        lines = [json.dumps(json_safe(r), ensure_ascii=False) + "\n" for r in records]
        if not lines:
            return 0
        with self._lock:
            try:
                self._append(self.path, lines)
            except OSError as exc:
                fallback = fallback_dir() / self.path.name
                if fallback == self.path:
                    raise
                log.error("dead letter: cannot write %s (%s); using %s", self.path, exc, fallback)
                self._append(fallback, lines)
                self.path = fallback
            self.records += len(lines)
            self.items += sum('"item": {' in line for line in lines)
        return len(lines)

    @staticmethod
    def _append(path: Path, lines: list[str]) -> None:
        """Append and fsync: the caller treats the items as safe once this returns."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.writelines(lines)
            fh.flush()
            os.fsync(fh.fileno())


def item_record(item: Any, reason: str, stage: str, why: str) -> dict[str, Any]:
    """A dead-letter record for an article item."""
    return {"failed_at": _now(), "stage": stage, "reason": reason,
            "database_error": why, "item": json_safe(item)}  # fmt: skip


def fetch_record(url: str, reason: str, extra: dict[str, Any], why: str) -> dict[str, Any]:
    """A dead-letter record for a failed fetch that could not be recorded."""
    return {"failed_at": _now(), "stage": "fetch", "reason": reason, "database_error": why,
            "url": url, "fetch": json_safe(extra)}  # fmt: skip


def run_record(*, why: str, **run: Any) -> dict[str, Any]:
    """A dead-letter record for a `crawl_runs` row (arguments of `record_crawl_run`)."""
    return {"failed_at": _now(), "stage": "crawl_run", "reason": "crawl run not recorded",
            "database_error": why, "run": json_safe(run)}  # fmt: skip


def read_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line number, record) for each line; `None` for a line that is not a JSON object.

    A crash can leave the last line half-written: it is reported, not fatal.
    """
    with path.open(encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                yield number, None
                continue
            yield number, record if isinstance(record, dict) else None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()
