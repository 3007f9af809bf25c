"""Compiled regular expressions for the date parser (text is lower-cased before matching)."""

from __future__ import annotations

import re

from aggregator.dates.lexicon import MONTHS, WEEKDAYS


def _alt(words: dict[str, int]) -> str:
    """A regex alternation of `words`, longest first so that 'juni' beats 'jun'."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MON = rf"(?P<mon>{_alt(MONTHS)})"

#: ISO 8601 and its relatives: 2022-01-08, 2022/01/08, 2022-01-08T10:15:30.5+07:00,
#: detik's 2022-12-10T13-19-56Z and 2015-11-05 T10:08:58Z.  Hyphens in the time only after T.
ISO_RE = re.compile(
    r"(?<![\d.:/-])(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d)"
    r"(?:(?:\s*t\s*(?P<H1>\d{1,2})[:.-](?P<M1>\d{2})(?:[:.-](?P<S1>\d{2}))?"
    r"|[\s,]+(?P<H2>\d{1,2})[:.](?P<M2>\d{2})(?:[:.](?P<S2>\d{2}))?)"
    r"(?:[.,](?P<frac>\d{1,9}))?(?!\d))?"
)

#: Day-first numbers: 08/01/2022, 8-1-2022, 08.01.2022, 8/1/22, and yearless 8/1 (slash only).
NUM_RE = re.compile(
    r"(?<![\d.:/-])(?P<d>\d{1,2})(?P<s>[/.-])(?P<m>\d{1,2})"
    r"(?:(?P=s)(?P<y>\d{4}|\d{2}))?(?![\d:/-]|\.\d)"
)

#: Day, month name, optional year: "8 Januari 2022", "10 Des 2022", "04 November, 2015";
#: a two-digit year only before a time, as in RFC 822 ("Thu, 05 Nov 15 12:58:01 +0700").
DMY_RE = re.compile(
    rf"(?<![\d.:])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s\-/]*{_MON}\b\.?"
    r"(?:[\s,\-/]*(?P<y>\d{4}(?!\d)|\d{2}(?=\s+\d{1,2}:\d{2})))?"
)

#: Month name, day, optional year: "June 19 2015", "Jun 19, 2015".
MDY_RE = re.compile(
    rf"\b{_MON}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:.]\d)"
    r"(?:\s*,?\s*(?P<y>\d{4})(?!\d))?"
)

#: A weekday name right before a date core ("Sabtu, ", "Jumat (", "Fri, ").
WEEKDAY_RE = re.compile(rf"\b(?P<wd>{_alt(WEEKDAYS)})\.?\s*[,(|\-–]?\s*\(?\s*$")

#: Clock time: 10:15, 10.15, 10:15:30, 7:36 am; not part of a longer number.
TIME_RE = re.compile(
    r"(?<![\d.:/])(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?(?:[.,](?P<frac>\d{1,6}))?"
    r"(?![\d:/])(?!\.\d)(?:\s*(?P<ampm>a\.?\s?m\b\.?|p\.?\s?m\b\.?))?"
)

#: A zone right after a time or date: WIB/WITA/WIT, UTC/GMT(+7), Z, +07:00, +0700, +07.
ZONE_RE = re.compile(
    r"\s*\(?\s*(?:(?P<gmt>gmt|utc)\s?(?P<s1>[+-])(?P<h1>\d{1,2})(?::?(?P<m1>\d{2}))?"
    r"|(?P<name>wita|wib|wit|utc|gmt|ut|z)"
    r"|(?P<s2>[+-])(?P<h2>\d{2})(?::?(?P<m2>\d{2}))?)(?![a-z\d])"
)

#: Connectors allowed between a date and its time ("," "|" "-" "pukul", "at", "jam"), and a
#: zone written between them ("2019-09-28WIB19:17:34+07:00").
GAP_RE = re.compile(
    r"^[\s,|/\-–—@()]*(?:(?:wita|wib|wit)\b[\s,|/\-–—()]*)?"
    r"(?:(?:pukul|pkl\.?|jam|at|on|sekitar)\b[\s:.,]*)?$"
)

#: Zones written with dots: "W.I.B", "w.i.t.a.".
DOTTED_ZONE_RE = re.compile(r"\bw\.i\.(t\.a|b|t)\b\.?")
TAG_RE = re.compile(r"<[^<>]{0,300}>")
SPACE_RE = re.compile(r"\s+")
