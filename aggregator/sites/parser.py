"""Versioned site parsers (the Fundus `ParserProxy` pattern, written for lxml and PageFields).

A site parser is a `SiteParser` subclass holding nested `ParserVersion` classes.  Each
version but the newest sets `VALID_UNTIL` (the last day its layout was live); a redesign
adds a version and older pages keep parsing with the old one.  Fields are methods marked
`@field`, named after a `PageFields` attribute; a field that raises or returns nothing keeps
the PageFields default, so one broken selector degrades one field, not the article.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

import lxml.html

from aggregator.exceptions import ConfigError
from aggregator.sites.hints import guess_page_date
from aggregator.types import PageFields

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
_PAGE_FIELDS = frozenset(f.name for f in dataclasses.fields(PageFields))
_FIELD_MARK = "__site_field__"


def field(func: F) -> F:
    """Mark a parser method as producing the PageFields attribute of the same name."""
    if func.__name__ not in _PAGE_FIELDS:
        raise ConfigError(f"@field {func.__name__!r} is not a PageFields attribute")
    setattr(func, _FIELD_MARK, True)
    return func


class ParserVersion:
    """One layout of a site: class-level selectors plus `@field` methods reading `self.tree`."""

    VALID_UNTIL: ClassVar[date | None] = None

    def __init__(self, tree: lxml.html.HtmlElement, url: str, tz: str = "Asia/Jakarta") -> None:
        """Bind the version to one parsed page (and the site's zone, for reading dates)."""
        self.tree = tree
        self.url = url
        self.tz = tz

    @classmethod
    def field_names(cls) -> list[str]:
        """The `@field` methods of this version (inherited ones included), in a stable order."""
        names: dict[str, None] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if callable(value) and getattr(value, _FIELD_MARK, False):
                    names[name] = None
        return list(names)

    def run(self) -> PageFields:
        """Evaluate every field; a failing or empty field keeps its default."""
        page = PageFields()
        for name in self.field_names():
            try:
                value = getattr(self, name)()
            except Exception as exc:  # a broken selector must not lose the article
                logger.debug("site field %s.%s failed: %r", type(self).__name__, name, exc)
                page.rule_hits[f"site/field_error/{name}"] += 1
                continue
            if value is not None and value != [] and value != "":
                setattr(page, name, value)
        return page


class SiteParser:
    """The proxy that owns a site's versions and picks one per page."""

    versions: ClassVar[tuple[type[ParserVersion], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Collect nested versions, oldest first; two with the same VALID_UNTIL fail at import."""
        super().__init_subclass__(**kwargs)
        found: list[type[ParserVersion]] = [
            v for v in vars(cls).values() if isinstance(v, type) and issubclass(v, ParserVersion)
        ]
        current = [v for v in found if v.VALID_UNTIL is None]
        dated = sorted((v for v in found if v.VALID_UNTIL is not None), key=_until)
        if len(current) > 1 or len({v.VALID_UNTIL for v in dated}) != len(dated):
            raise ConfigError(f"{cls.__name__}: versions need distinct VALID_UNTIL dates")
        cls.versions = (*dated, *current)

    @classmethod
    def pick(cls, published: date | None) -> type[ParserVersion]:
        """The version live on `published` (the newest when the date is unknown)."""
        if not cls.versions:
            raise ConfigError(f"{cls.__name__} has no ParserVersion")
        if published is not None:
            for version in cls.versions:
                if version.VALID_UNTIL is None or published <= version.VALID_UNTIL:
                    return version
        return cls.versions[-1]

    @classmethod
    def parse(
        cls,
        tree: lxml.html.HtmlElement,
        url: str,
        *,
        published_hint: datetime | date | None = None,
        site: str = "",
        tz: str = "Asia/Jakarta",
    ) -> PageFields:
        """Parse with the version for the page's date (hint, else a quick guess from the page)."""
        when = published_hint or guess_page_date(tree, url)
        if isinstance(when, datetime):
            when = when.date()
        if when is None:
            # No date to choose by: run every layout and keep the one that recognised most.
            runs = [(v, v(tree, url, tz).run()) for v in reversed(cls.versions)]
            version, page = max(runs, key=lambda run: _score(run[1]))
        else:
            version = cls.pick(when)
            page = version(tree, url, tz).run()
            if not page.body and len(cls.versions) > 1:
                # A wrong date guess (or a late redesign): try the other layouts.
                others = [(v, v(tree, url, tz).run()) for v in cls.versions if v is not version]
                best = max(others, key=lambda run: _score(run[1]))
                if _score(best[1]) > _score(page):
                    version, page = best
        page.extractor = f"site:{site or cls.__name__}:{version.__name__}"
        return page

    @classmethod
    def covered_fields(cls) -> list[str]:
        """Fields the newest version fills."""
        return cls.versions[-1].field_names() if cls.versions else []


def _score(page: PageFields) -> tuple[bool, int, int]:
    """How much a layout recognised: a body first, then the number of fields, then body size."""
    blank = PageFields()
    filled = sum(1 for name in _PAGE_FIELDS if getattr(page, name) != getattr(blank, name))
    return (bool(page.body), filled, len(page.body or ""))


def _until(version: type[ParserVersion]) -> date:
    """Sort key for dated versions."""
    assert version.VALID_UNTIL is not None
    return version.VALID_UNTIL
