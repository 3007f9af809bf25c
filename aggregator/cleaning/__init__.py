"""Indonesian boilerplate removal on article text, with per-rule hit counts.

`clean_text` is idempotent: running it on its own output changes nothing and
counts no further hits, so the pipeline may re-run it on stored bodies.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from aggregator.cleaning.credits import (
    Credits,
    closing_code_index,
    is_credit_paragraph,
    parse_credit_paragraph,
    split_signature,
    split_trailing_code,
)
from aggregator.cleaning.datelines import trim_before_dateline
from aggregator.cleaning.rules import TextRule, rules_for
from aggregator.cleaning.syndication import split_syndication
from aggregator.cleaning.text import join_paragraphs, normalize_line, split_paragraphs

__all__ = ["CleanResult", "clean_paragraphs", "clean_text"]

_MAX_PASSES = 4


@dataclass(slots=True)
class CleanResult:
    """Cleaned text plus what the rules found."""

    text: str
    hits: Counter[str] = field(default_factory=Counter)
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    credit_codes: list[str] = field(default_factory=list)
    wire_source: str | None = None


def clean_text(text: str | None, *, site: str | None = None) -> CleanResult:
    """Remove boilerplate paragraphs and phrases from a body; credit lines become fields."""
    if not text:
        return CleanResult(text="")
    return clean_paragraphs(split_paragraphs(text), site=site)


def clean_paragraphs(paragraphs: list[str], *, site: str | None = None) -> CleanResult:
    """Clean a list of body paragraphs (already split) and join them.

    The passes repeat until nothing changes (a stripped ad label can uncover a
    "Baca juga" line, a stripped desk code an earlier one), so the result is a fixed
    point and cleaning it again is a no-op.
    """
    hits: Counter[str] = Counter()
    credits = Credits()
    kept = [p for p in (normalize_line(p) for p in paragraphs) if p]
    syndicated: str | None = None
    for _ in range(_MAX_PASSES):
        before = kept
        kept = _apply_text_rules(kept, _compiled(site), hits)
        kept, notes, outlet = split_syndication(kept, site)
        hits["syndication-note"] += notes
        syndicated = syndicated or outlet
        trimmed_from = kept
        kept, trimmed = trim_before_dateline(kept)
        hits["caption-before-dateline"] += trimmed
        _read_trimmed_credits(trimmed_from, kept, credits)
        kept = _extract_credits(kept, credits, hits)
        if kept == before:
            break
    return CleanResult(
        text=join_paragraphs(kept), hits=+hits, authors=credits.authors,
        editors=credits.editors, credit_codes=credits.credit_codes,
        # A wire agency named by a credit line is the story's first source; the outlet
        # of a syndication note (see syndication.py) only passed it on.
        wire_source=credits.wire_source or syndicated,
    )


@lru_cache(maxsize=64)
def _compiled(site: str | None) -> tuple[tuple[TextRule, re.Pattern[str]], ...]:
    """Compiled text rules for a site (global first)."""
    return tuple(
        (rule, re.compile(rule.pattern, re.IGNORECASE))
        for ruleset in rules_for(site)
        for rule in ruleset.texts
    )


def _apply_text_rules(
    paragraphs: list[str],
    rules: tuple[tuple[TextRule, re.Pattern[str]], ...],
    hits: Counter[str],
) -> list[str]:
    """Apply drop/strip/cut rules paragraph by paragraph, in order."""
    kept: list[str] = []
    for para in paragraphs:
        text: str | None = normalize_line(para)
        for rule, pattern in rules:
            if text is None or not text:
                break
            if rule.action == "strip":
                text, n = pattern.subn(" ", text)
                if n:
                    hits[rule.name] += n
                    text = normalize_line(text)
            elif pattern.search(text):
                hits[rule.name] += 1
                if rule.action == "cut":
                    return kept
                text = None
        if text:
            kept.append(text)
    return kept


def _read_trimmed_credits(before: list[str], after: list[str], credits: Credits) -> None:
    """Credit lines the dateline trim removed (a reporter line over the story) still count."""
    for para in before[: len(before) - len(after)]:
        if is_credit_paragraph(para):
            parse_credit_paragraph(para, credits)


def _extract_credits(paragraphs: list[str], credits: Credits, hits: Counter[str]) -> list[str]:
    """Move credit paragraphs and the trailing desk code into `credits`."""
    kept: list[str] = []
    for para in paragraphs:
        if is_credit_paragraph(para):
            parse_credit_paragraph(para, credits)
            hits["credit-line"] += 1
        else:
            kept.append(para)
    # Repeat on the tail until it stands still: cutting one closing desk code can uncover
    # another, and the whole-text passes are too few for a page that repeats its ending.
    while True:
        before = (len(kept), kept[-1] if kept else "")
        kept = _cut_closing_credits(kept, credits, hits)
        if (len(kept), kept[-1] if kept else "") == before:
            return kept


def _cut_closing_credits(kept: list[str], credits: Credits, hits: Counter[str]) -> list[str]:
    """Cut what follows the closing desk code, then the trailing code and signature."""
    end = closing_code_index(kept)
    if end is not None and end < len(kept) - 1:
        hits["code-ends-article"] += len(kept) - 1 - end
        kept = kept[: end + 1]
    for split, name in ((split_trailing_code, "credit-code"), (split_signature, "signature")):
        while kept:
            last = split(kept[-1], credits)
            if last == kept[-1]:
                break
            hits[name] += 1
            if last:
                kept[-1] = last
                break
            kept.pop()
    return kept
