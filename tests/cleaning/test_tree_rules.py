"""Every element and label rule removes its widget from a page and leaves the story."""

from __future__ import annotations

from collections import Counter

import lxml.html
import pytest

from aggregator.cleaning.rules import GLOBAL_RULES, SITE_RULES, ElementRule, LabelRule
from aggregator.extraction.prune import prune_tree

STORY = "Polisi masih mendalami kasus itu di Jakarta Selatan, kata Kapolsek kepada wartawan."
WIDGET = "Isi widget yang harus hilang"


def _page(widget: str) -> lxml.html.HtmlElement:
    html = (f"<html><body><article><p>{STORY}</p>{widget}<p>{STORY} Lagi.</p></article>"
            "</body></html>")
    return lxml.html.document_fromstring(html)


def _element_cases() -> list[object]:
    cases = []
    scopes = [(None, GLOBAL_RULES), *SITE_RULES.items()]
    for site, rules in scopes:
        for rule in rules.elements:
            for cls in rule.classes:
                cases.append(pytest.param(site, rule, f'<div class="box {cls}">{WIDGET}</div>',
                                          id=f"{rule.name}-class-{cls}"))
            for prefix in rule.id_prefixes:
                cases.append(pytest.param(site, rule, f'<div id="{prefix}-7">{WIDGET}</div>',
                                          id=f"{rule.name}-id-{prefix}"))
            for tag in rule.tags:
                cases.append(pytest.param(site, rule, f"<{tag}>{WIDGET}</{tag}>",
                                          id=f"{rule.name}-tag-{tag}"))
    return cases


@pytest.mark.parametrize(("site", "rule", "widget"), _element_cases())
def test_element_rule(site: str | None, rule: ElementRule, widget: str) -> None:
    tree = _page(widget)
    hits: Counter[str] = Counter()
    prune_tree(tree, site, hits)
    text = tree.text_content()
    assert WIDGET not in text
    assert STORY in text
    assert hits[rule.name] == 1


LABELS = {
    "baca-juga": '<p><strong>Baca juga:</strong> <a href="/x">Menhub Lobi Sri Mulyani</a></p>',
    "berita-terkait": '<div><h3>Berita Terkait</h3><ul><li><a href="/a">Judul satu yang '
                      'panjang</a></li><li><a href="/b">Judul dua yang panjang</a></li></ul></div>',
    "rekomendasi": '<div><h4>Rekomendasi untuk Anda</h4><a href="/a">Judul lain yang '
                   'panjang sekali</a></div>',
    "lihat-juga": '<p>Lihat juga: <a href="/v">Video cekcok polisi</a></p>',
    "terpopuler": '<div><h4>Terpopuler</h4><ol><li><a href="/a">Berita populer '
                  'pertama</a></li></ol></div>',
}


@pytest.mark.parametrize("rule", GLOBAL_RULES.labels, ids=lambda r: r.name)
def test_label_rule(rule: LabelRule) -> None:
    tree = _page(LABELS[rule.name])
    hits: Counter[str] = Counter()
    prune_tree(tree, None, hits)
    text = " ".join(tree.text_content().split())
    assert hits[rule.name] == 1
    assert STORY in text
    assert text.count("Jakarta Selatan") == 2
    assert "Judul" not in text
    assert "Menhub" not in text


def test_related_list_after_a_bare_heading_goes_too() -> None:
    widget = ('<span>BERITA LAINNYA</span><hr><ul><li><a href="/a">Raffi Ahmad Terharu Nagita '
              'Slavina Beri Kado</a> Teaser satu.</li><li><a href="/b">Park Bo Gum Ingin '
              'Pacari Song Joong Ki</a> Teaser dua.</li></ul>')
    tree = _page(widget)
    prune_tree(tree, None, Counter())
    text = tree.text_content()
    assert "Raffi" not in text
    assert STORY in text


def test_article_sized_elements_are_never_removed() -> None:
    long_story = " ".join([STORY] * 40)
    tree = lxml.html.document_fromstring(
        f'<html><body><div class="share">{long_story}</div></body></html>')
    prune_tree(tree, None, Counter())
    assert long_story in tree.text_content()


def test_every_rule_is_documented() -> None:
    for rules in (GLOBAL_RULES, *SITE_RULES.values()):
        for rule in (*rules.elements, *rules.labels, *rules.texts):
            assert rule.doc, rule.name
