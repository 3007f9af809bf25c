"""Randomised news-page templates: one `Story` rendered as the pages of an unseen outlet.

Every choice a portal's template makes is drawn from the seed: class and id names, the
order of header parts, where the section label, date line, reporter and editor credits
sit, which widgets (share bars, "Baca juga" boxes, inline related links, captions, follow
lines, comment forms, tags, footers) surround or interrupt the story, and how many pages
it is split over and how the pager links them.  The truth is known by construction: the
story's title, first and last sentence, credits and instant, and the exact boilerplate
strings placed on the page.
"""

from __future__ import annotations

import html
import json
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from tests.extraction.variation.texts import (
    EDITORS,
    MONTHS_ID,
    PLACES,
    WEEKDAYS_ID,
    Story,
    make_story,
)

OUTLETS = ("Warta Timur", "Kabar Nusa", "Suara Pesisir", "Berita Lintas", "Harian Kota",
           "Papua Kini", "Nusantara Pos", "Info Daerah", "Radar Selatan", "Jurnal Rakyat")
ZONES = (("WIB", 7), ("WITA", 8), ("WIT", 9))
_WORDS = ("main", "story", "detail", "read", "post", "entry", "article", "news", "content",
          "isi", "konten", "berita", "txt", "body", "wrap", "box", "col", "inner", "area")


@dataclass(slots=True)
class Truth:
    """What a right extraction returns for the rendered article."""

    title: str
    first_sentence: str
    last_sentence: str
    dateline: str
    authors: list[str]
    editors: list[str]
    published: datetime
    boilerplate: dict[str, list[str]] = field(default_factory=dict)  # kind -> strings


@dataclass(slots=True)
class Rendered:
    """The pages of one article (URL -> HTML), the first page's URL, its truth and layout."""

    url: str
    pages: dict[str, str]
    truth: Truth
    now: datetime
    layout: dict[str, object]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _cls(rng: random.Random, *hint: str) -> str:
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


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _date_line(rng: random.Random, local: datetime, zone: str) -> str:
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


class _Builder:
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
        return f'<div class="{_cls(self.rng, "share")}"><span>{label}</span> {nets}</div>'

    def baca_box(self) -> str:
        titles = _related_titles(self.rng, self.rng.randint(1, 3))
        label = self.rng.choice(("Baca juga:", "BACA JUGA:", "Baca Juga", "Baca:",
                                 "Simak juga:", "Baca pula:", "Artikel terkait:",
                                 "Berita Terkait", "Lihat juga:"))
        for t in titles:
            self.note("baca-juga", t)
        links = "".join(f'<li><a href="/berita/{_slug(t)}">{_e(t)}</a></li>' for t in titles)
        if len(titles) == 1 and self.rng.random() < 0.6:
            tag = self.rng.choice(("p", "div"))
            inner = f'<strong>{label}</strong> <a href="/berita/{_slug(titles[0])}">' \
                    f'{_e(titles[0])}</a>'
            return f'<{tag} class="{_cls(self.rng)}">{inner}</{tag}>'
        return (f'<div class="{_cls(self.rng, "related")}"><span>{label}</span>'
                f"<ul>{links}</ul></div>")

    def caption(self, story: Story) -> str:
        text = f"Suasana di {story.place} pada hari kejadian."
        credit = self.rng.choice(("(Foto: Dok. Humas)", "(ANTARA FOTO/Arsip)",
                                  f"(Foto: {story.authors[0]})", ""))
        full = f"{text} {credit}".strip()
        self.note("caption", full)
        img = f'<img src="/img/{self.rng.getrandbits(32):x}.jpg" alt="">'
        if self.rng.random() < 0.5:
            return f"<figure>{img}<figcaption>{_e(full)}</figcaption></figure>"
        return f'<div class="{_cls(self.rng, "foto")}">{img}<span class="{_cls(self.rng)}">' \
               f"{_e(full)}</span></div>"

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
        return f'<p class="{_cls(self.rng)}"><a href="https://news.example/x">{_e(text)}</a></p>'

    def comments(self) -> str:
        head = self.rng.choice(("Komentar", "Tulis Komentar", "KOMENTAR", "Kirim Komentar",
                                f"Komentar ({self.rng.randint(0, 40)})"))
        self.note("comments", head)
        return (f'<div id="{_cls(self.rng, "komentar")}" class="{_cls(self.rng)}">'
                f"<h3>{head}</h3><form><textarea></textarea><button>Kirim</button></form>"
                "</div>")

    def tags(self, story: Story) -> str:
        words = [story.place, story.section, "Pemerintah Daerah"]
        self.note("tags", "Pemerintah Daerah")
        links = " ".join(f'<a href="/tag/{_slug(w)}">{w}</a>' for w in words)
        label = self.rng.choice(("Tag:", "Tags:", "Topik:", ""))
        return f'<div class="{_cls(self.rng, "tag")}">{label} {links}</div>'

    def footer(self, outlet: str, year: int) -> str:
        text = f"© {year} {outlet}. All rights reserved."
        self.note("footer", text)
        return (f'<footer class="{_cls(self.rng)}"><a href="/redaksi">Redaksi</a> '
                f'<a href="/pedoman">Pedoman Media Siber</a> <p>{_e(text)}</p></footer>')

    def nav(self, outlet: str) -> str:
        items = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in
                        ("Home", "Nasional", "Ekonomi", "Dunia", "Olahraga", "Indeks"))
        return f'<header><div class="{_cls(self.rng)}"><a href="/">{outlet}</a></div>' \
               f'<nav class="{_cls(self.rng, "menu")}"><ul>{items}</ul></nav></header>'

    def popular(self) -> str:
        titles = _related_titles(self.rng, 4)
        for t in titles:
            self.note("popular", t)
        label = self.rng.choice(("Terpopuler", "Berita Terkini", "Berita Lainnya", "Populer"))
        links = "".join(f'<li><a href="/berita/{_slug(t)}">{_e(t)}</a></li>' for t in titles)
        return f'<aside class="{_cls(self.rng)}"><h3>{label}</h3><ul>{links}</ul></aside>'


