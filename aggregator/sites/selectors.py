"""`SelectorVersion`: a parser version described by XPath selectors (most sites need only this).

A site version sets the class constants it knows (TITLE, BODY, DROP, AUTHORS, DATE, SECTION,
TAGS); a field whose selector is empty is not produced, so the generic extractor fills it.
Subclass a version and change only the selectors when a site is redesigned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from aggregator.sites.dating import machine_dates, site_dates
from aggregator.sites.deskcode import DESK_CODE, split_desk_code
from aggregator.sites.parser import ParserVersion, field
from aggregator.sites.tailcredit import split_tail_credit
from aggregator.sites.text import all_texts, first_text, norm, paragraphs, xpath_first
from aggregator.types import DateCandidate

_UP, _LOW = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
# Boilerplate found inside article bodies on most Indonesian portals (why: these nodes hold
# ads, related-link boxes, embeds and captions, never article prose).
COMMON_DROP = (
    ".//script | .//style | .//noscript | .//iframe | .//figure | .//figcaption"
    " | .//*[contains(@class, 'baca-juga') or contains(@class, 'bacajuga')]"
    " | .//*[@id='bacajugabox'] | .//table[contains(@class, 'linksisip')]"
    " | .//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')]"
    f" | .//p[starts-with(translate(normalize-space(.), '{_UP}', '{_LOW}'), 'baca juga')]"
)
_AUTHOR_LABELS = re.compile(
    r"^\s*(?:penulis|reporter|pewarta|oleh|by|fotografer|laporan wartawan[^,:]*|rep)\s*[:|]?\s*",
    re.IGNORECASE,
)
_EDITOR_ONLY = re.compile(r"^(?:editor|redaktur|red)\b", re.IGNORECASE)
# "Kontributor Lhokseumawe, Masriadi": a role and a place before the name.
_ROLE_PLACE = re.compile(r"^(?:kontributor|koresponden|wartawan)\s+[^,]+,\s*", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bdan\b|;)\s*", re.IGNORECASE)


def split_authors(raw: str, *, drop: tuple[str, ...] = ()) -> list[str]:
    """Names from a byline: labels removed, ' - detikNews' desk suffixes cut, split on ,/dan/and."""
    text = norm(raw)
    if _EDITOR_ONLY.match(text):
        return []
    text = re.split(r"\s+[-–|]\s+", text)[0]
    text = _ROLE_PLACE.sub("", _AUTHOR_LABELS.sub("", text))
    names = []
    for part in _AUTHOR_SPLIT.split(text):
        name = norm(part).strip(" :|-")
        if len(name) > 1 and name.lower() not in drop and not any(ch.isdigit() for ch in name):
            names.append(name)
    return list(dict.fromkeys(names))


@dataclass(slots=True)
class _Body:
    """Body paragraphs and the credits split off their end."""

    paras: list[str]
    code: str | None = None  # desk code, "mea/mea"
    tail: str | None = None  # capitalised credit line, "DINI TEJA"


class SelectorVersion(ParserVersion):
    """A layout given as XPath selectors; empty selectors leave the field to the fallback."""

    TITLE: ClassVar[str] = ""
    BODY: ClassVar[str] = ""  # the article text container(s); the first match is used
    DROP: ClassVar[str] = ""  # boilerplate inside the body, relative XPath (`.//...`)
    DESK_CODE: ClassVar[re.Pattern[str]] = DESK_CODE  # the closing code split off the body
    TAIL_CREDIT: ClassVar[bool] = False  # a capitalised name line closes the text (Tempo)
    CUT_AT: ClassVar[str] = ""  # regex: the first paragraph it matches ends the body
    AUTHORS: ClassVar[str] = ""  # byline text nodes/elements
    AUTHOR_DROP: ClassVar[tuple[str, ...]] = ()  # lower-cased non-person bylines
    DATE: ClassVar[str] = ""  # the visible publication date line
    DATE_RE: ClassVar[str] = ""  # optional regex; the whole match is the date text kept
    SECTION: ClassVar[str] = ""
    TAGS: ClassVar[str] = ""

    @classmethod
    def field_names(cls) -> list[str]:
        """Only the fields this layout has a selector (or its own method) for."""
        wanted = {
            "title": cls.TITLE,
            "body": cls.BODY,
            "credit_codes": cls.BODY,
            "authors": cls.AUTHORS,
            "date_candidates": cls.DATE,
            "section": cls.SECTION,
            "tags": cls.TAGS,
        }
        return [
            name
            for name in super().field_names()
            # A field is produced when its selector is set or a version overrides its method.
            if wanted.get(name, True) or vars(SelectorVersion).get(name) is not getattr(cls, name)
        ]

    @field
    def title(self) -> str | None:
        """The visible headline."""
        return first_text(self.tree, self.TITLE)

    @cached_property
    def _text(self) -> _Body:
        """The body paragraphs (boilerplate dropped, cut, closing credits split off)."""
        container = xpath_first(self.tree, self.BODY)
        if container is None:
            return _Body([])
        drop = COMMON_DROP + (" | " + self.DROP if self.DROP else "")
        paras = paragraphs(container, drop)
        if self.CUT_AT:
            cut = next((i for i, p in enumerate(paras) if re.search(self.CUT_AT, p)), len(paras))
            paras = paras[:cut]
        tail = None
        if self.TAIL_CREDIT:
            paras, tail = split_tail_credit(paras)
        paras, code = split_desk_code(paras, self.DESK_CODE)
        return _Body(paras, code, tail)

    @field
    def body(self) -> str | None:
        """The article paragraphs joined by blank lines (raw; cleaning happens downstream)."""
        return "\n\n".join(self._text.paras) or None

    @field
    def credit_codes(self) -> list[str]:
        """The desk code that closed the text ("(mea/mea)" -> "mea/mea")."""
        code = self._text.code
        return [code] if code else []

    @field
    def authors(self) -> list[str]:
        """Reporter names from the byline."""
        names: list[str] = []
        for raw in all_texts(self.tree, self.AUTHORS):
            names.extend(split_authors(raw, drop=self.AUTHOR_DROP))
        return list(dict.fromkeys(names))

    @field
    def date_candidates(self) -> list[DateCandidate]:
        """The visible date line (and a machine value agreeing with it) as `site` candidates."""
        raw = first_text(self.tree, self.DATE)
        if raw and self.DATE_RE:
            match = re.search(self.DATE_RE, raw)
            raw = match.group(0) if match else None
        return site_dates(raw, machine_dates(self.tree), self.tz, type(self).__name__)

    @field
    def section(self) -> str | None:
        """The channel or rubric name."""
        return first_text(self.tree, self.SECTION)

    @field
    def tags(self) -> list[str]:
        """Topic tags."""
        return [t.lstrip("#").strip() for t in all_texts(self.tree, self.TAGS)]
