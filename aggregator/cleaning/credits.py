"""Credit lines turned into fields: reporter, editor, desk codes and wire source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Wire agencies by the code or name Indonesian desks use.
WIRES: dict[str, str] = {
    "ant": "Antara",
    "antara": "Antara",
    "antaranews": "Antara",
    "rtr": "Reuters",
    "reuters": "Reuters",
    "afp": "AFP",
    "ap": "AP",
    "xinhua": "Xinhua",
    "bbc": "BBC",
    "dpa": "DPA",
    "bernama": "Bernama",
    "associated press": "AP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
}
# A wire code this short ("ap") is also how staff initials look ("wk", "dn"), so in a desk
# code it names the wire only standing alone in capitals: "(AP)" is the wire, while
# "(ap/wk)" and "(ap)" read like editor initials ("(wk/tiar)", okezone's "(ren)").
_MIN_SHARED_WIRE_CODE = 3

_LABELS: dict[str, str] = {
    "penulis": "author",
    "reporter": "author",
    "pewarta": "author",
    "wartawan": "author",
    "kontributor": "author",
    "laporan": "author",
    "writer": "author",
    "author": "author",
    "editor": "editor",
    "redaktur": "editor",
    "penyunting": "editor",
    "red": "editor",
    "editing": "editor",
    "sumber": "source",
    "source": "source",
}
_LABEL_ALT = "|".join(sorted(_LABELS, key=len, reverse=True))
# One label or several sharing a value ("Redaktur & Reporter : Boy", "Penulis/Editor: A").
_LABEL_RE = re.compile(
    rf"(?i)\b((?:{_LABEL_ALT})(?:\s*(?:&|/|dan|\+)\s*(?:{_LABEL_ALT}))*)\s*:\s*"
)
_LABEL_SPLIT = re.compile(r"\s*(?:&|/|\bdan\b|\+)\s*", re.IGNORECASE)
# A whole paragraph made of credit fields: "Penulis: A | Editor: B", "Pewarta: A Editor: B".
_CREDIT_PARA = re.compile(
    rf"(?i)^\W*(?:{_LABEL_ALT})(?:\s*(?:&|/|dan|\+)\s*(?:{_LABEL_ALT}))*\s*:\s*\S"
)
# A label glued to the name before it, where a <br> between two credit lines left no space
# ("Penulis: Muhammad ShiftantoEditor: Sri Juliati").  Case-sensitive: a capital after a
# small letter is how a lost line break looks, not a word inside a name.
_GLUED_LABEL = re.compile(
    r"(?<=[a-z.)])(?=(?:Editor|Redaktur|Penyunting|Penulis|Reporter|Pewarta|Sumber|"
    r"Kontributor|Fotografer)\s*:)"
)
# A byline without a colon, names only: "Oleh Fajar Nugroho", "By A and B" (never "Oleh
# karena itu": every word is capitalised).
_NAME = r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4}"
_BYLINE = re.compile(
    rf"^\W*(?:Oleh|By)\s*:?\s+(?P<names>{_NAME}(?:\s*(?:,|\bdan\b|\band\b|&)\s*{_NAME})*)\W*$"
)
# Tribun's reporter line over the story: "Laporan Wartawan Tribunnews.com, Nama Wartawan"
# (also "Laporan Reporter ...", "Laporan Koresponden ...", "Laporan Kontributor ...").
_REPORTER_LINE = re.compile(
    r"^\W*Laporan\s+(?:Wartawan|Reporter|Koresponden|Kontributor|Jurnalis)\s+"
    r"(?P<outlet>[^,:]{2,50}?)\s*,\s*"
    r"(?P<name>[A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|bin|binti|al|el|van|de)){0,5})\W*$"
)
# Trailing desk code: "(wk/tiar)", "(ant)", "(mea/mea)", "[ian]", "(H-4)", "(Cas/Isk)",
# or a wire's code in capitals, "(AP)", "(AFP)" (other capitals stay: "(AS)" is a country),
# or a wire's name as English desks write it, "(Reuters)", "(Xinhua)".
_WIRE_CAPS = "|".join(sorted(
    {k.upper() for k in WIRES if k.isalpha()}
    | {k.capitalize() for k in WIRES if k.isalpha() and len(k) > 3},  # not "(Ant)", "(Dpa)"
    key=len, reverse=True))  # fmt: skip
_CODE = re.compile(
    r"\s*[(\[]\s*((?:[A-Za-z]{1,8}(?:\s*[/\\-]\s*[A-Za-z0-9]{1,8})+)|[a-z]{2,8}|"
    r"[A-Z][a-z]{1,3}\s*/\s*[A-Z][a-z]{1,3}|[A-Z]{1,3}-\d{1,3}|"
    rf"(?:{_WIRE_CAPS}))\s*[)\]]\s*$"
)
_MAX_CREDIT_LEN = 160
# A desk code with a slash or in brackets closes an Indonesian story: what follows is widgets.
_CLOSING_CODE = re.compile(
    r"[(\[]\s*[A-Za-z]{1,8}(?:\s*/\s*[A-Za-z0-9]{1,8})+\s*[)\]]\s*$|\[[a-z]{2,8}\]\s*$"
)
# A reporter's name alone at the end, in capitals (Tempo) or in parentheses (Suara).
_CAPS_NAME = re.compile(r"^[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){1,3}$")
_PAREN_NAME = re.compile(r"(?:^|(?<=[.!?\"”] ))\(([A-Z][a-z]+(?: [A-Z][a-z]+){1,3})\)$")


# Where names end in a byline that runs on into its date line ("A Diterbitkan Kamis, 12 ...").
_AFTER_NAMES = re.compile(
    r"\s+(?=(?:diterbitkan|dipublikasikan|diperbarui|update|senin|selasa|rabu|kamis|jum'?at|"
    r"sabtu|minggu)\b)|\s*\|\s*|\s+(?=\d)", re.IGNORECASE
)


@dataclass(slots=True)
class Credits:
    """People and codes found in credit lines."""

    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    credit_codes: list[str] = field(default_factory=list)
    wire_source: str | None = None


def is_credit_paragraph(text: str) -> bool:
    """True for a short paragraph that only carries credit fields ("Editor: X")."""
    if len(text) > _MAX_CREDIT_LEN:
        return False
    return bool(_CREDIT_PARA.match(text) or _REPORTER_LINE.match(text) or _BYLINE.match(text))


def parse_credit_paragraph(text: str, credits: Credits) -> None:
    """Read "Label: value" pairs (or a Tribun reporter line) from a credit paragraph."""
    reporter = _REPORTER_LINE.match(text)
    if reporter:
        _add(credits.authors, reporter["name"].strip())
        return
    byline = _BYLINE.match(text)
    if byline:
        _assign("author", byline["names"], credits)
        return
    text = _GLUED_LABEL.sub(" | ", text)
    marks = list(_LABEL_RE.finditer(text))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        value = text[mark.end() : end].strip(" |,;-–")
        if not value:
            continue
        for label in _LABEL_SPLIT.split(mark.group(1)):
            _assign(_LABELS[label.lower()], value, credits)


def split_trailing_code(text: str, credits: Credits) -> str:
    """Remove a trailing desk code from the last paragraph and record it."""
    match = _CODE.search(text)
    if not match:
        return text
    code = re.sub(r"\s+", "", match.group(1))
    _add(credits.credit_codes, code)
    credits.wire_source = credits.wire_source or _code_wire(code)
    return text[: match.start()].rstrip()


def _code_wire(code: str) -> str | None:
    """The wire a desk code names: "ant/dn" -> Antara, "AP" -> AP, "ap/wk" -> None."""
    parts = re.split(r"[/\\-]", code)
    for part in parts:
        wire = WIRES.get(part.lower())
        alone_in_caps = len(parts) == 1 and part.isupper()
        if wire and (len(part) >= _MIN_SHARED_WIRE_CODE or alone_in_caps):
            return wire
    return None


def closing_code_index(paragraphs: list[str]) -> int | None:
    """Index of the paragraph that ends with the story's closing desk code, if any.

    The last code wins; one in the opening paragraph is a caption credit, not an ending.
    """
    for i in range(len(paragraphs) - 1, 0, -1):
        if _CLOSING_CODE.search(paragraphs[i]):
            return i
    return None


def split_signature(text: str, credits: Credits) -> str:
    """Take a closing reporter name or wire name off the last paragraph ("" if nothing left)."""
    bare = text.strip(" .-–—")  # "- AP", "— ANTARA": the dash only sets the credit apart
    if bare.lower() in WIRES:
        credits.wire_source = credits.wire_source or WIRES[bare.lower()]
        return ""
    if _CAPS_NAME.match(bare) and bare.lower() not in _LABELS:
        _add(credits.authors, bare.title())
        return ""
    match = _PAREN_NAME.search(text)
    if match:
        name = match.group(1)
        if name.lower() in WIRES:  # "(Associated Press)" is the wire, not a reporter
            credits.wire_source = credits.wire_source or WIRES[name.lower()]
        else:
            _add(credits.authors, name)
        return text[: match.start()].rstrip()
    return text


def _assign(kind: str, value: str, credits: Credits) -> None:
    """Store one credit value under its kind."""
    if kind == "source":
        name = value.split("/")[0].strip().rstrip(".")
        credits.wire_source = credits.wire_source or WIRES.get(name.lower(), name)
        return
    target = credits.authors if kind == "author" else credits.editors
    value = _AFTER_NAMES.split(value, maxsplit=1)[0]  # a date line run into the byline
    for name in re.split(r"\s*(?:,|;|\bdan\b|&|/)\s*", value):
        _add(target, name.strip(" .|"))


def _add(target: list[str], value: str) -> None:
    """Append a non-empty value once."""
    if value and value not in target and len(value) <= 60:
        target.append(value)
