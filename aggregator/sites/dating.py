"""The site's publication date: the visible date line, made precise by a machine value.

Visible date lines carry minutes; JSON-LD and meta tags often carry seconds but sometimes a
false zone (detik's `13-19-56Z` is WIB).  A machine value is kept only when it agrees with
the visible line to the minute, as written or, for a zone the dates package doubts, read as
the site's wall-clock time.
"""

from __future__ import annotations

from datetime import datetime

import lxml.html

from aggregator.dates import parse_date, read_date
from aggregator.dates.lexicon import get_zone
from aggregator.sites.text import jsonld_objects, meta
from aggregator.types import DateCandidate

#: Machine-readable published values, most trusted first.
META_KEYS = ("article:published_time", "datePublished", "pubdate", "publishdate", "dateCreated")


def machine_dates(tree: lxml.html.HtmlElement) -> list[str]:
    """Published values from JSON-LD, then meta tags, in order of trust."""
    found = [
        str(obj["datePublished"])
        for obj in jsonld_objects(tree)
        if isinstance(obj.get("datePublished"), str)
    ]
    for key in META_KEYS:
        value = meta(tree, key)
        if value:
            found.append(value)
    return found


def site_dates(
    visible: str | None, machine: list[str], tz: str, detail: str
) -> list[DateCandidate]:
    """`site` candidates: a precise machine value agreeing with the visible line, then the line."""
    if not visible:
        # Without the visible line there is nothing to check a machine value against; the
        # date resolver cross-checks the page's machine values itself.
        return []
    shown = parse_date(visible, tz=tz)
    out: list[DateCandidate] = []
    for raw in machine:
        precise = _agreeing(raw, shown, tz)
        if precise is not None:
            out.append(DateCandidate("published", precise, "site", f"{detail}:precise"))
            break
    out.append(DateCandidate("published", visible, "site", detail))
    return out


def _agreeing(raw: str, shown: datetime | None, tz: str) -> str | None:
    """`raw` (or its wall-clock reading, as ISO text) when it matches `shown` to the minute.

    The wall-clock reading is tried only for a zone the dates package doubts
    (`Reading.doubtful`: Z, GMT, +00:00, the site's offset negated), the resolver's rule."""
    reading = read_date(raw, tz=tz)
    if reading is None or shown is None:  # an unreadable visible line vouches for nothing
        return None
    if _minute(reading.value) == _minute(shown):
        return raw
    if reading.doubtful and _minute(reading.wall) == _minute(shown):
        return reading.wall.astimezone(get_zone(tz)).isoformat()
    return None


def _minute(value: datetime) -> datetime:
    """The instant truncated to the minute."""
    return value.replace(second=0, microsecond=0)
