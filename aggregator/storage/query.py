"""User search queries: a tiny safe grammar compiled to FTS5 MATCH and to PostgreSQL tsquery.

Grammar: words are ANDed (`AND`, upper case, may be written); `"a quoted phrase"`
matches words in order; `word*` matches a prefix; `OR` (upper case) between terms makes
alternatives; `-term` or `NOT term` excludes.  Each alternative needs a term to find:
exclusions alone, or `NOT` with nothing after it, are an error, never an empty
result.  Words are reduced to
letters and digits before they reach either engine, so no user text is ever parsed as
FTS syntax: operators, quotes and brackets in a word are separators, not syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aggregator.exceptions import InputError

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_OPERATORS = ("AND", "OR", "NOT")


@dataclass(frozen=True, slots=True)
class Term:
    """Words matched as a phrase (one word is a phrase of one); `prefix` on the last word."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """Alternatives (OR) of conjunctions (AND) of terms."""

    clauses: tuple[tuple[Term, ...], ...]


def parse_query(text: str) -> Query:
    """Parse a user query; a malformed or empty one raises `InputError` with one line."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(f"search query too long ({len(text)} characters, max {MAX_QUERY_CHARS})")
    if text.count('"') % 2:
        raise InputError("invalid search query: unbalanced double quote")
    clauses: list[list[Term]] = [[]]
    negate_next = False
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare in _OPERATORS:
            if negate_next:
                raise InputError(f"invalid search query: NOT must be followed by a word, "
                                 f"not {bare}")
            if bare == "OR":
                clauses.append([])
            negate_next = bare == "NOT"
            continue
        negated = negate_next or bool(minus)
        if phrase is None and bare.startswith("-") and _WORD.match(bare, 1):
            negated, bare = True, bare[1:]
        term = _term(phrase if phrase is not None else bare, quoted=phrase is not None)
        if term is not None:
            clauses[-1].append(Term(term.words, term.prefix, negated))
            negate_next = False
    if negate_next:
        raise InputError("invalid search query: NOT must be followed by a word or phrase")
    if any(c and all(t.negated for t in c) for c in clauses):
        raise InputError("invalid search query: NOT and -word only exclude; "
                         "add a word to search for")  # fmt: skip
    kept = tuple(tuple(c) for c in clauses if c)
    if not kept:
        raise InputError("invalid search query: no words to search for")
    if sum(len(c) for c in kept) > MAX_TERMS:
        raise InputError(f"invalid search query: more than {MAX_TERMS} terms")
    return Query(kept)


def _term(raw: str, *, quoted: bool) -> Term | None:
    """One term from a bare token or a quoted phrase; None when it has no word."""
    words = tuple(w.casefold() for w in _WORD.findall(raw))
    if not words:
        return None
    prefix = not quoted and raw.endswith("*") and len(words[-1]) >= 2
    return Term(words, prefix)


def to_fts5(query: Query) -> str:
    """The FTS5 MATCH expression: every word double-quoted (FTS5 string literals)."""

    def term(t: Term) -> str:
        return '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")

    def clause(terms: tuple[Term, ...]) -> str:
        found = "(" + " AND ".join(term(t) for t in terms if not t.negated) + ")"
        excluded = [term(t) for t in terms if t.negated]
        # FTS5's NOT is binary (`a NOT b`), so the exclusions go in as one alternative.
        return f"({found} NOT ({' OR '.join(excluded)}))" if excluded else found

    return " OR ".join(clause(c) for c in query.clauses)


def to_tsquery(query: Query) -> str:
    """The PostgreSQL `to_tsquery` text: quoted lexemes, `<->` phrases, `:*` prefixes."""

    def term(t: Term) -> str:
        lexemes = [f"'{w}'" for w in t.words]
        if t.prefix:
            lexemes[-1] += ":*"
        return ("!" if t.negated else "") + "(" + " <-> ".join(lexemes) + ")"

    return " | ".join("(" + " & ".join(term(t) for t in c) + ")" for c in query.clauses)