# --- the page ---------------------------------------------------------------------------
def _sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph written by `texts` (each ends with . or a closing quote)."""
    return re.findall(r".+?(?:[.!?](?:\u201d,? [^.]+?\.)?|\u201d[^.]*\.)(?=\s|$)", paragraph)


def _iso(rng: random.Random, utc: datetime, hours: int, *, false_z: bool = False) -> str:
    """A machine-readable stamp of the instant: local offset, or correct UTC (Z or +00:00)."""
    local = utc.astimezone(timezone(timedelta(hours=hours)))
    if false_z:  # the wall clock labelled UTC, as some CMSs emit
        return local.replace(tzinfo=None).isoformat() + "Z"
    style = rng.randrange(3)
    if style == 0:
        return local.isoformat()
    return utc.isoformat().replace("+00:00", "Z" if style == 1 else "+00:00")


def _url(rng: random.Random, domain: str, story: Story, local: datetime) -> str:
    slug = _slug(story.title)
    shape = rng.randrange(4)
    if shape == 0:
        return f"https://www.{domain}/{story.section.lower()}/{local:%Y/%m/%d}/{slug}"
    if shape == 1:
        return f"https://{domain}/read/{rng.randint(10**5, 10**7)}/{slug}"
    if shape == 2:
        return f"https://www.{domain}/news/{slug}"
    return f"https://{domain}/{story.section.lower()}/{rng.randint(10**4, 10**6)}-{slug}"


def _page_url(base: str, n: int, style: str) -> str:
    if n == 1:
        return base
    if style == "path":
        return f"{base}/{n}"
    return f"{base}?{style}={n}"


def _split(rng: random.Random, count: int, pages: int) -> list[int]:
    """Paragraph index where each page starts."""
    pages = min(pages, count)
    cuts = sorted(rng.sample(range(1, count), pages - 1))
    return [0, *cuts]


def render(seed: int) -> Rendered:
    """The pages of one article on one randomly drawn layout."""
    rng = random.Random(seed)
    story = make_story(rng)
    b = _Builder(rng)
    outlet = rng.choice(OUTLETS)
    domain = outlet.lower().replace(" ", "") + rng.choice((".com", ".co.id", ".id", ".net"))
    zone, hours = rng.choices(ZONES, weights=(6, 3, 2))[0]
    start = datetime(2019, 1, 1, tzinfo=UTC)
    published = start + timedelta(minutes=rng.randrange(7 * 365 * 24 * 60))
    local = published.astimezone(timezone(timedelta(hours=hours)))
    now = published + timedelta(hours=rng.uniform(0.5, 72))
    url = _url(rng, domain, story, local)
    layout: dict[str, object] = {}

    # -- dateline and credits ----------------------------------------------------------
    site_word = domain.split(".")[0].capitalize() + "." + domain.split(".", 1)[1]
    dateline = rng.choice((
        "", f"{story.place.upper()}, {site_word} - ", f"{site_word}, {story.place.upper()} - ",
        f"{story.place.upper()} - ", f"{story.place} ({outlet}) - ", f"{site_word} - ",
        f"{story.place.upper()} -- ", f"{outlet} - ", f"{outlet.upper()} - ",
    ))
    layout["dateline"] = "none" if not dateline else "set"
    authors, editors = list(story.authors), list(story.editors)
    reporter_at = rng.choice(("byline", "byline", "tribun-line", "end", "meta-only"))
    editor_at = "none" if not editors else rng.choice(
        ("end", "end-br", "after-body", "byline", "combined"))
    if editor_at == "combined" and (editors != authors[:1] or len(authors) > 1):
        editor_at = "end"
    if reporter_at == "meta-only":
        reporter_at = "byline" if rng.random() < 0.3 else "meta-only"
    if reporter_at == "tribun-line":
        authors[1:] = []  # a Tribun reporter line names one reporter
    layout.update(reporter=reporter_at, editor=editor_at)
    date_text = _date_line(rng, local, zone)
    section_at = rng.choice(("breadcrumb", "above-title", "body-top", "with-date", "none"))
    date_at = rng.choice(("under-title", "body-top", "byline", "with-section"))
    if section_at == "with-date" or date_at == "with-section":
        section_at, date_at = "with-date", "with-section"
    layout.update(section=section_at, date=date_at)
    machine = rng.random() < 0.7
    false_z = machine and date_at != "none" and rng.random() < 0.15
    layout["machine_date"] = "false-z" if false_z else ("yes" if machine else "no")

    # -- head ------------------------------------------------------------------------
    sep = rng.choice((" - ", " | ", " : "))
    head = [f"<title>{_e(story.title)}{sep}{_e(outlet)}</title>",
            '<meta charset="utf-8">',
            f'<meta name="description" content="{_e(story.paragraphs[0][:150])}">']
    if rng.random() < 0.6:
        head.append(f'<meta property="og:title" content="{_e(story.title)}">')
    meta_authors = reporter_at == "meta-only" or rng.random() < 0.5
    if meta_authors:
        head.append(f'<meta name="author" content="{_e(", ".join(authors))}">')
    stamp = _iso(rng, published, hours, false_z=false_z)
    if machine:
        if rng.random() < 0.7:
            ld: dict[str, object] = {"@context": "https://schema.org", "@type": "NewsArticle",
                                     "headline": story.title, "datePublished": stamp}
            if meta_authors:
                ld["author"] = [{"@type": "Person", "name": a} for a in authors]
            head.append(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
        if rng.random() < 0.5:
            head.append(f'<meta property="article:published_time" content="{stamp}">')
    layout["meta_authors"] = meta_authors

    # -- pages -----------------------------------------------------------------------
    paragraphs = list(story.paragraphs)
    code = ""
    if rng.random() < 0.2:
        code = f" ({authors[0].split()[0][:3].lower()}/{rng.choice(EDITORS).split()[0][:3].lower()})"
    npages = rng.choices((1, 2, 3, 4), weights=(55, 15, 20, 10))[0]
    starts = _split(rng, len(paragraphs), npages)
    npages = len(starts)
    pager_style = rng.choice(("page", "page", "hal", "p", "path"))
    layout["pages"] = npages
    layout["para_style"] = rng.choices(("p", "div", "br"), weights=(7, 2, 1))[0]
    layout["container"] = (rng.choice(("div", "div", "article", "section")),
                           _cls(rng, rng.choice(("detail", "article", "read", "isi", "post"))))
    layout["pager_inside"] = rng.random() < 0.5
    layout["pager_label"] = rng.choice(("", "Halaman", "Halaman:", "Page"))
    layout["pager_next"] = rng.choice(("", "Selanjutnya", "Next \u00bb", "Berikutnya",
                                       "Halaman selanjutnya", "\u203a"))
    layout["pager_count"] = rng.random() < 0.25
    layout["pager_rel"] = rng.random() < 0.6
    pages: dict[str, str] = {}
    inserts = _inserts(rng, story, len(paragraphs))
    for k, begin in enumerate(starts):
        end = starts[k + 1] if k + 1 < npages else len(paragraphs)
        body = _body_html(rng, b, story, paragraphs, begin, end, dateline, code, inserts,
                          last=k == npages - 1)
        top = _top_parts(rng, b, story, section_at, date_at, date_text, reporter_at,
                         editor_at, authors, editors, outlet, first=k == 0)
        pages[_page_url(url, k + 1, pager_style)] = _page(
            rng, b, story, head, top, body, outlet, local.year, url, k + 1, npages,
            pager_style, editor_at, reporter_at, authors, editors, layout)
    first = _sentences(paragraphs[0])[0]
    last = _sentences(paragraphs[-1])[-1]
    truth = Truth(title=story.title, first_sentence=first, last_sentence=last,
                  dateline=dateline.strip(), authors=authors, editors=editors,
                  published=published, boilerplate=b.boiler)
    return Rendered(url=url, pages=pages, truth=truth, now=now, layout=layout)


def _inserts(rng: random.Random, story: Story, count: int) -> dict[int, list[tuple[str, str]]]:
    """Things placed before paragraph i: (kind, what) for widgets and in-story parts."""
    out: dict[int, list[tuple[str, str]]] = {}
    inner = list(range(1, count)) or [0]
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        out.setdefault(rng.choice(inner), []).append(("baca", ""))
    if rng.random() < 0.4:
        out.setdefault(rng.choice((0, 0, *inner)), []).append(("caption", ""))
    if rng.random() < 0.3:
        out.setdefault(rng.choice(inner), []).append(("share", ""))
    if story.list_items and count > 2:
        out.setdefault(rng.randrange(1, count), []).append(("list", ""))
    for head in story.subheads:
        if count > 3:
            out.setdefault(rng.randrange(2, count), []).append(("subhead", head))
    return out


def _paras_html(style: str, texts: list[str]) -> str:
    if style == "br":
        return "<div>" + "<br><br>".join(texts) + "</div>"
    tag = "p" if style == "p" else "div"
    return "".join(f"<{tag}>{t}</{tag}>" for t in texts)


def _body_html(rng: random.Random, b: _Builder, story: Story, paragraphs: list[str],
               begin: int, end: int, dateline: str, code: str,
               inserts: dict[int, list[tuple[str, str]]], *, last: bool) -> list[str]:
    """The parts of one page's story, in order, as HTML (widgets included)."""
    parts: list[str] = []
    for i in range(begin, end):
        for kind, what in inserts.get(i, []):
            if kind == "baca":
                parts.append(b.baca_box())
            elif kind == "caption":
                parts.append(b.caption(story))
            elif kind == "share":
                parts.append(b.share_bar())
            elif kind == "list":
                tag = rng.choice(("ul", "ol"))
                parts.append(f"<{tag}>" + "".join(f"<li>{_e(x)}.</li>"
                                                  for x in story.list_items) + f"</{tag}>")
            elif kind == "subhead":
                tag = rng.choice(("h2", "h3", "p><strong"))
                close = "strong></p" if tag.startswith("p>") else tag
                parts.append(f"<{tag}>{_e(what)}</{close}>")
        text = _e(paragraphs[i])
        if i == 0 and dateline:
            bold = rng.random() < 0.5
            text = (f"<strong>{_e(dateline.rstrip())}</strong> " if bold
                    else _e(dateline)) + text
        if i == len(paragraphs) - 1 and code:
            text += _e(code)
        parts.append(f"\x00{text}")  # a paragraph: the caller wraps it in the layout's tag
    return parts


