"""HTTP pieces of the loopback mirror: content types by extension, file validators and
conditional GET, bounded gunzip (plain functions, tested through `aggregator.mirror`)."""

from __future__ import annotations

import hashlib
import mimetypes
import zlib
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Final

#: Content types by extension; checked before `mimetypes` so results do not depend on the OS.
CONTENT_TYPES: Final[dict[str, str]] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".gz": "application/gzip",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css",
    ".js": "application/javascript",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}
#: Extension-less paths (``/read/2024/01/02/123/judul``) are article pages.
DEFAULT_CONTENT_TYPE: Final = "text/html; charset=utf-8"


def content_type_for(path: str) -> str:
    """Content type for a URL path, by its extension."""
    suffix = Path(path).suffix.lower()
    if not suffix:
        return DEFAULT_CONTENT_TYPE
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path)
    return guessed or "application/octet-stream"


def bounded_gunzip(data: bytes, limit: int) -> bytes | None:
    """Gunzip `data`, or None when it is not gzip or would exceed `limit` bytes."""
    decomp = zlib.decompressobj(wbits=31)
    try:
        out = decomp.decompress(data, limit + 1)
    except zlib.error:
        return None
    return None if len(out) > limit or decomp.unconsumed_tail else out


def file_validators(file: Path) -> tuple[str, str, float]:
    """(ETag, Last-Modified, mtime) for a file; the ETag hashes size and mtime."""
    stat = file.stat()
    digest = hashlib.sha1(f"{stat.st_size}-{stat.st_mtime_ns}".encode(), usedforsecurity=False)
    return f'"{digest.hexdigest()[:16]}"', formatdate(stat.st_mtime, usegmt=True), stat.st_mtime


def is_not_modified(headers: dict[str, str], etag: str, mtime: float) -> bool:
    """Conditional GET: If-None-Match wins over If-Modified-Since (RFC 9110)."""
    inm = headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return etag in tags or "*" in tags
    ims = headers.get("if-modified-since")
    if ims is None:
        return False
    try:
        since = parsedate_to_datetime(ims).timestamp()
    except (TypeError, ValueError):
        return False  # an unparsable date means "send the full body"
    return int(mtime) <= int(since)
