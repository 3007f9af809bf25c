"""Helpers shared by the golden tests: fixture pages and the truth normalisation."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "id-news"
PAGES = FIXTURES / "pages"
TRUTH = FIXTURES / "truth"
_TRAIL_CODE = re.compile(r"\s*[(\[][^()\[\]]{1,20}[)\]]\s*$")


def norm(text: str) -> str:
    """The fixture README's normalisation: whitespace runs collapsed, trimmed."""
    return " ".join(text.split())


def article_names() -> list[str]:
    """Fixture pages that have truth files."""
    return sorted(p.stem for p in TRUTH.glob("*.json"))


def index_names() -> list[str]:
    """Fixture index pages (no truth)."""
    return sorted(p.stem for p in PAGES.glob("*-index-*.html"))


def load(name: str) -> tuple[bytes, dict[str, Any]]:
    """Raw page bytes and its truth record."""
    truth_path = TRUTH / f"{name}.json"
    truth = json.loads(truth_path.read_text("utf-8")) if truth_path.exists() else {}
    return (PAGES / f"{name}.html").read_bytes(), truth


def body_problems(body: str, truth: dict[str, Any]) -> list[str]:
    """What is wrong with an extracted body against the truth (empty list = right)."""
    text = norm(body)
    problems = []
    first, last = norm(truth["body_first_sentence"]), norm(truth["body_last_sentence"])
    start = text.find(first)
    if start < 0:
        problems.append("first sentence missing")
    elif start > len(norm(truth.get("dateline", ""))) + 25:
        problems.append(f"text before first sentence: {text[:start][:80]!r}")
    tail = text
    code = truth.get("editor_code")
    if code and tail.endswith(norm(code)):
        tail = tail[: -len(norm(code))].rstrip()
    if not tail.endswith(last):
        where = tail.find(last)
        problems.append("last sentence missing" if where < 0
                        else f"text after last sentence: {tail[where + len(last):][:80]!r}")
    for sample in truth.get("boilerplate_samples", []):
        if norm(sample) in text:
            problems.append(f"boilerplate left: {sample[:60]!r}")
    return problems
