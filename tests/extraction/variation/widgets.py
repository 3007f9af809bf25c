"""Page widgets for the variation suite: class names, share bars, related boxes, captions.

`Builder` renders each widget and records the exact text it put on the page, by kind, so
the truth of what must not reach the body is known by construction.
"""

from __future__ import annotations

import html
import random
import re
from datetime import datetime

from tests.extraction.variation.texts import MONTHS_ID, WEEKDAYS_ID, Story, make_story

OUTLETS = ("Warta Timur", "Kabar Nusa", "Suara Pesisir", "Berita Lintas", "Harian Kota",
           "Papua Kini", "Nusantara Pos", "Info Daerah", "Radar Selatan", "Jurnal Rakyat")
ZONES = (("WIB", 7), ("WITA", 8), ("WIT", 9))
_WORDS = ("main", "story", "detail", "read", "post", "entry", "article", "news", "content",
          "isi", "konten", "berita", "txt", "body", "wrap", "box", "col", "inner", "area")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def cls_name(rng: random.Random, *hint: str) -> str:
    """A class name in one of the styles portals use (BEM, dashed, camel, hashed)."""
    style = rng.randrange(5)
    words = [*hint, *rng.sample(_WORDS, 1)] if hint else rng.sample(_WORDS, 2)
    if style == 0:
        return "-".join(words)
    if style == 1:
        return f"{words[0]}__{words[-1]}"
    if style == 2:
        return words[0] + "".join(w.title() for w in words[1:])
    if style == 3:
        return f"c-{rng.getrandbits(24):06x}"
    return "_".join(words)


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def date_line(rng: random.Random, local: datetime, zone: str) -> str:
    wd, mon = WEEKDAYS_ID[local.weekday()], MONTHS_ID[local.month - 1]
    hm = f"{local:%H}:{local:%M}" if rng.random() < 0.7 else f"{local:%H}.{local:%M}"
    return rng.choice((
        f"{wd}, {local.day} {mon} {local.year} | {hm} {zone}",
        f"{wd}, {local.day:02d} {mon} {local.year} {hm} {zone}",
        f"{wd} {local.day} {mon[:3]} {local.year}, {hm} {zone}",
        f"{local:%d/%m/%Y}, {hm} {zone}",
        f"Diterbitkan {wd}, {local.day} {mon} {local.year} - {hm} {zone}",
        f"{local.day} {mon} {local.year} {hm} {zone}",
    ))


def _related_titles(rng: random.Random, n: int) -> list[str]:
    return [make_story(random.Random(rng.random())).title for _ in range(n)]


