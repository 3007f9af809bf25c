"""Syndication notes: "Artikel ini telah tayang di Kompas.com dengan judul ...".

Tribun network members, kompas.com partners, detik's regional sites and others republish
a story with a closing note naming the outlet it first ran at, its title and often its
URL ("Klik untuk baca: https://...").  The note is not the story: it is removed, and the
outlet it names is returned so the cleaner can record it.

Where the outlet goes: `wire_source`, and only when no credit line named a wire agency
(an agency is the story's first source; the outlet only passed it on).  The field says
"this text came from elsewhere", which is what the note declares, in the same way a
"(ant)" desk code does.  A sister desk of the same group (detikBali on detikTravel,
TribunJakarta.com on a Tribun regional site) is recorded too: the story is that desk's,
copied.  It is left out when the outlet is the page's own site (a note on kompas.com
naming Kompas.com says nothing new) and when the name is unclear (more than a few words,
or no name at all: "Artikel ini telah naik di sini").
"""

from __future__ import annotations

import re

# The note's opening: "Artikel ini telah tayang di", "Berita ini sudah terbit di",
# "Artikel ini sebelumnya telah diterbitkan di halaman SINDOnews.com".
_NOTE = (
    r"(?:artikel|berita|tulisan)\s+ini\s+(?:sebelumnya\s+)?(?:telah|sudah|pernah)\s+"
    r"(?:tayang|naik|terbit|dimuat|diterbitkan|dipublikasikan|ditayangkan)\b"
)
# A note is the whole paragraph, or closes one after a sentence end ("... kata dia.
# Artikel ini telah tayang di ..."): text extraction glues the last two lines at times.
# It says where ("di ..."), and is short: a title and a URL at most.
_NOTE_RE = re.compile(
    rf"(?:^\W*|(?<=[.!?\"”)])\s+){_NOTE}\s+di\s(?=.{{0,400}}$)", re.IGNORECASE | re.DOTALL
)
# The outlet: a name of up to three words before "dengan judul", or one domain-like word
# ("Kompas.com", "TribunJakarta.com", "detikBali") before a comma, full stop or the end.
_OUTLET_RE = re.compile(
    rf"(?i:{_NOTE}\s+di\s+(?:(?:halaman|laman|situs|portal)\s+)?)"
    r"(?:(?P<titled>[A-Za-z0-9][\w.-]*(?:\s+[A-Z0-9][\w.-]*){0,2})\s+(?i:dengan\s+judul)\b"
    r"|(?P<bare>[A-Za-z0-9][\w.-]*?)\.?(?:[,;:]|\s+(?i:dan)\b|\s*$))"
)
# A name is capitalised somewhere ("detikBali") or a domain ("kompas.com"); "sini" is not.
_NAME_LIKE = re.compile(r"[A-Z]|\w\.\w")
# What trails the note on its own line: the original's URL or a "read it here" link.
_TRAILER_RE = re.compile(
    r"^\W*(?:(?:klik\s+untuk\s+baca|baca\s+selengkapnya|selengkapnya)\s*(?:di\s*)?:?\s*)?"
    r"https?://\S+$",
    re.IGNORECASE,
)
_DOMAIN_SUFFIX = re.compile(r"\.(?:com|co\.id|id|net|tv|co|org)$", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def split_syndication(
    paragraphs: list[str], site: str | None
) -> tuple[list[str], int, str | None]:
    """Remove syndication notes (and a URL line after one); returns (kept, hits, outlet)."""
    kept: list[str] = []
    hits, outlet, after_note = 0, None, False
    for para in paragraphs:
        if after_note and _TRAILER_RE.match(para):
            after_note = False
            continue
        match = _NOTE_RE.search(para)
        after_note = match is not None
        if match is None:
            kept.append(para)
            continue
        hits += 1
        outlet = outlet or outlet_of(para[match.start():], site)
        head = para[: match.start()].rstrip()
        if head:
            kept.append(head)
    return kept, hits, outlet


def outlet_of(note: str, site: str | None) -> str | None:
    """The outlet a note names, unless unclear or the page's own site."""
    match = _OUTLET_RE.search(note)
    if match is None:
        return None
    name = (match.group("titled") or match.group("bare") or "").strip(" .-")
    if not _NAME_LIKE.search(name) or is_own_site(name, site):
        return None
    return name


def is_own_site(outlet: str, site: str | None) -> bool:
    """True when `outlet` names `site` (a registry name such as "kompas", or a host)."""
    if not site:
        return False
    key = _NOT_ALNUM.sub("", _DOMAIN_SUFFIX.sub("", outlet.lower()))
    if "." in site:  # an unregistered site is named by its host: compare with its labels
        return key in {_NOT_ALNUM.sub("", label) for label in site.lower().split(".")}
    return key == _NOT_ALNUM.sub("", site.lower())
