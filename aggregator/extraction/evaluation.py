"""Body-extraction quality metric of the article-extraction benchmark (word 4-gram shingles).

Per page: precision and recall of the predicted multiset of word 4-grams against the
truth; corpus precision and recall are the means over pages; F1 is the harmonic mean of
those two means; accuracy is the share of pages whose token sequence matches exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_WORD = re.compile(r"\w+")
# Room for dateline punctuation ("JAKARTA, KOMPAS.com -") before the first sentence.
_DATELINE_SLACK = 25


@dataclass(frozen=True, slots=True)
class Scores:
    """Corpus-level scores."""

    f1: float
    precision: float
    recall: float
    accuracy: float
    pages: int


def tokens(text: str) -> list[str]:
    """Maximal runs of Unicode word characters, case kept."""
    return _WORD.findall(text or "")


def shingles(words: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of word n-grams; a short non-empty text is one shingle."""
    if not words:
        return Counter()
    if len(words) < n:
        return Counter([tuple(words)])
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def page_scores(truth: str, predicted: str) -> tuple[float | None, float | None, bool]:
    """(precision or None, recall or None, exact token match) for one page."""
    true_words, pred_words = tokens(truth), tokens(predicted)
    gold, pred = shingles(true_words), shingles(pred_words)
    tp = sum((gold & pred).values())
    fp = sum(pred.values()) - tp
    fn = sum(gold.values()) - tp
    if fp == 0 and fn == 0:
        return 1.0, 1.0, true_words == pred_words
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall, true_words == pred_words


def corpus_scores(pairs: Iterable[tuple[str, str]]) -> Scores:
    """Scores over (truth, predicted) pairs, every page weighted equally."""
    precisions: list[float] = []
    recalls: list[float] = []
    exact = pages = 0
    for truth, predicted in pairs:
        precision, recall, same = page_scores(truth, predicted)
        pages += 1
        exact += same
        if precision is not None:
            precisions.append(precision)
        if recall is not None:
            recalls.append(recall)
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(f1=f1, precision=p, recall=r, accuracy=exact / pages if pages else 0.0,
                  pages=pages)


def norm(text: str) -> str:
    """The id-news fixtures' normalisation: whitespace runs collapsed, trimmed."""
    return " ".join((text or "").split())


def fixture_problems(title: str | None, body: str | None, truth: dict[str, Any]) -> list[str]:
    """What an extraction gets wrong against an id-news truth record (empty = right).

    Title exact; body begins (after an optional dateline) with the first sentence and
    ends (after an optional editor code) with the last; no boilerplate sample left.
    """
    problems = [] if norm(title or "") == norm(truth["title"]) else [f"title: {title!r}"]
    text = norm(body or "")
    first, last = norm(truth["body_first_sentence"]), norm(truth["body_last_sentence"])
    start = text.find(first)
    if start < 0:
        problems.append("first sentence missing")
    elif start > len(norm(truth.get("dateline", ""))) + _DATELINE_SLACK:
        problems.append(f"text before first sentence: {text[:start][-80:]!r}")
    code = norm(truth.get("editor_code", ""))
    tail = text[: -len(code)].rstrip() if code and text.endswith(code) else text
    if not tail.endswith(last):
        where = tail.rfind(last)
        problems.append("last sentence missing" if where < 0
                        else f"text after last sentence: {tail[where + len(last):][:80]!r}")
    problems += [f"boilerplate left: {s[:60]!r}" for s in truth.get("boilerplate_samples", [])
                 if norm(s) in text]
    return problems
