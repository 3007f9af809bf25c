"""CleanPipeline: rules on item bodies, credit fields, rule stats, the on/off setting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from aggregator.items import ArticleItem
from aggregator.pipelines.clean import CleanPipeline


def _pipeline(**settings: object) -> tuple[CleanPipeline, object]:
    crawler = get_crawler(Spider, settings_dict=settings)
    crawler.stats.open_spider()
    return CleanPipeline.from_crawler(crawler), crawler.stats


def _item(body: str, **kw: object) -> ArticleItem:
    return ArticleItem(url="https://news.example.id/a", source="kompas",
                       fetched_at=datetime(2026, 1, 1, tzinfo=UTC), body=body, **kw)  # type: ignore[arg-type]


def test_body_cleaned_and_credits_filled() -> None:
    pipeline, stats = _pipeline()
    item = _item("Harga tiket naik, kata dia.\n\nBaca juga: Lain\n\nAkhir. (wk/tiar)\n\n"
                 "Editor: Bayu Galih", rule_hits={"ad-slot": 3})
    out = pipeline.process_item(item)
    assert out.body == "Harga tiket naik, kata dia.\n\nAkhir."
    assert out.editors == ["Bayu Galih"]
    assert out.credit_codes == ["wk/tiar"]
    assert stats.get_value("clean/rule/baca-juga") == 1
    assert stats.get_value("clean/rule/ad-slot") == 3  # extraction's hits are counted too
    assert stats.get_value("clean/items") == 1


def test_fields_from_extraction_win() -> None:
    pipeline, _ = _pipeline()
    item = _item("Isi berita.\n\nPenulis: Orang Lain", authors=["Reporter Situs"])
    assert pipeline.process_item(item).authors == ["Reporter Situs"]


def test_other_items_pass_untouched() -> None:
    pipeline, stats = _pipeline()
    other = {"body": "Baca juga: x"}
    assert pipeline.process_item(other) is other
    assert stats.get_value("clean/items") is None


def test_setting_turns_it_off() -> None:
    with pytest.raises(NotConfigured):
        _pipeline(AGGREGATOR_CLEAN_ENABLED=False)


def test_body_removed_entirely_is_counted_and_kept() -> None:
    pipeline, stats = _pipeline()
    out = pipeline.process_item(_item("Baca juga: Satu\n\nBerita Terkait"))
    assert out.body == "Baca juga: Satu\n\nBerita Terkait"
    assert stats.get_value("clean/emptied") == 1
    assert stats.get_value("clean/rule/related-heading") == 1


def test_item_without_body_counts_only_extraction_hits() -> None:
    pipeline, stats = _pipeline()
    pipeline.process_item(_item("", rule_hits={"ad-slot": 2}))
    assert stats.get_value("clean/rule/ad-slot") == 2
    assert stats.get_value("clean/emptied") is None
