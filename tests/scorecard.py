"""Measurements the tests take, for the reliability scorecard (`bench/scorecard.py`).

A test calls `record(section, case, **figures)` with what it has just measured and
asserted.  When `AGGREGATOR_SCORECARD_OUT` names a file, one JSON line is appended to it;
otherwise nothing is written.  `bench/scorecard.py` runs the tests with that variable
set and renders docs/scorecard.md from the lines, so the table holds only figures a
passing test produced.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ENV = "AGGREGATOR_SCORECARD_OUT"


def record(section: str, case: str, **figures: Any) -> None:
    """Append one measurement (a no-op unless the scorecard run asked for them)."""
    target = os.environ.get(ENV)
    if not target:
        return
    line = json.dumps({"section": section, "case": case, "figures": figures},
                      ensure_ascii=False, default=str)  # fmt: skip
    with Path(target).open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