def _top_parts(rng: random.Random, b: _Builder, story: Story, section_at: str, date_at: str,
               date_text: str, reporter_at: str, editor_at: str, authors: list[str],
               editors: list[str], outlet: str, *, first: bool) -> dict[str, str]:
    """Header pieces by where they go: 'above-title', 'under-title', 'body-top'."""
    out = {"above-title": "", "under-title": "", "body-top": ""}
    label = story.section
    if section_at == "breadcrumb":
        out["above-title"] += (f'<nav class="{_cls(rng, "breadcrumb")}"><a href="/">Home</a> '
                               f'&raquo; <a href="/{label.lower()}">{label}</a></nav>')
    elif section_at == "above-title":
        out["above-title"] += f'<a class="{_cls(rng)}" href="/{label.lower()}">{label}</a>'
    elif section_at == "body-top":
        out["body-top"] += f'<div class="{_cls(rng)}">{label}</div>'
    b.note("dateline-visible", date_text)
    if date_at == "with-section":
        glue = rng.choice((" ", " | ", " - ", "<br>"))
        where = rng.choice(("under-title", "body-top"))
        out[where] += (f'<div class="{_cls(rng)}"><a href="/{label.lower()}">{label}</a>{glue}'
                       f'<span>{date_text}</span></div>')
    elif date_at == "under-title":
        out["under-title"] += f'<div class="{_cls(rng, "date")}">{date_text}</div>'
    elif date_at == "body-top":
        out["body-top"] = f'<p class="{_cls(rng)}">{date_text}</p>' + out["body-top"]
    byline = ""
    if reporter_at == "byline":
        lab = rng.choice(("Penulis:", "Oleh:", "Reporter:", "Oleh", "Pewarta:"))
        byline = f"{lab} " + ", ".join(f'<a href="/penulis/{_slug(a)}">{a}</a>'
                                       for a in authors)
        b.note("credits", f"{lab} {authors[0]}")
        if editor_at == "byline":
            elab = rng.choice(("Editor:", "Redaktur:", "Penyunting:"))
            byline += f" | {elab} {', '.join(editors)}"
            b.note("credits", f"{elab} {editors[0]}")
    elif editor_at == "byline":
        elab = rng.choice(("Editor:", "Redaktur:"))
        byline = f"{elab} {', '.join(editors)}"
        b.note("credits", byline)
    if date_at == "byline":
        byline = f"{byline} <span>{date_text}</span>" if byline else f"<span>{date_text}</span>"
    if byline:
        out["under-title"] += f'<div class="{_cls(rng, "byline")}">{byline}</div>'
    if reporter_at == "tribun-line" and first:
        word = rng.choice(("Wartawan", "Reporter", "Kontributor"))
        line = f"Laporan {word} {outlet}, {', '.join(authors[:1])}"
        b.note("credits", line)
        tag = rng.choice(("strong", "b", "em"))
        out["body-top"] += f"<p><{tag}>{_e(line)}</{tag}></p>"
    return out


