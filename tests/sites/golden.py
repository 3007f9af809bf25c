"""Shared helpers for the golden tests: fixture pages with hand-checked truth."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "id-news"
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Case:
    """One saved page and its truth."""

    name: str
    truth: dict[str, Any]

    @property
    def html(self) -> bytes:
        """The page bytes."""
        return (FIXTURES / "pages" / f"{self.name}.html").read_bytes()


def norm(text: str | None) -> str:
    """The fixtures README normalisation: whitespace runs (nbsp included) to one space."""
    return _WS.sub(" ", text or "").strip()


def cases() -> list[Case]:
    """Every page that has a truth file, sorted by name."""
    return [
        Case(path.stem, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted((FIXTURES / "truth").glob("*.json"))
    ]
