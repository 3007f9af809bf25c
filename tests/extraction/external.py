"""The external pages (tests/fixtures/external): real pages from other projects' test sets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXTERNAL = Path(__file__).resolve().parents[1] / "fixtures" / "external"


def external_pages() -> list[dict[str, Any]]:
    """Every truth record of `truth.json` (articles and non-articles)."""
    data = json.loads((EXTERNAL / "truth.json").read_text("utf-8"))
    return list(data["pages"])


def external_articles() -> list[dict[str, Any]]:
    """The article pages only."""
    return [p for p in external_pages() if p.get("expect_article", True)]


def page_bytes(record: dict[str, Any]) -> bytes:
    """The saved page."""
    return (EXTERNAL / record["file"]).read_bytes()


def fixture_name(record: dict[str, Any]) -> str:
    """The page's name as a site spec lists it ("jpnn-2021-1")."""
    return Path(record["file"]).stem
