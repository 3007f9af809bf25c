"""Fixtures for dedup tests: a fresh SQLite database with the whole schema."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.models import Article, Base, Source

T0 = dt.datetime(2026, 1, 20, 3, 0, tzinfo=dt.UTC)

_VOCAB = (
    "pemerintah presiden menteri jakarta warga polisi banjir hujan kota provinsi rakyat "
    "ekonomi harga pasar beras minyak listrik sekolah guru siswa rumah sakit dokter pasien "
    "jalan tol kereta bandara pesawat laut kapal nelayan petani sawah desa kepala daerah "
    "gubernur bupati wali anggota dewan partai pemilu suara calon kampanye hukum hakim "
    "jaksa pengadilan korupsi uang negara bank rupiah dolar saham investasi pabrik buruh "
    "gaji kerja olahraga sepak bola tim pemain pelatih gol menang kalah laga musim liga "
    "cuaca gempa bumi gunung api tanah longsor korban bantuan relawan posko tenda air"
)
_WORDS = tuple(_VOCAB.split())


def make_text(seed: int, words: int = 220) -> str:
    """A deterministic pseudo-article of `words` words in paragraphs of 40."""
    rng = random.Random(seed)
    tokens = [rng.choice(_WORDS) for _ in range(words)]
    paras = [" ".join(tokens[i : i + 40]) + "." for i in range(0, words, 40)]
    return "\n\n".join(paras)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A file-backed SQLite engine with every table created."""
    eng = make_engine(f"sqlite:///{tmp_path / 'dedup.db'}")
    Base.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Writer sessions on the test database."""
    return session_factory(engine)


def add_article(
    session: Session,
    url: str,
    body: str | None,
    *,
    source: str = "antara",
    published_at: dt.datetime | None = T0,
    first_seen_at: dt.datetime = T0,
) -> int:
    """Insert one article row (and its source) and return its id."""
    if session.scalar(select(Source.id).where(Source.name == source)) is None:
        session.add(Source(name=source, first_seen_at=first_seen_at))
        session.flush()  # no ORM relationship orders the two inserts
    art = Article(
        url=url, source=source, title="t", body=body, published_at=published_at,
        authors=[], editors=[], credit_codes=[], tags=[], fetched_at=first_seen_at,
        first_seen_at=first_seen_at, last_seen_at=first_seen_at, updated_at=first_seen_at,
    )
    session.add(art)
    session.flush()
    return art.id
