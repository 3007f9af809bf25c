"""A generated news site of N templated Indonesian article pages, for crawl benchmarks.

`generate_site(root, n)` writes article pages in portal markup (JSON-LD NewsArticle,
og/meta tags, a WIB date line, a "Jakarta -" dateline, "Baca juga:" boxes,
"ADVERTISEMENT", an editor code), Google News sitemaps of at most 500 URLs under a
sitemap index, an RSS feed of the latest 50 and a robots.txt.  Links use the
`{{BASE_URL}}` placeholder that `aggregator.mirror` fills in.  Output is deterministic
for a given seed, and every article's text differs enough not to be a near-duplicate.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import itertools
import json
import random
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

BASE: Final = "{{BASE_URL}}"
WIB: Final = ZoneInfo("Asia/Jakarta")
SITEMAP_SIZE: Final = 500
FEED_SIZE: Final = 50
MAX_SPAN_DAYS: Final = 360  # every article is published within this many days of 1 Jan 2025
HARI: Final = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN: Final = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                "September", "Oktober", "November", "Desember")
KOTA: Final = ("Jakarta", "Bandung", "Surabaya", "Medan", "Makassar", "Semarang", "Palembang",
               "Denpasar", "Pontianak", "Manado", "Padang", "Kupang", "Ambon", "Mataram")
SUBJEK: Final = ("Pemkot", "Warga", "Pedagang", "Dinas Perhubungan", "Petani", "Nelayan",
                 "Mahasiswa", "Dinas Kesehatan", "Polisi", "BPBD", "Pengusaha", "Guru")
AKSI: Final = ("Keluhkan", "Dukung", "Uji Coba", "Tinjau", "Tolak", "Siapkan", "Perluas",
               "Evaluasi", "Rayakan", "Awasi")
OBJEK: Final = ("Harga Beras", "Jalur Sepeda", "Pasar Malam", "Bus Listrik", "Banjir Rob",
                "Vaksinasi Anak", "Festival Kuliner", "Jembatan Gantung", "Sekolah Darurat",
                "Bank Sampah", "Tarif Parkir", "Irigasi Sawah")
# Sentences are built from three fragment lists so that bodies share few word shingles
# (a benchmark of near-identical pages would measure the dedup stage, not the crawl).
AWAL: Final = (
    "Menurut data kelurahan,", "Kepala dinas mengatakan", "Sejak pekan lalu,",
    "Dalam rapat koordinasi,", "Berdasarkan catatan panitia,", "Menurut {nama},",
    "Hasil survei menunjukkan", "Sementara itu,", "Di sisi lain,", "Pada {hari} pagi,",
    "Seusai peninjauan,", "Dalam keterangan tertulis,",
)
TENGAH: Final = (
    "sedikitnya {n} keluarga merasakan dampaknya", "anggaran sekitar Rp {n} juta disiapkan",
    "{n} petugas gabungan diterjunkan ke lapangan", "omzet pedagang turun {n} persen",
    "{n} persen responden setuju dengan rencana itu", "posko pengaduan dibuka di {n} titik",
    "pekerjaan ditargetkan rampung dalam {n} bulan", "jumlah pengunjung mencapai {n} orang",
    "harga kebutuhan pokok naik {n} persen", "{n} sekolah menyesuaikan jadwal belajar",
    "antrean kendaraan mengular hingga {n} meter", "{n} relawan membantu proses pendataan",
)
AKHIR: Final = (
    "di wilayah {kota}.", "meski hujan deras turun sejak pagi.", "sehingga warga diminta bersabar.",
    "dan evaluasi dilakukan setiap {m} hari.", "seperti dilaporkan aparat kecamatan.",
    "tanpa ada laporan korban jiwa.", "sebelum rapat lanjutan pada {hari} mendatang.",
    "agar pelayanan tetap berjalan normal.", "sesuai arahan wali kota.",
    "walau sebagian warga masih ragu.", "dengan pengawasan dari aparat setempat.",
    "hingga akhir bulan depan.",
)
# Real news bodies share few 4-word shingles: names, places and topic words differ from
# story to story.  Template fragments alone made 24 % of unrelated pairs LSH candidates
# (0 of 1,326 pairs of the real fixture articles are), so words from a generated lexicon,
# drawn by a Zipf law as word frequencies are, are scattered through every sentence.
_ONSETS: Final = ("b", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "w", "c", "ny")
_VOWELS: Final = ("a", "i", "u", "e", "o")
_CODAS: Final = ("", "", "n", "ng", "r", "k", "h", "s")
LEXICON_SIZE: Final = 20_000
LEXICON_RATE: Final = 0.45  # chance of a lexicon word after each template word


@functools.cache  # built on first use: importing the module costs nothing
def _lexicon() -> tuple[list[str], list[float]]:
    """LEXICON_SIZE distinct pseudo-words and their cumulative Zipf weights (fixed seed)."""
    rng = random.Random(20251)
    words: dict[str, None] = {}
    while len(words) < LEXICON_SIZE:
        syllables = rng.choice((2, 2, 3))
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
        words[word + rng.choice(_CODAS)] = None
    weights = itertools.accumulate(1 / (rank + 10) for rank in range(LEXICON_SIZE))
    return list(words), list(weights)

NAMA: Final = ("Suparman", "Siti Aminah", "Budi Santoso", "Ni Luh Ayu", "Yohanes Kareth",
               "Dewi Lestari", "Andi Rahman", "Teguh Wibowo", "Rahmawati", "Fransiska Lewa")


@dataclass(frozen=True, slots=True)
class SyntheticArticle:
    """One generated article: its path on the mirror, title and publication instant."""

    path: str
    title: str
    published: dt.datetime  # aware, WIB


@dataclass(frozen=True, slots=True)
class SyntheticSite:
    """What `generate_site` wrote."""

    root: Path
    articles: list[SyntheticArticle]
    sitemap_index: str  # path of the sitemap index
    feed: str  # path of the RSS feed


def generate_site(root: Path, n: int, *, seed: int = 7) -> SyntheticSite:
    """Write `n` article pages plus sitemaps, a feed and robots.txt under `root`."""
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(seed)
    articles = []
    for i, published in enumerate(publication_times(n, rng)):
        art = _make_article(rng, i, published)
        _write(root / art.path.lstrip("/"), _article_html(rng, art, i))
        articles.append(art)
    index = _write_sitemaps(root, articles)
    _write(root / "rss.xml", _feed_xml(articles[-FEED_SIZE:]))
    _write(root / "robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {BASE}{index}\n")
    return SyntheticSite(root=root, articles=articles, sitemap_index=index, feed="/rss.xml")


def publication_times(n: int, rng: random.Random) -> list[dt.datetime]:
    """`n` ascending instants from 1 Jan 2025, within MAX_SPAN_DAYS.

    37 minutes apart, closer when that would reach further: a 50,000-page site 37
    minutes apart ran into 2028, and the crawl rightly drops articles dated in the future.
    """
    start = dt.datetime(2025, 1, 1, 6, 0, tzinfo=WIB)
    step = min(37.0, MAX_SPAN_DAYS * 24 * 60 / n)
    return [start + dt.timedelta(minutes=step * (i + rng.randrange(30) / 37)) for i in range(n)]


def _make_article(rng: random.Random, i: int, published: dt.datetime) -> SyntheticArticle:
    """A unique title and URL path for article number `i`."""
    title = (f"{rng.choice(SUBJEK)} {rng.choice(KOTA)} {rng.choice(AKSI)} "
             f"{rng.choice(OBJEK)} Tahap {i + 1}")
    slug = title.lower().replace(" ", "-")
    path = f"/berita/read/{published:%Y/%m/%d}/{100000 + i}/{slug}"
    return SyntheticArticle(path=path, title=title, published=published)


def _sentence(rng: random.Random, kota: str) -> str:
    """One body sentence with its blanks filled."""
    text = f"{rng.choice(AWAL)} {rng.choice(TENGAH)} {rng.choice(AKHIR)}".format(
        n=rng.randrange(2, 900), m=rng.randrange(2, 15), kota=kota, nama=rng.choice(NAMA),
        hari=rng.choice(HARI),
    )
    lexicon, weights = _lexicon()
    words = []
    for word in text.split():
        words.append(word)
        if not word.endswith((",", ".")) and rng.random() < LEXICON_RATE:
            words.extend(rng.choices(lexicon, cum_weights=weights))
    text = " ".join(words)
    return text[0].upper() + text[1:]


def _paragraphs(rng: random.Random, kota: str, title: str, i: int) -> list[str]:
    """Six to nine paragraphs of two or three sentences; the first carries the dateline."""
    lead = (f"<strong>{kota}</strong> - Kabar tentang {title.lower()} menjadi perhatian "
            f"warga sejak pekan lalu, dengan nomor laporan {i + 1}.")
    paras = [lead]
    for _ in range(rng.randrange(6, 10)):
        paras.append(" ".join(_sentence(rng, kota) for _ in range(rng.randrange(2, 4))))
    return paras


def date_line(value: dt.datetime) -> str:
    """`Sabtu, 08 Januari 2022 15:40 WIB` for an aware datetime."""
    local = value.astimezone(WIB)
    return (f"{HARI[local.weekday()]}, {local.day:02d} {BULAN[local.month - 1]} "
            f"{local.year} {local:%H:%M} WIB")


def _article_html(rng: random.Random, art: SyntheticArticle, i: int) -> str:
    """The full page for one article."""
    kota = rng.choice(KOTA)
    author = rng.choice(NAMA)
    url = BASE + art.path
    body = _paragraphs(rng, kota, art.title, i)
    blocks = [f"<p>{p}</p>" for p in body]
    blocks.insert(2, f'<table class="linksisip"><tr><td><strong>Baca juga:</strong> <a href='
                     f'"{BASE}/berita/terkait/{i}">Berita terkait nomor {i}</a></td></tr></table>')
    blocks.insert(4, '<div class="paradetail"><span>ADVERTISEMENT</span>'
                     '<span>SCROLL TO RESUME CONTENT</span></div>')
    blocks.append(f'<p class="editor-code">({author[:2].lower()}/red)</p>')
    iso = art.published.isoformat()
    ld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": art.title,
        "datePublished": iso, "dateModified": iso, "url": url,
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": "Kabar Bench"},
    }, ensure_ascii=False)
    title = html.escape(art.title)
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>{title} - Kabar Bench</title>
<link rel="canonical" href="{url}">
<meta name="description" content="{title}.">
<meta property="og:title" content="{title}"><meta property="og:url" content="{url}">
<meta property="og:type" content="article"><meta property="og:site_name" content="Kabar Bench">
<meta property="article:published_time" content="{iso}">
<script type="application/ld+json">{ld}</script>
</head><body>
<header><a href="{BASE}/">Kabar Bench</a>
<nav><a href="{BASE}/">Beranda</a> <a href="{BASE}/rss.xml">RSS</a></nav></header>
<div class="ads">ADVERTISEMENT</div>
<article class="detail">
<h1 class="detail__title">{title}</h1>
<div class="detail__author">{author} - kabarBench</div>
<div class="detail__date">{date_line(art.published)}</div>
<div class="detail__body-text">
{chr(10).join(blocks)}
</div>
</article>
<footer><p>Follow Berita Kabar Bench di Google News</p><p>&copy; 2025 Kabar Bench</p></footer>
</body></html>
"""


