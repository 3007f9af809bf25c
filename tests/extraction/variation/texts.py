"""Indonesian article texts written for the variation suite (not taken from any fixture page).

A story is built from a topic, people, places and numbers drawn from a seeded RNG, through
sentence patterns of the kinds news prose uses: reported statements, quotes, figures,
background.  Every sentence ends with punctuation, so first and last sentences are exact.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PLACES = ("Jakarta", "Surabaya", "Bandung", "Medan", "Makassar", "Denpasar", "Jayapura",
          "Ambon", "Kupang", "Pontianak", "Palembang", "Semarang", "Manado", "Mataram",
          "Banjarmasin", "Padang", "Sorong", "Ternate", "Kendari", "Balikpapan")
PEOPLE = ("Andi Prasetyo", "Siti Rahmawati", "Bambang Wicaksono", "Dewi Lestari Putri",
          "Rudi Hartono", "Yohana Mambrasar", "Made Suardana", "Nurul Hidayah", "Agus Salim",
          "Fransiska Wenda", "Hendra Gunawan", "Ratna Sari Dewi", "Yusuf Mansur Hakim",
          "Maria Goreti Lobo", "Teguh Santoso", "Wayan Sudarsa", "Intan Permatasari",
          "Samuel Rumbiak", "Lukman Hakim", "Citra Anggraini")
REPORTERS = ("Fajar Nugroho", "Rina Kurniasih", "Dimas Aditya", "Larasati Wulandari",
             "Yosua Kambu", "Ilham Ramadhan", "Putu Ayu Anggreni", "Benediktus Dogopia",
             "Annisa Fitriani", "Gilang Saputra", "Melati Sukma", "Reza Pahlevi")
EDITORS = ("Sri Handayani", "Taufik Ismail", "Yuliana Sembiring", "Arif Budiman",
           "Hesti Purnamasari", "Krisna Wibowo", "Novia Rahman", "Eko Widodo")
ROLES = ("Kepala Dinas Perhubungan", "Wakil Ketua DPRD", "Kepala Badan Pusat Statistik",
         "Direktur Utama perusahaan daerah", "Kepala Dinas Kesehatan", "Sekretaris Daerah",
         "Kapolres", "Kepala Balai Wilayah Sungai", "ekonom universitas negeri",
         "Ketua Himpunan Nelayan")
TOPICS = (
    ("harga beras", "pasar tradisional", "pedagang", "pasokan gabah"),
    ("banjir rob", "kawasan pesisir", "warga", "tanggul laut"),
    ("jalan tol baru", "ruas jalan", "pengendara", "gerbang tol"),
    ("vaksinasi anak", "puskesmas", "orang tua", "stok vaksin"),
    ("festival budaya", "alun-alun kota", "pengunjung", "panggung utama"),
    ("penerbangan perintis", "bandar udara", "penumpang", "jadwal penerbangan"),
    ("kebakaran hutan", "lahan gambut", "petugas", "titik panas"),
    ("ujian sekolah", "sekolah menengah", "siswa", "soal ujian"),
    ("harga cabai", "pasar induk", "petani", "musim hujan"),
    ("air bersih", "perumahan warga", "pelanggan", "pipa distribusi"),
    ("pelabuhan ikan", "dermaga", "nelayan", "cuaca buruk"),
    ("sampah plastik", "tempat pembuangan akhir", "relawan", "bank sampah"),
)
SECTIONS = ("Dunia", "Ekonomi", "Nasional", "Daerah", "Olahraga", "Hukum", "Teknologi",
            "Kesehatan", "Pendidikan", "Bisnis", "Regional", "Politik")
WEEKDAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")

_OPENERS = (
    "{role} {person} mengatakan {t0} di {place} menjadi perhatian pemerintah daerah sejak "
    "awal pekan ini.",
    "Sebanyak {n} {t2} di {place} terdampak {t0} yang terjadi sejak {day} lalu.",
    "Pemerintah Kota {place} menyiapkan anggaran Rp{n} miliar untuk menangani {t0} tahun "
    "ini.",
    "{t0_cap} kembali menjadi pembicaraan {t2} di {place} setelah {t3} berubah dalam dua "
    "pekan terakhir.",
    "Ratusan {t2} memadati {t1} di {place} pada {day} pagi untuk melihat langsung dampak "
    "{t0}.",
)
_MIDDLES = (
    "Menurut {person}, kondisi {t1} saat ini masih dapat dikendalikan oleh petugas.",
    "\u201cKami sudah berkoordinasi dengan semua pihak agar {t3} tetap aman,\u201d kata "
    "{person} kepada wartawan.",
    "Data yang dihimpun menunjukkan kenaikan sekitar {pct} persen dibandingkan bulan "
    "sebelumnya.",
    "Ia menambahkan bahwa {t2} diminta tetap tenang dan mengikuti informasi resmi.",
    "Sejumlah {t2} mengaku sudah merasakan dampaknya sejak beberapa hari terakhir.",
    "Petugas gabungan juga diturunkan untuk memantau {t1} selama {n} jam setiap hari.",
    "{person2}, salah seorang {t2}, berharap pemerintah segera mengambil langkah nyata.",
    "\u201cKalau dibiarkan, masalah {t0} ini bisa meluas ke daerah lain,\u201d ujar "
    "{person2}.",
    "Pemerintah provinsi menjanjikan bantuan tambahan bagi {t2} yang paling terdampak.",
    "Hingga kini belum ada laporan korban jiwa terkait peristiwa tersebut.",
    "Rapat evaluasi dijadwalkan berlangsung di kantor gubernur pada pekan depan.",
    "Selain itu, {t3} akan diperiksa ulang oleh tim teknis dari kementerian.",
    "Pihaknya mencatat ada {n} laporan yang masuk melalui layanan pengaduan daring.",
    "Kebijakan serupa pernah diterapkan di {place2} dan dinilai cukup berhasil.",
)
_CLOSERS = (
    "Pemerintah berjanji akan menyampaikan perkembangan terbaru kepada masyarakat.",
    "\u201cKami akan terus memantau situasi ini sampai benar-benar pulih,\u201d "
    "tegas {person}.",
    "Warga diimbau melapor ke posko terdekat jika menemukan masalah di lapangan.",
    "Evaluasi menyeluruh akan dilakukan setelah masa tanggap darurat berakhir.",
    "Langkah itu diharapkan dapat menekan dampak {t0} dalam beberapa bulan ke depan.",
)
_TITLES = (
    "{t0_cap} di {place} Jadi Sorotan, {role_short} Angkat Bicara",
    "{n} {t2_cap} Terdampak {t0_cap} di {place}",
    "Pemkot {place} Siapkan Rp{n} Miliar Tangani {t0_cap}",
    "{person} Minta {t2_cap} Tenang Hadapi {t0_cap}",
    "{t0_cap} Meluas, Warga {place} Diminta Waspada",
    "Soal {t0_cap}, {role_short} {place}: Kami Sudah Berkoordinasi",
)
_SUBHEADS = ("Langkah Pemerintah", "Tanggapan Warga", "Data Terbaru", "Rencana ke Depan")


@dataclass(frozen=True, slots=True)
class Story:
    """One article's text and credits, the truth of every page rendered from it."""

    title: str
    paragraphs: tuple[str, ...]  # the story as written, the first without its dateline
    place: str
    section: str
    authors: tuple[str, ...]
    editors: tuple[str, ...]
    list_items: tuple[str, ...]  # a bulleted list inside the story (may be empty)
    subheads: tuple[str, ...]  # subheadings inside the story (content)


