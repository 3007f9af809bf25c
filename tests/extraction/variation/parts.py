"""The parts of a rendered page: story blocks, header pieces, end credits, pager, page."""

from __future__ import annotations

import random

from tests.extraction.variation.texts import Story
from tests.extraction.variation.widgets import Builder, cls_name, esc, slug


def page_url(base: str, n: int, style: str) -> str:
    if n == 1:
        return base
    if style == "path":
        return f"{base}/{n}"
    return f"{base}?{style}={n}"


def plan_inserts(rng: random.Random, story: Story, count: int) -> dict[int, list[tuple[str, str]]]:
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


def body_html(rng: random.Random, b: Builder, story: Story, paragraphs: list[str],
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
                parts.append(f"<{tag}>" + "".join(f"<li>{esc(x)}.</li>"
                                                  for x in story.list_items) + f"</{tag}>")
            elif kind == "subhead":
                tag = rng.choice(("h2", "h3", "p><strong"))
                close = "strong></p" if tag.startswith("p>") else tag
                parts.append(f"<{tag}>{esc(what)}</{close}>")
        text = esc(paragraphs[i])
        if i == 0 and dateline:
            bold = rng.random() < 0.5
            text = (f"<strong>{esc(dateline.rstrip())}</strong> " if bold
                    else esc(dateline)) + text
        if i == len(paragraphs) - 1 and code:
            text += esc(code)
        parts.append(f"\x00{text}")  # a paragraph: the caller wraps it in the layout's tag
    return parts


def top_parts(rng: random.Random, b: Builder, story: Story, section_at: str, date_at: str,
               date_text: str, reporter_at: str, editor_at: str, authors: list[str],
               editors: list[str], outlet: str, *, first: bool) -> dict[str, str]:
    """Header pieces by where they go: 'above-title', 'under-title', 'body-top'."""
    out = {"above-title": "", "under-title": "", "body-top": ""}
    label = story.section
    if section_at == "breadcrumb":
        out["above-title"] += (f'<nav class="{cls_name(rng, "breadcrumb")}"><a href="/">Home</a> '
                               f'&raquo; <a href="/{label.lower()}">{label}</a></nav>')
    elif section_at == "above-title":
        out["above-title"] += f'<a class="{cls_name(rng)}" href="/{label.lower()}">{label}</a>'
    elif section_at == "body-top":
        out["body-top"] += f'<div class="{cls_name(rng)}">{label}</div>'
    b.note("dateline-visible", date_text)
    if date_at == "with-section":
        glue = rng.choice((" ", " | ", " - ", "<br>"))
        where = rng.choice(("under-title", "body-top"))
        out[where] += (f'<div class="{cls_name(rng)}"><a href="/{label.lower()}">{label}</a>{glue}'
                       f'<span>{date_text}</span></div>')
    elif date_at == "under-title":
        out["under-title"] += f'<div class="{cls_name(rng, "date")}">{date_text}</div>'
    elif date_at == "body-top":
        out["body-top"] = f'<p class="{cls_name(rng)}">{date_text}</p>' + out["body-top"]
    byline = ""
    if reporter_at == "byline":
        lab = rng.choice(("Penulis:", "Oleh:", "Reporter:", "Oleh", "Pewarta:"))
        byline = f"{lab} " + ", ".join(f'<a href="/penulis/{slug(a)}">{a}</a>'
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
        out["under-title"] += f'<div class="{cls_name(rng, "byline")}">{byline}</div>'
    if reporter_at == "tribun-line" and first:
        word = rng.choice(("Wartawan", "Reporter", "Kontributor"))
        line = f"Laporan {word} {outlet}, {', '.join(authors[:1])}"
        b.note("credits", line)
        tag = rng.choice(("strong", "b", "em"))
        out["body-top"] += f"<p><{tag}>{esc(line)}</{tag}></p>"
    return out


def _end_credits(rng: random.Random, b: Builder, reporter_at: str, editor_at: str,
                 authors: list[str], editors: list[str]) -> tuple[str, str]:
    """Credit lines closing the story: (inside the container, right after it)."""
    lines: list[str] = []
    who = ", ".join(authors)
    eds = ", ".join(editors)
    if editor_at == "combined":
        both = rng.choice(("Redaktur & Reporter", "Reporter & Redaktur", "Penulis/Editor"))
        lines.append(b.note("credits", f"{both} : {who}"))
    elif editor_at == "end-br" and reporter_at == "end":
        pen = rng.choice(("Penulis", "Reporter", "Pewarta"))
        ed = rng.choice(("Editor", "Redaktur", "Penyunting"))
        b.note("credits", f"{pen}: {authors[0]}")
        return f"<p>{pen}: {esc(who)}<br>{ed}: {esc(eds)}</p>", ""
    else:
        if reporter_at == "end":
            pen = rng.choice(("Penulis", "Reporter", "Pewarta"))
            lines.append(b.note("credits", f"{pen}: {who}"))
        if editor_at in ("end", "end-br"):
            ed = rng.choice(("Editor", "Redaktur", "Penyunting"))
            lines.append(b.note("credits", f"{ed}: {eds}"))
    inside = "".join(f"<p>{esc(x)}</p>" for x in lines)
    after = ""
    if editor_at == "after-body":
        line = b.note("credits", f"{rng.choice(('Editor', 'Redaktur'))}: {eds}")
        after = f'<div class="{cls_name(rng, "credit")}"><span>{esc(line)}</span></div>'
    return inside, after


def _pager(rng: random.Random, b: Builder, base: str, n: int, total: int, style: str,
           layout: dict[str, object]) -> str:
    label = str(layout["pager_label"])
    nums = []
    for k in range(1, total + 1):
        href = page_url(base, k, style)
        nums.append(f'<span class="active">{k}</span>' if k == n
                    else f'<a href="{href}">{k}</a>')
    if layout["pager_count"]:
        nums.append(b.note("pager", f"Halaman {n} dari {total}"))
    nxt = str(layout["pager_next"])
    if nxt and n < total:
        rel = ' rel="next"' if layout["pager_rel"] else ""
        nums.append(f'<a href="{page_url(base, n + 1, style)}"{rel}>{nxt}</a>')
    if label:
        b.note("pager", label)
    head = f"<span>{label}</span> " if label else ""
    return f'<div class="{cls_name(rng, "paging")}">{head}{" ".join(nums)}</div>'


def whole_page(rng: random.Random, b: Builder, story: Story, head: list[str],
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
            head = [*head, f'<link rel="next" href="{page_url(base, n + 1, style)}">']
    tail.append(after)
    if rng.random() < 0.5:
        tail.append(b.tags(story))
    if rng.random() < 0.4:
        tail.append(b.comments())
    side = b.popular() if rng.random() < 0.6 else ""
    tag, cls = layout["container"]  # type: ignore[misc]
    article = (f'<{tag} class="{cls}">' + "".join(chunks) + f"</{tag}>")
    title_tag = rng.choice(("h1", "h1", "h2"))
    main = (f'<main class="{cls_name(rng)}">{top["above-title"]}'
            f'<{title_tag} class="{cls_name(rng, "title")}">{esc(story.title)}</{title_tag}>'
            f'{top["under-title"]}{article}{"".join(tail)}</main>')
    order = [main, side] if rng.random() < 0.7 else [side, main]
    return ("<!DOCTYPE html><html lang=\"id\"><head>" + "".join(head) + "</head><body>"
            + b.nav(outlet) + "".join(order) + b.footer(outlet, year) + "</body></html>")