def _write_sitemaps(root: Path, articles: list[SyntheticArticle]) -> str:
    """Google News sitemaps of SITEMAP_SIZE URLs and their index; returns the index path."""
    parts = []
    for k in range(0, len(articles), SITEMAP_SIZE):
        name = f"/sitemap-news-{k // SITEMAP_SIZE + 1}.xml"
        _write(root / name.lstrip("/"), _news_sitemap(articles[k : k + SITEMAP_SIZE]))
        parts.append(f"<sitemap><loc>{BASE}{name}</loc></sitemap>")
    _write(root / "sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
           'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(parts)
           + "\n</sitemapindex>\n")
    return "/sitemap.xml"


def _news_sitemap(articles: list[SyntheticArticle]) -> str:
    """One Google News sitemap."""
    urls = "\n".join(
        f"<url><loc>{BASE}{a.path}</loc><news:news><news:publication><news:name>Kabar Bench"
        f"</news:name><news:language>id</news:language></news:publication>"
        f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
        f"<news:title>{html.escape(a.title)}</news:title></news:news></url>"
        for a in articles
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
            'schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f"{urls}\n</urlset>\n")


def _feed_xml(articles: list[SyntheticArticle]) -> str:
    """An RSS 2.0 feed of the given articles, newest first."""
    items = "\n".join(
        f"<item><title>{html.escape(a.title)}</title><link>{BASE}{a.path}</link>"
        f"<pubDate>{format_datetime(a.published)}</pubDate></item>"
        for a in reversed(articles)
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>Kabar Bench</title><link>{BASE}/</link><description>Benchmark</description>"
            f"\n{items}\n</channel></rss>\n")


def _write(path: Path, text: str) -> None:
    """Write UTF-8 text, creating parent directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
