"""The capitalised name line that closes a Tempo-style article: the reporter or the wire."""

from __future__ import annotations

import re

from aggregator.cleaning.credits import WIRES

# One to four capitalised words alone in the last paragraph (why: Tempo prints the reporter,
# or the wire, in capitals on its own line after the text; "DINI TEJA", "ANTARA").
_CAPS_LINE = re.compile(r"^[A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*){0,3}$")


def split_tail_credit(paras: list[str]) -> tuple[list[str], str | None]:
    """Paragraphs without a closing capitalised credit line, and that line (or None)."""
    if len(paras) > 1 and _CAPS_LINE.match(paras[-1]):
        return paras[:-1], paras[-1]
    return paras, None


def credit_person(name: str | None) -> list[str]:
    """The credit as an author, unless it names a wire."""
    return [name] if name and name.casefold() not in WIRES else []


def credit_wire(name: str | None) -> str | None:
    """The wire the credit names ('ANTARA' -> 'Antara'), or None."""
    return WIRES.get(name.casefold()) if name else None
