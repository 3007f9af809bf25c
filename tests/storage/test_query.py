"""The query grammar: what users type becomes safe FTS5 and tsquery text."""

from __future__ import annotations

import pytest

from aggregator.exceptions import InputError
from aggregator.storage.query import parse_query, to_fts5, to_tsquery


@pytest.mark.parametrize(
    ("text", "fts5", "tsquery"),
    [
        ("banjir", '("banjir")', "(('banjir'))"),
        ("Banjir JAKARTA", '("banjir" AND "jakarta")', "(('banjir') & ('jakarta'))"),
        ('"harga beras" naik', '("harga beras" AND "naik")',
         "(('harga' <-> 'beras') & ('naik'))"),
        ("gempa OR longsor", '("gempa") OR ("longsor")', "(('gempa')) | (('longsor'))"),
        ("korup*", '("korup"*)', "(('korup':*))"),
        ("covid-19", '("covid 19")', "(('covid' <-> '19'))"),
        ("' OR 1=1 --", '("1 1")', "(('1' <-> '1'))"),
        ('NEAR(a b) "x"', '("near a" AND "b" AND "x")', "(('near' <-> 'a') & ('b') & ('x'))"),
        ("kéju ÜBER", '("kéju" AND "über")', "(('kéju') & ('über'))"),
        ("bus AND listrik", '("bus" AND "listrik")', "(('bus') & ('listrik'))"),
        ("bus -listrik", '(("bus") NOT ("listrik"))', "(('bus') & !('listrik'))"),
        ("bus NOT listrik -xy*", '(("bus") NOT ("listrik" OR "xy"*))',
         "(('bus') & !('listrik') & !('xy':*))"),
        ('a -"b c"', '(("a") NOT ("b c"))', "(('a') & !('b' <-> 'c'))"),
        ("a OR b -c", '("a") OR (("b") NOT ("c"))', "(('a')) | (('b') & !('c'))"),
        ("a -- b", '("a" AND "b")', "(('a') & ('b'))"),
    ],
)  # fmt: skip
def test_compiles(text: str, fts5: str, tsquery: str) -> None:
    query = parse_query(text)
    assert to_fts5(query) == fts5
    assert to_tsquery(query) == tsquery


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"harga beras', "unbalanced"),
        ("", "no words"),
        ("*** -- ()", "no words"),
        ("OR", "no words"),
        ("AND", "no words"),
        ("NOT bus", "only exclude"),
        ("-bus", "only exclude"),
        ("bus OR -kereta", "only exclude"),
        ("bus NOT", "must be followed"),
        ("bus NOT OR kereta", "must be followed"),
        ("x" * 501, "too long"),
        (" ".join(["kata"] * 33), "more than 32"),
    ],
)
def test_rejects(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_query(text)
