"""Article items for tests: realistic Indonesian-looking text, deterministic by seed."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from aggregator.items import ArticleItem

T0 = dt.datetime(2026, 1, 20, 3, 0, tzinfo=dt.UTC)
_WORDS = (  # noqa: SIM905 - a word list reads better as text
    "pemerintah presiden menteri warga polisi banjir hujan kota provinsi ekonomi harga pasar "
    "beras minyak listrik sekolah guru siswa rumah sakit dokter jalan kereta bandara nelayan "
    "petani desa gubernur bupati dewan partai pemilu hukum hakim korupsi rupiah saham pabrik "
    "buruh gaji sepak bola pelatih gempa gunung longsor bantuan relawan"
).split()


def text(seed: int, words: int = 120) -> str:
    """Deterministic pseudo-news text."""
    rng = random.Random(seed)
    return " ".join(rng.choice(_WORDS) for _ in range(words)) + "."


def item(n: int, **overrides: Any) -> ArticleItem:
    """Article number `n` of source `s{n % 3}`."""
    fields: dict[str, Any] = {
        "url": f"https://berita{n % 3}.example.id/read/{n}",
        "source": f"s{n % 3}",
        "fetched_at": T0 + dt.timedelta(minutes=n),
        "title": f"Judul berita {n}",
        "body": text(n),
        "published_at": T0 - dt.timedelta(hours=n % 48),
        "authors": [f"Penulis {n % 5}"],
        "tags": ["nasional", f"topik{n % 4}"],
    }
    fields.update(overrides)
    return ArticleItem(**fields)
