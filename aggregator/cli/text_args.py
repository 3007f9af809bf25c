"""Checks shared by the commands' text options: one readable line instead of a traceback."""

from __future__ import annotations

from aggregator.exceptions import InputError


def text_option(name: str, value: str | None) -> str | None:
    """`value` unchanged if it is text a database can take; else `InputError` naming `name`.

    Bytes that are not UTF-8 reach Python's argv as lone surrogates (PEP 383); a
    database driver would fail on them with an encoding traceback.
    """
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        shown = value.encode("utf-8", "backslashreplace").decode("ascii", "replace")
        raise InputError(f"{name} is not valid UTF-8 text: {shown}") from None
    if "\x00" in value:
        raise InputError(f"{name} contains a NUL character")
    return value
