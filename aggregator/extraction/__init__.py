"""Article extraction: `extract_page` for one HTML page, `stitch_pages` for multi-page articles."""

from __future__ import annotations

from aggregator.extraction.page import extract_page
from aggregator.extraction.stitch import stitch_pages

__all__ = ["extract_page", "stitch_pages"]
