"""Robust bytes-to-text decoding: BOM, declared charsets, verified against the bytes."""

from __future__ import annotations

import codecs
import re

# Sequences that appear when UTF-8 bytes were decoded as cp1252/latin-1.
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf\u2018-\u203a\u20ac\u0152-\u0178]|â€|Ã©|Ã¢")
_SUSPECT = re.compile("[ÃÂâ]")  # cheap pre-check: every mojibake sequence starts so
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers treat these labels as windows-1252 (WHATWG encoding standard).
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
            "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}


def decode_html(data: bytes | str, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, encoding used), without U+FFFD.

    Mojibake inside correctly decoded bytes (a page that was double-encoded upstream) is
    repaired later on the extracted strings with `repair_mojibake`, which is cheaper
    than scanning the whole page.
    """
    if isinstance(data, str):
        return _finish(data), "str"
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _finish(data[len(bom):].decode(name, errors="replace")), name
    try:
        return _finish(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    for name in _candidates(data, declared):
        try:
            return _finish(data.decode(name)), name
        except (UnicodeDecodeError, LookupError):
            continue
    return _finish(data.decode("cp1252", errors="replace")), "cp1252"


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252 damage when the text shows its telltale sequences."""
    if not _SUSPECT.search(text) or not _MOJIBAKE.search(text):
        return text
    try:
        fixed = _web_bytes(text).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return _repair_runs(text)
    return fixed if len(_MOJIBAKE.findall(fixed)) < len(_MOJIBAKE.findall(text)) else text


def _web_bytes(text: str) -> bytes:
    """Bytes as a browser's windows-1252 decoder read them (C1 controls map to themselves)."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                raise
            out.append(ord(char))
    return bytes(out)


def _repair_runs(text: str) -> str:
    """Repair mojibake run by run when the whole text cannot be re-encoded at once."""
    def fix(match: re.Match[str]) -> str:
        chunk = match.group(0)
        try:
            return _web_bytes(chunk).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return chunk
    return re.sub("[\u00c2-\u00f4][\u0080-\u00bf\u2018-\u203a\u20ac\u0152-\u0178]{1,3}", fix, text)


def _candidates(data: bytes, declared: str | None) -> list[str]:
    """Encodings to try after strict UTF-8: HTTP charset, meta charset, then cp1252."""
    names: list[str] = []
    meta = _META_CHARSET.search(data[:4096])
    for raw in (declared, meta.group(1).decode("ascii", "ignore") if meta else None):
        if raw:
            label = raw.strip().strip("\"'").lower()
            names.append(_ALIASES.get(label, label))
    names.append("cp1252")
    return list(dict.fromkeys(names))


def _finish(text: str) -> str:
    """Replacement characters out (mojibake is repaired on the extracted strings)."""
    return text.replace("\ufffd", "") if "\ufffd" in text else text