def _end_credits(rng: random.Random, b: _Builder, reporter_at: str, editor_at: str,
                 authors: list[str], editors: list[str]) -> tuple[str, str]:
    """Credit lines closing the story: (inside the container, right after it)."""
    lines: list[str] = []
    who = ", ".join(authors)
    eds = ", ".join(editors)
    if editor_at == "combined":
        lines.append(b.note("credits", f"{rng.choice(('Redaktur & Reporter', 'Reporter & Redaktur', 'Penulis/Editor'))} : {who}"))
    elif editor_at == "end-br" and reporter_at == "end":
        pen = rng.choice(("Penulis", "Reporter", "Pewarta"))
        ed = rng.choice(("Editor", "Redaktur", "Penyunting"))
        b.note("credits", f"{pen}: {authors[0]}")
        return f"<p>{pen}: {_e(who)}<br>{ed}: {_e(eds)}</p>", ""
    else:
        if reporter_at == "end":
            lines.append(b.note("credits", f"{rng.choice(('Penulis', 'Reporter', 'Pewarta'))}: {who}"))
        if editor_at in ("end", "end-br"):
            lines.append(b.note("credits", f"{rng.choice(('Editor', 'Redaktur', 'Penyunting'))}: {eds}"))
    inside = "".join(f"<p>{_e(x)}</p>" for x in lines)
    after = ""
    if editor_at == "after-body":
        line = b.note("credits", f"{rng.choice(('Editor', 'Redaktur'))}: {eds}")
        after = f'<div class="{_cls(rng, "credit")}"><span>{_e(line)}</span></div>'
    return inside, after


