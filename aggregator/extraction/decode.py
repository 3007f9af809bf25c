"""Robust bytes-to-text decoding: BOM, declared charsets, verified against the bytes."""

from __future__ import annotations

import codecs
import re

# A browser's windows-1252 reading of each high byte; the five bytes windows-1252 leaves
# undefined (0x81 0x8D 0x8F 0x90 0x9D) stay C1 controls (WHATWG), as latin-1 reads them.
_WEB_CHAR = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)}
# ... and back: both the windows-1252 and the latin-1 reading of a byte map to it.
_WEB_BYTE = {**{b: b for b in range(0x80, 0x100)}, **{ord(c): b for b, c in _WEB_CHAR.items()}}
_CONT = re.escape("".join(c for c in map(chr, _WEB_BYTE) if 0x80 <= _WEB_BYTE[ord(c)] < 0xC0))
_HIGH = re.escape("".join(map(chr, _WEB_BYTE)))
# Telltales: the UTF-8 of every character windows-1252 has (leads C2 C3 C5 C6 CB and
# E2: letters, NBSP, ƒ ˆ ˜ Š, punctuation, € ™) and of any three- or four-byte sequence
# (emoji), read as windows-1252.  Legitimate text almost never has these.
_MOJIBAKE = re.compile(f"[ÂÃÅÆË][{_CONT}]|[à-ï][{_CONT}]{{2}}|[ð-ô][{_CONT}]{{3}}")
_SUSPECT = re.compile(f"[ÂÃÅÆËà-ô][{_CONT}]")  # cheap pre-check: a lead, then a tail
_HIGH_RUN = re.compile(f"[{_HIGH}]{{2,}}")  # UTF-8 multibyte sequences are high bytes only
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
    repaired here; `extract_page` repairs the extracted strings again, for mojibake that
    was written as entities (&Atilde;&copy;).
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
    """Undo UTF-8-read-as-windows-1252 damage when the text shows its telltale sequences.

    Every run of high characters goes back to its bytes and is read as UTF-8 again;
    bytes that form no UTF-8 sequence keep their character, so text that mixes correct
    and damaged characters is repaired too.  The result is kept only with fewer telltales.
    """
    if not _SUSPECT.search(text):
        return text
    found = len(_MOJIBAKE.findall(text))
    if not found:
        return text
    fixed = _HIGH_RUN.sub(_repair_run, text)
    return fixed if len(_MOJIBAKE.findall(fixed)) < found else text


def _repair_run(match: re.Match[str]) -> str:
    """One run of high characters with each valid UTF-8 sequence in its bytes decoded."""
    run = match.group(0)
    raw = bytes(_WEB_BYTE[ord(c)] for c in run)
    out: list[str] = []
    i = 0
    while i < len(raw):
        size = _sequence_length(raw[i])
        try:
            out.append(raw[i:i + size].decode("utf-8") if size > 1 else run[i])
        except UnicodeDecodeError:
            size = 1  # no sequence here: the character stays as it was
            out.append(run[i])
        i += size
    return "".join(out)


def _sequence_length(lead: int) -> int:
    """Bytes in the UTF-8 sequence a lead byte starts (1 for a byte that starts none)."""
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    return 4 if 0xF0 <= lead <= 0xF4 else 1


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
    """Replacement characters and mojibake out.

    Repair runs here, on the whole page, while the C1 controls that stand for the
    undefined windows-1252 bytes (the 0x9D of a closing quote) are still in the text:
    body extraction drops them, and a quote without its last byte cannot be restored.
    """
    return repair_mojibake(text.replace("\ufffd", "") if "\ufffd" in text else text)
