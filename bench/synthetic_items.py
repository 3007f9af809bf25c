"""Generated `ArticleItem`s for store benchmarks, without a crawl.

Bodies come from the synthetic site's sentence generator (`aggregator.demo.synthetic`),
so they have the same length and vocabulary as the crawled benchmark pages.  Every
tenth item is an edited copy of an earlier one from another source (a syndicated
story), so clustering has real merges to do, as it has in production.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from aggregator.dedup import content_hash
from aggregator.demo import synthetic
from aggregator.items import ArticleItem

_TAG = re.compile(r"<[^>]+>")
SOURCES = ("kompas", "detik", "tempo", "antaranews", "cnnindonesia")


def make_items(n: int, *, start: int = 0, seed: int = 3) -> list[ArticleItem]:
    """`n` items numbered from `start`; the same arguments give the same items."""
    rng = random.Random(seed * 1_000_003 + start)
    base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    items: list[ArticleItem] = []
    for k in range(n):
        i = start + k
        kota = rng.choice(synthetic.KOTA)
        title = f"{rng.choice(synthetic.SUBJEK)} {kota} {rng.choice(synthetic.AKSI)} nomor {i}"
        if k % 10 == 9 and items:  # an edited copy of an earlier story, on another site
            original = rng.choice(items[-50:])
            paras = (original.body or "").split("\n\n")
            body = "\n\n".join([*paras[:-1], synthetic._sentence(rng, kota)])
            source = SOURCES[(SOURCES.index(original.source) + 1) % len(SOURCES)]
        else:
            paras = synthetic._paragraphs(rng, kota, title, i)
            body = _TAG.sub("", "\n\n".join(paras))
            source = SOURCES[i % len(SOURCES)]
        published = base + dt.timedelta(minutes=7 * i)
        items.append(ArticleItem(
            url=f"https://{source}.example/read/{i}/{title.lower().replace(' ', '-')}",
            source=source, fetched_at=published + dt.timedelta(hours=1), title=title,
            body=body, published_at=published, authors=[rng.choice(synthetic.NAMA)],
            tags=[kota.lower()], language="id", content_hash=content_hash(body),
        ))
    return items
