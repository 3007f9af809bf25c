"""apply_clean: the clean stage's merge of cleaner findings into an ArticleItem."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from aggregator.cleaning.item import apply_clean
from aggregator.items import ArticleItem

BODY = ("JAKARTA, KOMPAS.com - Harga tiket naik, kata dia.\n\nBaca juga: Lain\n\n"
        "Akhir cerita. (ant/tiar)\n\nPenulis: Ani Rahma | Editor: Bayu Galih")


def _item(body: str | None, **kw: Any) -> ArticleItem:
    return ArticleItem(url="https://news.example.id/a", source="kompas",
                       fetched_at=datetime(2026, 1, 1, tzinfo=UTC), body=body, **kw)


def test_empty_fields_are_filled_and_body_cleaned() -> None:
    item = _item(BODY)
    result = apply_clean(item)
    assert item.body == "JAKARTA, KOMPAS.com - Harga tiket naik, kata dia.\n\nAkhir cerita."
    assert (item.authors, item.editors) == (["Ani Rahma"], ["Bayu Galih"])
    assert (item.credit_codes, item.wire_source) == (["ant/tiar"], "Antara")
    assert result.hits["baca-juga"] == 1
    assert result.text == item.body


# field -> the value extraction or the site parser already set, which must survive
SET_FIELDS: list[tuple[str, Any]] = [
    ("authors", ["Reporter Situs"]),
    ("editors", ["Redaktur Situs"]),
    ("credit_codes", ["abc"]),
    ("wire_source", "Reuters"),
]


@pytest.mark.parametrize(("name", "value"), SET_FIELDS)
def test_fields_already_set_win(name: str, value: Any) -> None:
    item = _item(BODY, **{name: value})
    apply_clean(item)
    assert getattr(item, name) == value
    others = {n for n, _ in SET_FIELDS} - {name}
    assert all(getattr(item, other) for other in others)  # the rest are still filled


def test_result_lists_are_not_shared_with_the_item() -> None:
    item = _item(BODY)
    result = apply_clean(item)
    result.authors.append("Lain")
    assert item.authors == ["Ani Rahma"]


@pytest.mark.parametrize("body", [None, ""])
def test_no_body_changes_nothing(body: str | None) -> None:
    item = _item(body)
    result = apply_clean(item)
    assert (item.body, result.text, result.hits) == (body, "", {})
    assert item.authors == []
    assert item.wire_source is None


def test_body_the_rules_remove_entirely_is_kept() -> None:
    item = _item("Baca juga: Satu\n\nBerita Terkait")
    result = apply_clean(item)
    assert result.text == ""
    assert item.body == "Baca juga: Satu\n\nBerita Terkait"


def test_second_run_is_a_no_op() -> None:
    item = _item(BODY)
    apply_clean(item)
    body, authors = item.body, list(item.authors)
    again = apply_clean(item)
    assert (item.body, item.authors) == (body, authors)
    assert not again.hits
