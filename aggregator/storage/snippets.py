"""Search excerpts built in Python from the hit's body (cheaper than a second FTS pass).

The words of the query are matched with the same folding as the indexes (case and
diacritics), prefixes included, and shown in `[brackets]`.
"""

from __future__ import annotations

import re
import unicodedata

from aggregator.storage.query import Query

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
BEFORE, AFTER = 6, 12


def fold(word: str) -> str:
    """Case- and diacritic-folded form of a word (café -> cafe)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _matchers(query: Query) -> tuple[set[str], tuple[str, ...]]:
    """Exact words and prefixes to highlight."""
    exact: set[str] = set()
    prefixes: list[str] = []
    for clause in query.clauses:
        for term in clause:
            words = [fold(w) for w in term.words]
            if term.prefix:
                prefixes.append(words[-1])
                words = words[:-1]
            exact.update(words)
    return exact, tuple(prefixes)


def make_snippet(body: str | None, query: Query) -> str | None:
    """About 18 words around the first match, matches bracketed (else the opening words)."""
    if not body:
        return None
    exact, prefixes = _matchers(query)
    words = _WORD.finditer(body)
    spans = [(m.start(), m.end(), fold(m.group())) for m in words]
    starts = prefixes or ("\0",)  # "\0" starts no word: no prefix, no prefix match
    hits = [i for i, (_, _, w) in enumerate(spans) if w in exact or w.startswith(starts)]
    if not spans:
        return None
    first = hits[0] if hits else 0  # a title-only match: show the opening words
    lo, hi = max(0, first - BEFORE), min(len(spans), first + AFTER)
    marked = set(hits)
    parts = [f"[{body[s:e]}]" if i in marked else body[s:e]
             for i, (s, e, _) in enumerate(spans[lo:hi], start=lo)]  # fmt: skip
    return ("…" if lo else "") + " ".join(parts) + ("…" if hi < len(spans) else "")
