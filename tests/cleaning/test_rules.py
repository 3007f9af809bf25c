"""Every text rule: a line it must remove or strip, and a real sentence it must keep."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aggregator.cleaning import clean_text
from aggregator.cleaning.rules import GLOBAL_RULES, SITE_RULES

KEEP = "Polisi masih mendalami kasus itu di Jakarta Selatan."

# (rule name, boilerplate paragraph, text expected to survive from it)
CASES = [
    ("baca-juga", "Baca juga: Terungkap! Cekcok Pemotor vs Pria Berpistol", ""),
    ("baca-juga", "BACA JUGA - Menhub Lobi Sri Mulyani", ""),
    ("baca-juga", "Simak juga: Berita lain di sini", ""),
    ("baca-juga-bare", "Baca Juga", ""),
    ("google-news", "Follow Berita Okezone di Google News", ""),
    ("google-news", "Ikuti berita terkini dari Kompas.com di Google News", ""),
    ("whatsapp-channel", "Simak breaking news dan berita pilihan kami langsung di ponselmu. "
     "Pilih saluran favoritmu akses berita Kompas.com WhatsApp Channel", ""),
    ("advertisement", "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT", ""),
    ("advertisement", "Harga naik. ADVERTISEMENT Kata dia.", "Harga naik. Kata dia."),
    ("advertisement", "SCROLL TO RESUME CONTENT", ""),
    ("gambas-video", "[Gambas:Video 20detik]", ""),
    ("gambas-video", "Dia tiba. [Gambas:Video CNN] Lalu pergi.", "Dia tiba. Lalu pergi."),
    ("simak-video", "Simak Video 'Cekcok Polisi dengan Ketua RT'", ""),
    ("lihat-juga", "Lihat Juga: Daftar Harga Tiket Pesawat Terbaru", ""),
    ("simak-video", "Lihat juga Video: Cekcok Polisi dengan Ketua RT", ""),
    ("related-heading", "Berita Terkait", ""),
    ("related-heading", "Rekomendasi Artikel", ""),
    ("related-heading", "BERITA LAINNYA", ""),
    ("related-heading", "Simak Lifestyle Populer Lainnya", ""),
    ("syndication-note", "Artikel ini telah naik di detikBali dan bisa dibaca di sini.", ""),
    ("comment-disclaimer", "Disclaimer : Komentar adalah tanggapan pribadi", ""),
    ("comment-disclaimer", "Periksa kembali dan lengkapi data dirimu.", ""),
    ("press-contact", "KONTAK: info@merhametveadalet.com", ""),
    ("separator", "-----", ""),
    ("separator", "-", ""),
    ("dated-headline", "Kamis, 05/11/2015 09:25 WIB Ini Dia Tempat Terbasah di Dunia", ""),
    ("dated-headline", "Rabu, 04/11/2015 23:45 WIB", ""),
    ("baca-juga", "Baca Selanjutnya: Gula Darah Rendah...", ""),
    ("share-post", "You can share this post!", ""),
    ("next-page", "Halaman selanjutnya", ""),
    ("next-page", "Halaman 2", ""),
    ("share-label", "Bagikan artikel ini", ""),
    ("comment-label", "Komentar", ""),
    ("tag-line", "Tag: pesawat, tiket, menhub", ""),
    ("copyright", "Copyright © ANTARA 2016", ""),
    ("photo-credit", "(Foto: Grandyos Zafna/detikcom)", ""),
    ("caption-credit", "Taylor Swift memberikan standing ovation untuk Joey. Foto: Grammy", ""),
    ("load-more", "Load More...", ""),
    # issue 18: the forms unseen layouts carry
    ("baca-juga", "Baca: Jawaban Soal SMP, Senin 4 Mei 2020, Kain Batik", ""),
    ("google-news", "Simak berita dan artikel lainnya di Google News", ""),
    ("google-news", "Dapatkan update terbaru di Google News", ""),
    ("whatsapp-channel", "Dapatkan update berita pilihan setiap hari dari Warta. Mari "
     "bergabung di Grup Telegram", ""),
    ("next-page", "Halaman", ""),
    ("next-page", "Halaman: 1 2 3 Selanjutnya", ""),
    ("next-page", "Page 1 2 »", ""),
    ("share-networks", "Facebook Twitter WhatsApp Salin Link", ""),
    ("share-networks", "Telegram", ""),
]


@pytest.mark.parametrize(("rule", "line", "left"), CASES)
def test_rule_removes_its_boilerplate(rule: str, line: str, left: str) -> None:
    result = clean_text(f"{KEEP}\n\n{line}\n\n{KEEP} Lagi.")
    assert result.hits[rule] >= 1
    if rule in {"related-heading", "share-post", "next-page", "comment-label",
                "comment-disclaimer", "press-contact"}:
        assert result.text == KEEP  # these end the article: what follows is a widget
    else:
        expected = [KEEP, left, f"{KEEP} Lagi."] if left else [KEEP, f"{KEEP} Lagi."]
        assert result.text == "\n\n".join(expected)


def test_every_text_rule_has_a_case() -> None:
    names = {r.name for r in GLOBAL_RULES.texts}
    assert names <= {c[0] for c in CASES}


@pytest.mark.parametrize("sentence", [
    "Baca puisi itu membuatnya menangis, kata dia.",
    "Dia mengikuti berita di Google dan media sosial lainnya setiap hari.",
    "Halaman rumahnya luas dan bersih.",
    "Para penumpang diminta melihat juga jadwal penerbangan terbaru.",
    "Iklan itu disebut ADVERTISEMENTS oleh pengelola.",
    "Komentar warganet ramai di media sosial, katanya.",
    "Baca pesan itu dengan teliti: semua syarat harus dipenuhi.",
    "Halaman sekolah dipakai untuk upacara, kata kepala sekolah.",
    "Twitter dan Facebook dipakai warga untuk melapor banjir.",
    "Oleh karena itu, Pemerintah Kota menunda proyek tersebut.",
])
def test_article_sentences_survive(sentence: str) -> None:
    result = clean_text(sentence)
    assert result.text == sentence
    assert not result.hits


def test_clean_text_is_idempotent() -> None:
    raw = f"{KEEP}\n\nBaca juga: X\n\nAkhir berita. (wk/tiar)\n\nEditor: Bayu Galih"
    once = clean_text(raw)
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert not twice.hits


def test_rule_names_are_unique_and_patterns_compile() -> None:
    rulesets = [GLOBAL_RULES, *SITE_RULES.values()]
    names = [r.name for rs in rulesets for r in (*rs.elements, *rs.labels, *rs.texts)]
    per_kind = [(type(r).__name__, r.name) for rs in rulesets
                for r in (*rs.elements, *rs.labels, *rs.texts)]
    assert len(per_kind) == len(set(per_kind))
    assert all(names)
    for rs in rulesets:
        for r in (*rs.labels, *rs.texts):
            re.compile(r.pattern)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    KEEP, "Baca juga: Judul lain", "ADVERTISEMENT", "Berita Terkait", "Editor: Bayu Galih",
    "Akhir berita. (wk/tiar)", "[Gambas:Video 20detik]", "Jakarta - Polisi datang.",
    "(Foto: Grandyos Zafna/detikcom)", "Halaman 2", "DINI TEJA", "  spasi   ganda  ",
]) | st.text(max_size=40), max_size=12))
def test_cleaning_is_idempotent_on_any_mix(parts: list[str]) -> None:
    once = clean_text("\n\n".join(parts))
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert "\n\n\n" not in once.text


@pytest.mark.parametrize("repeats", [1, 4, 5, 12])
def test_a_repeated_ending_is_cut_in_one_run(repeats: int) -> None:
    # each closing desk code uncovers the one before it: more than the whole-text passes
    once = clean_text("\n\n".join([KEEP, *["Akhir berita. (wk/tiar)"] * repeats]))
    assert once.text == f"{KEEP}\n\nAkhir berita."
    assert once.credit_codes == ["wk/tiar"]
    assert clean_text(once.text).text == once.text
