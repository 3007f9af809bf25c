"""Full-text search on both databases: folding, ranking, filters and hostile queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.exceptions import InputError
from aggregator.storage.models import Article
from aggregator.storage.repository import upsert_articles
from aggregator.storage.search import SearchFilters, search_articles
from tests.storage.factories import T0, item

DOCS = [
    item(1, title="Banjir rendam Jakarta Utara", body="Banjir setinggi satu meter merendam "
         "rumah warga di Jakarta Utara sejak Senin pagi.", authors=["Budi Santoso"],
         tags=["Banjir"], published_at=T0),
    item(2, title="Harga beras naik di pasar", body="Harga beras medium naik menjelang "
         "Lebaran; warga mengeluh. Banjir juga disebut.", authors=["Ani Lestari"],
         tags=["Ekonomi"], published_at=T0 + dt.timedelta(days=2)),
    item(3, title="Café di Bandung ramai", body="Pengunjung kafe menikmati kopi; "
         "manajer café itu senang.", authors=["Budi Santoso"], tags=["Gaya hidup"],
         published_at=T0 + dt.timedelta(days=5)),
    item(4, title="Gempa di Cianjur", body="Gempa bermagnitudo 5,6 mengguncang Cianjur; "
         "korban banjir bandang belum pulih.", authors=["Citra"], tags=["Bencana"],
         published_at=None),
]  # fmt: skip


@pytest.fixture
def filled(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        upsert_articles(session, DOCS)
    return sessions


def _urls(sessions: sessionmaker[Session], text: str, **filters: object) -> list[str]:
    with sessions() as session:
        hits = search_articles(session, text, SearchFilters(**filters))  # type: ignore[arg-type]
    return [h.url for h in hits]


def test_ranked_title_first(filled: sessionmaker[Session]) -> None:
    urls = _urls(filled, "banjir")
    assert set(urls) == {DOCS[0].url, DOCS[1].url, DOCS[3].url}
    assert urls[0] == DOCS[0].url  # in the title and twice in the body


@pytest.mark.parametrize("text", ["CAFE", "café", "Cafe", "cAfÉ"])
def test_case_and_diacritics_fold(filled: sessionmaker[Session], text: str) -> None:
    assert _urls(filled, text) == [DOCS[2].url]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"harga beras"', [1]),
        ('"beras harga"', []),
        ("gempa OR café", [2, 3]),
        ("jakart*", [0]),
        ("banjir bandang", [3]),
        ("banjir AND jakarta", [0]),
        ("banjir -jakarta", [1, 3]),
        ("banjir NOT jakarta", [1, 3]),
        ('banjir -"harga beras"', [0, 3]),
        ('banjir -"beras harga"', [0, 1, 3]),
        ("banjir -bandang -jakarta", [1]),
        ("gempa OR banjir -beras", [0, 3]),
        ("banj* -jakart*", [1, 3]),
    ],
)
def test_grammar(filled: sessionmaker[Session], text: str, expected: list[int]) -> None:
    assert sorted(_urls(filled, text)) == sorted(DOCS[i].url for i in expected)


def test_exclusion_with_a_source_filter(filled: sessionmaker[Session]) -> None:
    assert sorted(_urls(filled, "banjir -beras", source=DOCS[0].source)) == sorted(
        [DOCS[0].url, DOCS[3].url])


@pytest.mark.parametrize("text", ["NOT banjir", "-banjir", "AND", "banjir NOT", "gempa OR -banjir"])
def test_lone_operators_are_errors_not_empty_results(
    filled: sessionmaker[Session], text: str
) -> None:
    with pytest.raises(InputError, match="invalid search query"):
        _urls(filled, text)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"source": DOCS[1].source}, [1]),
        ({"source": DOCS[0].source}, [0, 3]),
        ({"author": "budi"}, [0]),
        ({"author": "ANI lestari"}, [1]),
        ({"tag": "ekonomi"}, [1]),
        ({"tag": "ekon"}, []),
        ({"since": T0 + dt.timedelta(days=1)}, [1, 3]),  # 3 has no date: first seen (now)
        ({"until": T0 + dt.timedelta(days=1)}, [0]),
        ({"since": T0, "until": T0 + dt.timedelta(days=3), "author": "ani"}, [1]),
    ],
)
def test_filters(
    filled: sessionmaker[Session], filters: dict[str, object], expected: list[int]
) -> None:
    assert sorted(_urls(filled, "banjir", **filters)) == sorted(DOCS[i].url for i in expected)


def test_hits_carry_fields_and_snippet(filled: sessionmaker[Session]) -> None:
    with filled() as session:
        hit = search_articles(session, "lebaran")[0]
    assert hit.title == DOCS[1].title
    assert hit.authors == ["Ani Lestari"]
    assert hit.published_at == DOCS[1].published_at
    assert hit.snippet is not None
    assert "[" in hit.snippet
    assert "lebaran" in hit.snippet.lower()
    assert hit.score > 0


@pytest.mark.parametrize(
    "evil",
    ["' OR 1=1 --", '"; DROP TABLE articles; --', "%", "_", "\\", "NEAR(", "*", "a" * 500,
     "title:banjir", "banjir) OR (1", "^banjir", "banjir\x00", "\ud800"],
)  # fmt: skip
def test_injection_strings_are_inert(filled: sessionmaker[Session], evil: str) -> None:
    with filled() as session:
        try:
            hits = search_articles(session, evil)
        except InputError:
            hits = []
        total = session.scalar(select(func.count()).select_from(Article))
    assert total == len(DOCS)  # tables intact
    words = re.findall(r"[^\W_]+", evil.casefold())
    by_url = {d.url: f"{d.title} {d.body}".casefold() for d in DOCS}
    for hit in hits:  # only a real word of the query can make a hit: never "everything"
        assert any(word in by_url[hit.url] for word in words)


def test_bad_queries_are_input_errors(filled: sessionmaker[Session]) -> None:
    with filled() as session:
        for text in ['"unbalanced', "", "   ", "x" * 501]:
            with pytest.raises(InputError):
                search_articles(session, text)
        with pytest.raises(InputError, match="limit"):
            search_articles(session, "banjir", limit=0)


def test_index_follows_updates_and_deletes(filled: sessionmaker[Session]) -> None:
    with filled.begin() as session:
        upsert_articles(session, [item(1, title="Kemarau panjang", body="Tidak ada air.")])
    assert _urls(filled, "kemarau") == [DOCS[0].url]
    assert DOCS[0].url not in _urls(filled, "banjir")
    with filled.begin() as session:
        session.delete(session.scalars(select(Article).where(Article.url == DOCS[0].url)).one())
    assert _urls(filled, "kemarau") == []


# Words and prefixes reach PostgreSQL's window query through a scalar subquery, phrases
# do not: each form must find the same window.
@pytest.mark.parametrize("text", ["pemilu", "pemil*", '"pemilu raya"', "pemilu-ray*"])
def test_ranking_window_keeps_the_newest_matches(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    import aggregator.storage.search as search_mod

    with sessions.begin() as session:  # ids grow with insertion: 5 and 6 are the newest
        upsert_articles(session, [item(n, title=f"Pemilu {n}", body="pemilu raya " * (10 - n))
                                  for n in range(1, 7)])  # fmt: skip
    monkeypatch.setattr(search_mod, "RANK_WINDOW", 2)
    monkeypatch.setattr(search_mod, "PG_RANK_WINDOW", 2)
    # PostgreSQL looks among ids above 6 - 3 first: enough unfiltered, too few filtered.
    monkeypatch.setattr(search_mod, "PG_RECENT_SPAN", 3)
    with sessions() as session:
        hits = search_articles(session, text, limit=10)
        filtered = search_articles(session, text, SearchFilters(source="s1"), limit=10)
    assert sorted(h.title or "" for h in hits) == ["Pemilu 5", "Pemilu 6"]
    # With a filter, the window counts the filtered matches (1 and 4 are s1).
    assert sorted(h.title or "" for h in filtered) == ["Pemilu 1", "Pemilu 4"]
