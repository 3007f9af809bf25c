"""Archive housekeeping: list files, verify them, prune files past a retention date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from aggregator.archive import index
from aggregator.archive.index import FileSummary


@dataclass(slots=True)
class ListedFile:
    """A WARC file: what the captures table says, and its size on disk (None: missing)."""

    summary: FileSummary
    size: int | None


def list_files(session: Session) -> list[ListedFile]:
    """Every WARC file the captures table knows, oldest first."""
    out = []
    for summary in index.file_summaries(session):
        path = Path(summary.warc_file)
        out.append(ListedFile(summary, path.stat().st_size if path.exists() else None))
    return out


@dataclass(slots=True)
class PrunePlan:
    """Files whose every capture is older than the cut-off, and the files kept back."""

    before: dt.datetime
    files: list[ListedFile] = field(default_factory=list)
    kept: list[ListedFile] = field(default_factory=list)  # newer revisits need their payload

    @property
    def captures(self) -> int:
        """Capture rows the prune deletes."""
        return sum(f.summary.captures for f in self.files)

    @property
    def bytes(self) -> int:
        """Bytes the prune frees."""
        return sum(f.size or 0 for f in self.files)


def plan_prune(session: Session, before: dt.datetime) -> PrunePlan:
    """Whole files only: a file goes when its newest capture is before `before`.

    A file holding the original payload of a revisit that stays is kept (and reported):
    deleting it would leave that newer capture without a body.
    """
    plan = PrunePlan(before=before)
    candidates = {f.summary.warc_file: f for f in list_files(session) if f.summary.last < before}
    changed = True
    while changed:  # keeping one file keeps its revisits, which may need other files
        changed = False
        for name in list(candidates):
            others = [n for n in candidates if n != name]
            if index.orphaned_revisits(session, [name], exclude=others):
                plan.kept.append(candidates.pop(name))
                changed = True
    plan.files = list(candidates.values())
    return plan


def apply_prune(session: Session, plan: PrunePlan) -> int:
    """Delete the planned files' rows, then the files; returns the number of rows deleted.

    Rows go first (in the caller's transaction): a crash between the two leaves an
    unreferenced file, never a row pointing to nothing.
    """
    deleted = index.delete_files(session, [f.summary.warc_file for f in plan.files])
    session.flush()
    return deleted


def remove_files(plan: PrunePlan) -> None:
    """Delete the planned files from disk (after the rows are committed)."""
    for listed in plan.files:
        Path(listed.summary.warc_file).unlink(missing_ok=True)