def _fill(pattern: str, slots: dict[str, str]) -> str:
    return pattern.format(**slots)


def make_story(rng: random.Random) -> Story:
    """A story of 5-12 paragraphs with its credits."""
    topic = rng.choice(TOPICS)
    people = rng.sample(PEOPLE, 2)
    place, place2 = rng.sample(PLACES, 2)
    role = rng.choice(ROLES)
    slots = {
        "t0": topic[0], "t1": topic[1], "t2": topic[2], "t3": topic[3],
        "t0_cap": topic[0].title(), "t2_cap": topic[2].title(),
        "person": people[0], "person2": people[1], "place": place, "place2": place2,
        "role": role[0].upper() + role[1:], "role_short": role.split()[0].title(),
        "n": str(rng.randint(3, 950)), "pct": str(rng.randint(2, 40)),
        "day": rng.choice(WEEKDAYS_ID),
    }
    count = rng.randint(5, 12)
    middles = rng.sample(_MIDDLES, min(count - 2, len(_MIDDLES)))
    sentences = [_fill(rng.choice(_OPENERS), slots), *(_fill(m, slots) for m in middles),
                 _fill(rng.choice(_CLOSERS), slots)]
    paragraphs = _group(rng, sentences)
    authors = tuple(rng.sample(REPORTERS, 2 if rng.random() < 0.15 else 1))
    editors = (authors[0],) if rng.random() < 0.1 else (rng.choice(EDITORS),)
    if rng.random() < 0.1:
        editors = ()
    items = tuple(f"{w.capitalize()} di {p}" for w, p in
                  zip(("posko", "dapur umum", "pos kesehatan"), rng.sample(PLACES, 3),
                      strict=True)) if rng.random() < 0.3 else ()
    subheads = tuple(rng.sample(_SUBHEADS, 1)) if rng.random() < 0.3 and count > 6 else ()
    return Story(title=_fill(rng.choice(_TITLES), slots), paragraphs=tuple(paragraphs),
                 place=place, section=rng.choice(SECTIONS), authors=authors, editors=editors,
                 list_items=items, subheads=subheads)


def _group(rng: random.Random, sentences: list[str]) -> list[str]:
    """Sentences into paragraphs of one to three sentences."""
    out: list[str] = []
    i = 0
    while i < len(sentences):
        size = rng.choice((1, 1, 2, 2, 3))
        out.append(" ".join(sentences[i:i + size]))
        i += size
    return out
