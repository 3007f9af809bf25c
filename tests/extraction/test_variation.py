"""The layout-variation suite in CI: the generic path on layouts it was not tuned on.

`SEEDS_CI` were never looked at while fixing the code (the tuning seeds are
`SEEDS_TUNING`); the floor below sits under the figure those seeds give, so a change that
breaks unfamiliar layouts fails here.  Each failure kind of issue 18 is also checked on
every CI layout that has it, so each fix is shown on many layouts, not on the one it was
first tried on.  The published figure (fresh seeds) comes from bench/bench_variation.py.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import pytest

from tests.extraction.variation import SEEDS_CI, SEEDS_TUNING
from tests.extraction.variation.score import CHECKS, Outcome, run_seed
from tests.extraction.variation.templates import Rendered, render

#: Pinned floor for the CI seeds (they give 100 % today; the published target is 97 %).
FULLY_RIGHT_FLOOR = 0.97
CHECK_FLOOR = 0.98


@lru_cache(maxsize=1)
def _outcomes() -> tuple[tuple[Rendered, Outcome], ...]:
    return tuple((render(seed), run_seed(seed)) for seed in SEEDS_CI)


def test_ci_seeds_are_not_tuning_seeds() -> None:
    assert not set(SEEDS_CI) & set(SEEDS_TUNING)
    assert len(SEEDS_CI) >= 100


def test_generic_path_on_unseen_layouts_holds_its_floor() -> None:
    outcomes = [o for _, o in _outcomes()]
    right = sum(not o.failed for o in outcomes)
    bad = [(o.seed, o.failed, o.details[:2]) for o in outcomes if o.failed]
    assert right / len(outcomes) >= FULLY_RIGHT_FLOOR, bad[:10]
    for check in CHECKS:
        failed = sum(check in o.failed for o in outcomes)
        assert 1 - failed / len(outcomes) >= CHECK_FLOOR, (check, bad[:10])


def _has(kind: str) -> Callable[[Rendered], bool]:
    return lambda r: bool(r.truth.boilerplate.get(kind))


# Issue 18's failure kinds: which rendered layouts carry each one.
KINDS: dict[str, Callable[[Rendered], bool]] = {
    "section label and date line at the body start":
        lambda r: r.layout["section"] == "with-date" or r.layout["date"] == "body-top",
    "outlet dateline": lambda r: r.layout["dateline"] == "set",
    "reporter line (Laporan Wartawan ...)": lambda r: r.layout["reporter"] == "tribun-line",
    "Penulis<br>Editor in one paragraph":
        lambda r: r.layout["editor"] == "end-br" and r.layout["reporter"] == "end",
    "editor credit anywhere": lambda r: r.layout["editor"] != "none",
    "3- and 4-page articles": lambda r: int(str(r.layout["pages"])) >= 3,
    "Google News / WhatsApp follow lines": _has("follow"),
    "pager labels": _has("pager"),
    "captions": _has("caption"),
    "Baca juga boxes and inline related links": _has("baca-juga"),
    "false Z beside a visible local date line": lambda r: r.layout["machine_date"] == "false-z",
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_failure_kind_is_fixed_on_many_layouts(kind: str) -> None:
    chosen = [(r, o) for r, o in _outcomes() if KINDS[kind](r)]
    assert len(chosen) >= 5, f"too few CI layouts carry {kind!r}: widen SEEDS_CI"
    # many different templates: the class names of the story container differ
    assert len({str(r.layout["container"]) for r, _ in chosen}) >= 5
    wrong = [(o.seed, o.failed) for _, o in chosen if o.failed]
    assert len(wrong) <= 0.05 * len(chosen), wrong


def test_truth_is_built_into_the_pages() -> None:
    # the generator's truth is on its pages: a check that cannot fail would prove nothing
    for seed in list(SEEDS_CI)[:30]:
        rendered = render(seed)
        shown = " ".join(_visible(page) for page in rendered.pages.values())
        assert rendered.truth.title in shown
        assert rendered.truth.first_sentence in shown
        assert rendered.truth.last_sentence in shown
        for kind, texts in rendered.truth.boilerplate.items():
            for text in texts:
                assert " ".join(text.split()) in shown, (seed, kind, text)


def test_a_wrong_extraction_is_caught() -> None:
    from tests.extraction.variation.score import check, crawl

    rendered = render(next(iter(SEEDS_CI)))
    item = crawl(rendered)
    item.body = f"{(item.body or '')}\n\n{rendered.truth.boilerplate['dateline-visible'][0]}"
    item.editors = [*item.editors, "Orang Lain"]
    failed, _ = check(rendered, item)
    assert {"last_sentence", "no_boilerplate", "editors"} <= set(failed)


def _visible(html: str) -> str:
    import lxml.html

    return " ".join(lxml.html.document_fromstring(html).text_content().split())
