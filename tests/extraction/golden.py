"""Helpers shared by the golden tests: fixture pages and their truth records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "id-news"
PAGES = FIXTURES / "pages"
TRUTH = FIXTURES / "truth"


def article_names() -> list[str]:
    """Fixture pages that have truth files."""
    return sorted(p.stem for p in TRUTH.glob("*.json"))


def index_names() -> list[str]:
    """Fixture index pages (no truth)."""
    return sorted(p.stem for p in PAGES.glob("*-index-*.html"))


def load(name: str) -> tuple[bytes, dict[str, Any]]:
    """Raw page bytes and its truth record ({} for index pages)."""
    truth_path = TRUTH / f"{name}.json"
    truth = json.loads(truth_path.read_text("utf-8")) if truth_path.exists() else {}
    return (PAGES / f"{name}.html").read_bytes(), truth