class Builder:
    """Collects the page's boilerplate strings by kind while rendering."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.boiler: dict[str, list[str]] = {}

    def note(self, kind: str, text: str) -> str:
        self.boiler.setdefault(kind, []).append(text)
        return text

    # --- widgets -----------------------------------------------------------------------
    def share_bar(self) -> str:
        label = self.rng.choice(("Bagikan:", "Share:", "Bagikan artikel ini", "SHARE"))
        nets = " ".join(f'<a href="#{n.lower()}">{n}</a>' for n in
                        self.rng.sample(("Facebook", "Twitter", "WhatsApp", "Telegram",
                                         "Salin Link", "LINE"), 4))
        self.note("share", label)
        return f'<div class="{cls_name(self.rng, "share")}"><span>{label}</span> {nets}</div>'

    def baca_box(self) -> str:
        titles = _related_titles(self.rng, self.rng.randint(1, 3))
        label = self.rng.choice(("Baca juga:", "BACA JUGA:", "Baca Juga", "Baca:",
                                 "Simak juga:", "Baca pula:", "Artikel terkait:",
                                 "Berita Terkait", "Lihat juga:"))
        for t in titles:
            self.note("baca-juga", t)
        links = "".join(f'<li><a href="/berita/{slug(t)}">{esc(t)}</a></li>' for t in titles)
        if len(titles) == 1 and self.rng.random() < 0.6:
            tag = self.rng.choice(("p", "div"))
            inner = f'<strong>{label}</strong> <a href="/berita/{slug(titles[0])}">' \
                    f'{esc(titles[0])}</a>'
            return f'<{tag} class="{cls_name(self.rng)}">{inner}</{tag}>'
        return (f'<div class="{cls_name(self.rng, "related")}"><span>{label}</span>'
                f"<ul>{links}</ul></div>")

    def caption(self, story: Story) -> str:
        text = f"Suasana di {story.place} pada hari kejadian."
        credit = self.rng.choice(("(Foto: Dok. Humas)", "(ANTARA FOTO/Arsip)",
                                  f"(Foto: {story.authors[0]})", ""))
        full = f"{text} {credit}".strip()
        self.note("caption", full)
        img = f'<img src="/img/{self.rng.getrandbits(32):x}.jpg" alt="">'
        if self.rng.random() < 0.5:
            return f"<figure>{img}<figcaption>{esc(full)}</figcaption></figure>"
        box, span = cls_name(self.rng, "foto"), cls_name(self.rng)
        return f'<div class="{box}">{img}<span class="{span}">{esc(full)}</span></div>'

    def follow_line(self, outlet: str) -> str:
        text = self.rng.choice((
            "Simak berita dan artikel lainnya di Google News",
            f"Ikuti berita terkini dari {outlet} di Google News",
            f"Simak breaking news dan berita pilihan {outlet} langsung di WhatsApp Channel",
            f"Follow {outlet} di Google News untuk update terbaru",
            f"Gabung grup Telegram {outlet} untuk berita terkini",
            f"Dapatkan update berita pilihan dan breaking news setiap hari dari {outlet}. "
            "Mari bergabung di Grup Telegram",
            "Saksikan video pilihan di bawah ini:",
            "Yuk, Simak Juga Video ini!",
        ))
        self.note("follow", text)
        return f'<p class="{cls_name(self.rng)}"><a href="https://news.example/x">{esc(text)}</a></p>'

    def comments(self) -> str:
        head = self.rng.choice(("Komentar", "Tulis Komentar", "KOMENTAR", "Kirim Komentar",
                                f"Komentar ({self.rng.randint(0, 40)})"))
        self.note("comments", head)
        return (f'<div id="{cls_name(self.rng, "komentar")}" class="{cls_name(self.rng)}">'
                f"<h3>{head}</h3><form><textarea></textarea><button>Kirim</button></form>"
                "</div>")

    def tags(self, story: Story) -> str:
        words = [story.place, story.section, "Pemerintah Daerah"]
        self.note("tags", "Pemerintah Daerah")
        links = " ".join(f'<a href="/tag/{slug(w)}">{w}</a>' for w in words)
        label = self.rng.choice(("Tag:", "Tags:", "Topik:", ""))
        return f'<div class="{cls_name(self.rng, "tag")}">{label} {links}</div>'

    def footer(self, outlet: str, year: int) -> str:
        text = f"© {year} {outlet}. All rights reserved."
        self.note("footer", text)
        return (f'<footer class="{cls_name(self.rng)}"><a href="/redaksi">Redaksi</a> '
                f'<a href="/pedoman">Pedoman Media Siber</a> <p>{esc(text)}</p></footer>')

    def nav(self, outlet: str) -> str:
        items = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in
                        ("Home", "Nasional", "Ekonomi", "Dunia", "Olahraga", "Indeks"))
        return f'<header><div class="{cls_name(self.rng)}"><a href="/">{outlet}</a></div>' \
               f'<nav class="{cls_name(self.rng, "menu")}"><ul>{items}</ul></nav></header>'

    def popular(self) -> str:
        titles = _related_titles(self.rng, 4)
        for t in titles:
            self.note("popular", t)
        label = self.rng.choice(("Terpopuler", "Berita Terkini", "Berita Lainnya", "Populer"))
        links = "".join(f'<li><a href="/berita/{slug(t)}">{esc(t)}</a></li>' for t in titles)
        return f'<aside class="{cls_name(self.rng)}"><h3>{label}</h3><ul>{links}</ul></aside>'
