"""Choose an article's published and modified dates from its candidates.

Order of trust (`TRUST_ORDER`): the site's own parser, JSON-LD, meta tags and microdata,
`<time>` elements, the visible date line, the feed entry, the sitemap entry, the URL.
Within one source the most precise candidate wins, then the first one; a date-only winner
takes the time of a less trusted candidate on the same local day.  Weak sources
(`<time>`, date lines, text) are ignored when they lie after `now` or more than a day
from the URL's date: those are other stories' dates or schedules.

Zone cross-check: machine-readable dates often carry a false zone (detik's `...T13-19-56Z`
is WIB wall-clock time; merdeka prints `-07:00` for `+07:00`).  A candidate naming a zone
known to be emitted falsely (a UTC designator, or the site's offset with the wrong sign:
`Reading.doubtful`) has two readings: as written and as wall-clock time in the site's zone.
WIB, WITA and WIT are always believed: a Bali story on a Jakarta portal is normal.
Candidates without doubt (no zone, a believed zone) are anchors.  Doubtful candidates are
grouped by source and by how far their zone is from the site's; a group whose wall-clock
readings agree with anchors more often than their literal readings do is read as
wall-clock time.  When no anchor decides, two groups that show the
same wall-clock time under different zones contradict each other, and both are read as
wall-clock time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from aggregator.dates.lexicon import get_zone
from aggregator.dates.parse import Reading, read_date
from aggregator.types import DateCandidate, DateKind, DateSource, ResolvedDate

#: Sources in order of trust, per kind (documented above; tested).
TRUST_ORDER: dict[DateKind, tuple[DateSource, ...]] = {
    "published": ("site", "jsonld", "meta", "time", "dateline", "feed", "sitemap", "url", "text"),
    "modified": ("site", "jsonld", "meta", "time", "dateline", "sitemap", "feed", "text"),
}
#: Sources scoped loosely enough to pick up other stories' dates; checked against the URL.
WEAK_SOURCES: frozenset[str] = frozenset({"time", "dateline", "text"})
_PRECISION_RANK = {"day": 0, "minute": 1, "second": 2}
_URL_SLACK = timedelta(days=1, hours=12)
#: How far after `now` a weak source may lie (zone mistakes) before it is taken for a schedule.
_WEAK_FUTURE = timedelta(hours=14)


@dataclass(slots=True)
class _Seen:
    """One parsed candidate and the reading the resolver settled on."""

    cand: DateCandidate
    reading: Reading
    value: datetime


def _floor(value: datetime, precision: str) -> datetime:
    """`value` truncated to the given precision."""
    if precision == "minute":
        return value.replace(second=0, microsecond=0)
    return value.replace(microsecond=0)


def _agree(a: datetime, a_prec: str, b: datetime, b_prec: str) -> bool:
    """Two instants agree to the coarser of their precisions (day precision never votes)."""
    if "day" in (a_prec, b_prec):
        return False
    prec = "minute" if "minute" in (a_prec, b_prec) else "second"
    return _floor(a, prec) == _floor(b, prec)


def _doubtful(r: Reading) -> bool:
    """The text names a zone that may be false and differs from the site's."""
    return r.doubtful and r.value != r.wall


def _votes(seen: list[_Seen], anchors: list[_Seen]) -> tuple[int, int, timedelta]:
    """(literal votes, wall votes, zone shift): how many of `seen` agree with another anchor.

    A wall-clock vote compares clocks as printed: a false `Z` on a WITA outlet's stamp
    shows the same clock as its visible "08:15 WITA" line, so the shift to apply is the
    anchor's own zone (its value minus its clock read in the site's zone).
    """
    lit = wall = 0
    shift: timedelta | None = None
    for s in seen:
        others = [a for a in anchors if a.cand.raw != s.cand.raw]
        p = s.reading.precision
        lit += any(_agree(s.reading.value, p, a.value, a.reading.precision) for a in others)
        match = next((a for a in others
                      if _agree(s.reading.wall, p, a.reading.wall, a.reading.precision)), None)
        if match is not None:
            wall += 1
            shift = shift if shift is not None else match.value - match.reading.wall
    return lit, wall, shift or timedelta(0)


