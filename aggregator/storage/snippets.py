"""Search excerpts built in Python from the hit's body (cheaper than a second FTS pass).

The words of the query are matched with the same folding as the indexes (case and
diacritics), prefixes included, and shown in `[brackets]`.

Cost: Unicode normalisation of every word made a 20-hit search spend ~7 ms here, so
ASCII text (nearly all of a news body) is split and folded with C-level string calls
and only non-ASCII words are normalised (cached: names recur across hits).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from aggregator.storage.query import Query

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: `_WORD` on ASCII text: the same words (Unicode \w is [A-Za-z0-9_] there), found faster.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
BEFORE, AFTER = 6, 12


def fold(word: str) -> str:
    """Case- and diacritic-folded form of a word (café -> cafe)."""
    if word.isascii():  # NFKD leaves ASCII unchanged, and ASCII has no combining marks
        return word.lower()
    return _fold_unicode(word)


@lru_cache(maxsize=4096)
def _fold_unicode(word: str) -> str:
    """The full fold: casefold, NFKD, combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _matchers(query: Query) -> tuple[set[str], tuple[str, ...]]:
    """Exact words and prefixes to highlight."""
    exact: set[str] = set()
    prefixes: list[str] = []
    for clause in query.clauses:
        for term in clause:
            if term.negated:  # excluded words never appear in a hit
                continue
            words = [fold(w) for w in term.words]
            if term.prefix:
                prefixes.append(words[-1])
                words = words[:-1]
            exact.update(words)
    return exact, tuple(prefixes)


def _words(body: str) -> tuple[list[str], list[str]]:
    """The words of `body` and their folded forms, in order."""
    if body.isascii():
        words = _ASCII_WORD.findall(body)
        return words, list(map(str.lower, words))
    words = _WORD.findall(body)
    return words, [w.lower() if w.isascii() else _fold_unicode(w) for w in words]


def _marks(folded: list[str], query: Query) -> list[bool]:
    """For each folded word, whether the query matches it."""
    exact, prefixes = _matchers(query)
    if prefixes:
        return [w in exact or w.startswith(prefixes) for w in folded]
    return [w in exact for w in folded]


def make_snippet(body: str | None, query: Query) -> str | None:
    """About 18 words around the first match, matches bracketed (else the opening words)."""
    if not body:
        return None
    words, folded = _words(body)
    if not words:
        return None
    marks = _marks(folded, query)
    first = marks.index(True) if True in marks else 0  # title-only match: opening words
    lo, hi = max(0, first - BEFORE), min(len(words), first + AFTER)
    pairs = zip(words[lo:hi], marks[lo:hi], strict=True)
    parts = [f"[{w}]" if marked else w for w, marked in pairs]
    return ("…" if lo else "") + " ".join(parts) + ("…" if hi < len(words) else "")
