"""The shared table of date strings (`cases.jsonl`), read by the tests and the bench."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

CASES_PATH = Path(__file__).with_name("cases.jsonl")
#: Reference time of the table unless a case gives its own: Monday 10 January 2022, 12:00 WIB.
DEFAULT_NOW = datetime.fromisoformat("2022-01-10T05:00:00+00:00")


@dataclass(frozen=True, slots=True)
class Case:
    """One row: text, reference time, site zone, expected instant (None = not a date)."""

    group: str
    text: str
    now: datetime
    tz: str
    expected: datetime | None
    note: str = ""


def load_cases(path: Path = CASES_PATH) -> list[Case]:
    """All rows of the table."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        expected = row.get("expected")
        out.append(
            Case(
                group=row["group"],
                text=row["text"],
                now=datetime.fromisoformat(row["now"]) if row.get("now") else DEFAULT_NOW,
                tz=row.get("tz") or "Asia/Jakarta",
                expected=datetime.fromisoformat(expected) if expected else None,
                note=row.get("note", ""),
            )
        )
    return out
