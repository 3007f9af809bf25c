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

import json
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from tests.extraction.variation.parts import (
    body_html,
    page_url,
    plan_inserts,
    top_parts,
    whole_page,
)
from tests.extraction.variation.texts import (
    EDITORS,
    Story,
    make_story,
)
from tests.extraction.variation.widgets import (
    OUTLETS,
    ZONES,
    Builder,
    cls_name,
    date_line,
    esc,
    slug,
)


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
    name = slug(story.title)
    shape = rng.randrange(4)
    if shape == 0:
        return f"https://www.{domain}/{story.section.lower()}/{local:%Y/%m/%d}/{name}"
    if shape == 1:
        return f"https://{domain}/read/{rng.randint(10**5, 10**7)}/{name}"
    if shape == 2:
        return f"https://www.{domain}/news/{name}"
    return f"https://{domain}/{story.section.lower()}/{rng.randint(10**4, 10**6)}-{name}"


def _split(rng: random.Random, count: int, pages: int) -> list[int]:
    """Paragraph index where each page starts."""
    pages = min(pages, count)
    cuts = sorted(rng.sample(range(1, count), pages - 1))
    return [0, *cuts]


def render(seed: int) -> Rendered:
    """The pages of one article on one randomly drawn layout."""
    rng = random.Random(seed)
    story = make_story(rng)
    b = Builder(rng)
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
    date_text = date_line(rng, local, zone)
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
    head = [f"<title>{esc(story.title)}{sep}{esc(outlet)}</title>",
            '<meta charset="utf-8">',
            f'<meta name="description" content="{esc(story.paragraphs[0][:150])}">']
    if rng.random() < 0.6:
        head.append(f'<meta property="og:title" content="{esc(story.title)}">')
    meta_authors = reporter_at == "meta-only" or rng.random() < 0.5
    if meta_authors:
        head.append(f'<meta name="author" content="{esc(", ".join(authors))}">')
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
        mine, desk = authors[0].split()[0][:3], rng.choice(EDITORS).split()[0][:3]
        code = f" ({mine.lower()}/{desk.lower()})"
    npages = rng.choices((1, 2, 3, 4), weights=(55, 15, 20, 10))[0]
    starts = _split(rng, len(paragraphs), npages)
    npages = len(starts)
    pager_style = rng.choice(("page", "page", "hal", "p", "path"))
    layout["pages"] = npages
    layout["para_style"] = rng.choices(("p", "div", "br"), weights=(7, 2, 1))[0]
    layout["container"] = (rng.choice(("div", "div", "article", "section")),
                           cls_name(rng, rng.choice(("detail", "article", "read", "isi", "post"))))
    layout["pager_inside"] = rng.random() < 0.5
    layout["pager_label"] = rng.choice(("", "Halaman", "Halaman:", "Page"))
    layout["pager_next"] = rng.choice(("", "Selanjutnya", "Next \u00bb", "Berikutnya",
                                       "Halaman selanjutnya", "\u203a"))
    layout["pager_count"] = rng.random() < 0.25
    layout["pager_rel"] = rng.random() < 0.6
    pages: dict[str, str] = {}
    inserts = plan_inserts(rng, story, len(paragraphs))
    for k, begin in enumerate(starts):
        end = starts[k + 1] if k + 1 < npages else len(paragraphs)
        body = body_html(rng, b, story, paragraphs, begin, end, dateline, code, inserts,
                          last=k == npages - 1)
        top = top_parts(rng, b, story, section_at, date_at, date_text, reporter_at,
                         editor_at, authors, editors, outlet, first=k == 0)
        pages[page_url(url, k + 1, pager_style)] = whole_page(
            rng, b, story, head, top, body, outlet, local.year, url, k + 1, npages,
            pager_style, editor_at, reporter_at, authors, editors, layout)
    first = _sentences(paragraphs[0])[0]
    last = _sentences(paragraphs[-1])[-1]
    truth = Truth(title=story.title, first_sentence=first, last_sentence=last,
                  dateline=dateline.strip(), authors=authors, editors=editors,
                  published=published, boilerplate=b.boiler)
    return Rendered(url=url, pages=pages, truth=truth, now=now, layout=layout)
