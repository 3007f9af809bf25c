"""Run rendered articles through extraction as a crawl does, and name what went wrong.

Each page is extracted with `extract_page` (no site parser: these outlets are unknown),
further pages are followed with the crawl's own `next_step` and stitched by
`finish_article`, the item is cleaned by `apply_clean` and dated by
`resolve_article_dates`, exactly as the spider and its pipelines do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from aggregator.article import (
    DEFAULT_TIMEZONE,
    finish_article,
    first_page_state,
    next_step,
    use_single_view,
)
from aggregator.cleaning.item import apply_clean
from aggregator.dates import resolve_article_dates
from aggregator.extraction import extract_page
from aggregator.items import ArticleItem
from aggregator.types import PageFields
from tests.extraction.variation.templates import Rendered, render

#: The checks, in the order the report lists them.
CHECKS = ("title", "first_sentence", "last_sentence", "all_pages", "no_boilerplate",
          "authors", "editors", "instant")
_DATELINE_SLACK = 25
_MAX_PAGES = 20


@dataclass(slots=True)
class Outcome:
    """One rendered article: which checks failed (empty = fully right) and details."""

    seed: int
    failed: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    layout: dict[str, object] = field(default_factory=dict)


def crawl(rendered: Rendered) -> ArticleItem:
    """The item the crawl would build from these pages (fetching from the rendered dict)."""
    state = first_page_state(rendered.url, {}, {}, None, rendered.now)
    fields = extract_page(rendered.pages[rendered.url], rendered.url)
    if not fields.is_article:
        return ArticleItem(url=rendered.url, source="x", fetched_at=rendered.now)
    state.pages.append(fields)
    step = next_step(state, fields, max_pages=_MAX_PAGES)
    while step.url is not None:
        html = rendered.pages.get(step.url)
        page = extract_page(html, step.url) if html else PageFields(is_article=False)
        if step.single:
            if use_single_view(state, page):
                break
            step = next_step(state, None, max_pages=_MAX_PAGES)
            continue
        if not page.is_article:
            break  # the spider ends the article at a page that holds none
        state.pages.append(page)
        step = next_step(state, page, max_pages=_MAX_PAGES)
    item = finish_article(state)
    apply_clean(item)
    return item


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def check(rendered: Rendered, item: ArticleItem) -> tuple[list[str], list[str]]:
    """(failed checks, details) for one item against the rendered truth."""
    truth = rendered.truth
    failed: list[str] = []
    details: list[str] = []
    body = _norm(item.body)
    if _norm(item.title) != truth.title:
        failed.append("title")
        details.append(f"title={item.title!r}")
    start = body.find(_norm(truth.first_sentence))
    if start < 0 or start > len(truth.dateline) + _DATELINE_SLACK:
        failed.append("first_sentence")
        details.append(f"start={body[:120]!r}")
    tail = body.rstrip()
    if tail.endswith(")") and "(" in tail[-20:]:
        tail = tail[: tail.rindex("(")].rstrip()  # a closing desk code may stay
    if not tail.endswith(_norm(truth.last_sentence)):
        failed.append("last_sentence")
        details.append(f"end={body[-160:]!r}")
    pages = [p for p in rendered.pages.values()]
    if len(pages) > 1 and truth.last_sentence not in body:
        failed.append("all_pages")
        details.append(f"pages={len(pages)} got={item.page_count}")
    left = sorted({kind for kind, texts in truth.boilerplate.items()
                   for text in texts if _norm(text) and _norm(text) in body})
    if left:
        failed.append("no_boilerplate")
        details.append(f"boilerplate={left}")
    if {a.casefold() for a in item.authors} != {a.casefold() for a in truth.authors}:
        failed.append("authors")
        details.append(f"authors={item.authors} want={truth.authors}")
    if {e.casefold() for e in item.editors} != {e.casefold() for e in truth.editors}:
        failed.append("editors")
        details.append(f"editors={item.editors} want={truth.editors}")
    published, _ = resolve_article_dates(item.date_candidates, now=rendered.now,
                                         tz=DEFAULT_TIMEZONE)
    if published.value is None or \
            published.value.replace(second=0) != truth.published.replace(second=0):
        failed.append("instant")
        details.append(f"published={published.value} want={truth.published} "
                       f"raw={published.raw!r} src={published.source}")
    return failed, details


def run_seed(seed: int) -> Outcome:
    """Render, crawl and check one seed."""
    rendered = render(seed)
    item = crawl(rendered)
    failed, details = check(rendered, item)
    return Outcome(seed, failed, details, rendered.layout)


@dataclass(slots=True)
class Report:
    """Share fully right, failures per check, and fully-right share per layout feature."""

    pages: int
    fully_right: int
    failures: Counter[str]
    by_feature: dict[str, dict[str, list[int]]]  # feature -> value -> [right, total]
    failed_seeds: list[Outcome]

    @property
    def share(self) -> float:
        return self.fully_right / self.pages if self.pages else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "articles": self.pages,
            "fully_right": self.fully_right,
            "fully_right_pct": round(100 * self.share, 2),
            "right_pct_per_check": {c: round(100 * (1 - self.failures[c] / self.pages), 2)
                                    for c in CHECKS} if self.pages else {},
            "failures_per_check": {c: self.failures[c] for c in CHECKS},
            "fully_right_pct_per_layout_feature": {
                feat: {str(v): {"right": r, "articles": t, "pct": round(100 * r / t, 1)}
                       for v, (r, t) in sorted(vals.items())}
                for feat, vals in sorted(self.by_feature.items())
            },
        }


def run(seeds: Iterable[int]) -> Report:
    """Score every seed."""
    failures: Counter[str] = Counter()
    by_feature: dict[str, dict[str, list[int]]] = {}
    right = total = 0
    bad: list[Outcome] = []
    for seed in seeds:
        outcome = run_seed(seed)
        total += 1
        ok = not outcome.failed
        right += ok
        failures.update(outcome.failed)
        if not ok:
            bad.append(outcome)
        for feat, value in outcome.layout.items():
            if feat in ("container",):
                continue
            slot = by_feature.setdefault(feat, {}).setdefault(str(value), [0, 0])
            slot[0] += ok
            slot[1] += 1
    return Report(total, right, failures, by_feature, bad)