def _walls_clash(group: list[_Seen], others: list[_Seen]) -> bool:
    """Some candidate of `group` shows the same wall clock as one with another zone.

    The same instant written the same way by two sources (JSON-LD and the meta tag both
    `03:00:00+00:00`) is agreement, not a clash: a correct UTC stamp is the common case.
    """
    return any(
        g.reading.wall == o.reading.wall and g.reading.value != o.reading.value
        and g.reading.precision == o.reading.precision == "second"
        for g in group
        for o in others
    )


def _settle_zones(seen: list[_Seen]) -> None:
    """Switch groups of candidates with a false zone to their wall-clock reading."""
    anchors = [s for s in seen if not _doubtful(s.reading) and s.reading.precision != "day"]
    # A page's metadata and its feed come from different systems: judge them apart.
    groups: dict[tuple[str, timedelta], list[_Seen]] = defaultdict(list)
    for s in seen:
        if _doubtful(s.reading):
            groups[(s.cand.source, s.reading.value - s.reading.wall)].append(s)
    for key, group in groups.items():
        lit, wall, shift = _votes(group, anchors)
        others = [s for k, g in groups.items() if k != key for s in g]
        if wall > lit or (lit == wall == 0 and _walls_clash(group, others)):
            for s in group:
                s.value = s.reading.wall + shift


def _url_day(seen: list[_Seen]) -> datetime | None:
    """The local midnight named by the URL, if any."""
    for s in seen:
        if s.cand.source == "url":
            return s.value
    return None


@dataclass(frozen=True, slots=True)
class _Context:
    """What plausibility checks need: the URL's day, the reference time, the site's zone."""

    url_day: datetime | None
    now: datetime
    zone: tzinfo


def _plausible(s: _Seen, ctx: _Context) -> bool:
    """Weak sources must fall within a day or so of the URL's date when the URL has one, and
    must not lie after `now` (a schedule line such as a match kick-off, not a publication)."""
    if s.cand.source not in WEAK_SOURCES:
        return True
    if s.value > ctx.now + _WEAK_FUTURE:
        return False
    if ctx.url_day is None:
        return True
    return ctx.url_day - _URL_SLACK <= s.value <= ctx.url_day + timedelta(days=1) + _URL_SLACK


def _ranked(seen: list[_Seen], kind: DateKind, ctx: _Context) -> list[_Seen]:
    """Plausible candidates of `kind`: by trust order, then precision, then position."""
    out: list[_Seen] = []
    for source in TRUST_ORDER[kind]:
        pool = [s for s in seen if s.cand.kind == kind and s.cand.source == source]
        pool = [s for s in pool if _plausible(s, ctx)]
        out.extend(sorted(pool, key=lambda s: -_PRECISION_RANK[s.reading.precision]))
    return out


def _choose(seen: list[_Seen], kind: DateKind, ctx: _Context) -> ResolvedDate:
    """The best candidate; a date-only winner takes the time of a less trusted candidate of
    the same local day (JSON-LD "2022-01-08" and the line "8 Januari 2022 10:15 WIB")."""
    ranked = _ranked(seen, kind, ctx)
    if not ranked:
        return ResolvedDate()
    best = ranked[0]
    if best.reading.precision == "day":
        day = best.value.astimezone(ctx.zone).date()
        for s in ranked[1:]:
            if s.reading.precision != "day" and s.value.astimezone(ctx.zone).date() == day:
                best = s
                break
    return ResolvedDate(value=best.value, raw=best.cand.raw, source=best.cand.source)


def resolve_article_dates(
    candidates: list[DateCandidate], *, now: datetime, tz: str
) -> tuple[ResolvedDate, ResolvedDate]:
    """The (published, modified) dates of an article; empty `ResolvedDate`s when unknown."""
    zone = get_zone(tz)  # fail early and clearly on an unknown zone
    seen: list[_Seen] = []
    for cand in candidates:
        reading = read_date(cand.raw, now=now, tz=tz)
        if reading is not None:
            seen.append(_Seen(cand, reading, reading.value))
    _settle_zones(seen)
    ctx = _Context(_url_day(seen), now if now.tzinfo else now.replace(tzinfo=UTC), zone)
    return _choose(seen, "published", ctx), _choose(seen, "modified", ctx)