def _pager(rng: random.Random, b: _Builder, base: str, n: int, total: int, style: str,
           layout: dict[str, object]) -> str:
    label = str(layout["pager_label"])
    nums = []
    for k in range(1, total + 1):
        href = _page_url(base, k, style)
        nums.append(f'<span class="active">{k}</span>' if k == n
                    else f'<a href="{href}">{k}</a>')
    if layout["pager_count"]:
        nums.append(b.note("pager", f"Halaman {n} dari {total}"))
    nxt = str(layout["pager_next"])
    if nxt and n < total:
        rel = ' rel="next"' if layout["pager_rel"] else ""
        nums.append(f'<a href="{_page_url(base, n + 1, style)}"{rel}>{nxt}</a>')
    if label:
        b.note("pager", label)
    head = f"<span>{label}</span> " if label else ""
    return f'<div class="{_cls(rng, "paging")}">{head}{" ".join(nums)}</div>'


def _page(rng: random.Random, b: _Builder, story: Story, head: list[str],
          top: dict[str, str], body: list[str], outlet: str, year: int, base: str, n: int,
          total: int, style: str, editor_at: str, reporter_at: str, authors: list[str],
          editors: list[str], layout: dict[str, object]) -> str:
    """One whole page of the article."""
    para_style = str(layout["para_style"])
    chunks: list[str] = [top["body-top"] if n == 1 else ""]
    run: list[str] = []
    for part in body:
        if part.startswith("\x00"):
            run.append(part[1:])
            continue
        if run:
            chunks.append(_paras_html(para_style, run))
            run = []
        chunks.append(part)
    if run:
        chunks.append(_paras_html(para_style, run))
    after = ""
    if n == total:
        inside, after = _end_credits(rng, b, reporter_at, editor_at, authors, editors)
        chunks.append(inside)
    if n == 1 and rng.random() < 0.4:
        chunks.append(b.share_bar())
    tail: list[str] = []
    follow = b.follow_line(outlet) if rng.random() < 0.5 else ""
    (chunks if rng.random() < 0.5 else tail).append(follow)
    if total > 1:
        pager = _pager(rng, b, base, n, total, style, layout)
        (chunks if layout["pager_inside"] else tail).append(pager)
        if layout["pager_rel"] and n < total:
            head = [*head, f'<link rel="next" href="{_page_url(base, n + 1, style)}">']
    tail.append(after)
    if rng.random() < 0.5:
        tail.append(b.tags(story))
    if rng.random() < 0.4:
        tail.append(b.comments())
    side = b.popular() if rng.random() < 0.6 else ""
    tag, cls = layout["container"]  # type: ignore[misc]
    article = (f'<{tag} class="{cls}">' + "".join(chunks) + f"</{tag}>")
    title_tag = rng.choice(("h1", "h1", "h2"))
    main = (f'<main class="{_cls(rng)}">{top["above-title"]}'
            f'<{title_tag} class="{_cls(rng, "title")}">{_e(story.title)}</{title_tag}>'
            f'{top["under-title"]}{article}{"".join(tail)}</main>')
    order = [main, side] if rng.random() < 0.7 else [side, main]
    return ("<!DOCTYPE html><html lang=\"id\"><head>" + "".join(head) + "</head><body>"
            + b.nav(outlet) + "".join(order) + b.footer(outlet, year) + "</body></html>")
