"""Read WARC records back: one record at an offset, whole files, digest verification.

Every failure becomes one `ArchiveReadError` naming the file and the offset of the
record that could not be read (a truncated gzip member, a corrupt header, a payload
whose digest does not match), so a caller can report it and go on with other files.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from aggregator.archive.records import payload_digest
from aggregator.archive.writer import parse_warc_date
from aggregator.exceptions import InputError

#: Exceptions warcio and zlib raise on damaged input.
_DAMAGE = (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError, AssertionError,
           IndexError, KeyError, UnicodeDecodeError)  # fmt: skip


class ArchiveReadError(InputError):
    """A WARC record that cannot be read: carries the file and the record's offset."""

    def __init__(self, path: str | Path, offset: int | None, reason: str) -> None:
        where = f" at offset {offset}" if offset is not None else ""
        super().__init__(f"{path}{where}: {reason}")
        self.path, self.offset, self.reason = str(path), offset, reason


@dataclass(slots=True)
class ArchivedRecord:
    """One WARC record read back: its headers, HTTP status and headers, raw payload."""

    rec_type: str
    url: str
    date: dt.datetime | None
    record_id: str
    offset: int
    status: int = 0
    http_headers: list[tuple[str, str]] = field(default_factory=list)
    payload: bytes = b""  # after HTTP headers, before content decoding (WARC payload)
    warc_headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """A WARC header value (case-insensitive)."""
        lower = name.lower()
        return next((v for k, v in self.warc_headers.items() if k.lower() == lower), None)


def _status(record: Any) -> int:
    """The HTTP status code of a response or revisit record (0 when there is none)."""
    if record.http_headers is None:
        return 0
    try:
        return int(record.http_headers.get_statuscode() or 0)
    except ValueError:
        return 0


def _convert(record: Any, offset: int, *, read_payload: bool = True) -> ArchivedRecord:
    """A warcio record as an `ArchivedRecord` (its payload read when asked)."""
    headers = dict(record.rec_headers.headers)
    date = headers.get("WARC-Date")
    http = record.http_headers.headers if record.http_headers is not None else []
    return ArchivedRecord(
        rec_type=record.rec_type, url=headers.get("WARC-Target-URI", ""),
        date=parse_warc_date(date) if date else None,
        record_id=headers.get("WARC-Record-ID", ""), offset=offset, status=_status(record),
        http_headers=[(k, v) for k, v in http],
        payload=record.raw_stream.read() if read_payload else b"", warc_headers=headers,
    )  # fmt: skip


def check_payload(path: str | Path, record: ArchivedRecord) -> None:
    """Raise `ArchiveReadError` when a response's payload does not match its digest."""
    expected = record.header("WARC-Payload-Digest")
    if record.rec_type != "response" or not expected or not expected.startswith("sha1:"):
        return
    if payload_digest(record.payload) != expected:
        raise ArchiveReadError(path, record.offset, "payload digest mismatch")


def read_record(path: str | Path, offset: int, length: int | None = None) -> ArchivedRecord:
    """The record at `offset` in `path`, its payload digest checked.

    With `length` (the `captures` row's), the record's gzip member is read whole and
    its CRC checked first: any damaged byte is caught, wherever it is.
    """
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            stream: IO[bytes] = fh
            if length is not None:
                stream = io.BytesIO(_gunzip_member(path, offset, fh.read(length), length))
            iterator = ArchiveIterator(stream)
            record = next(iter(iterator), None)
            if record is None:
                raise ArchiveReadError(path, offset, "no WARC record at this offset")
            result = _convert(record, offset)
    except FileNotFoundError:
        raise ArchiveReadError(path, None, "file not found (pruned or moved?)") from None
    except ArchiveReadError:
        raise
    except _DAMAGE as exc:
        raise ArchiveReadError(path, offset, f"unreadable record ({_describe(exc)})") from None
    check_payload(path, result)
    return result


def _gunzip_member(path: str | Path, offset: int, data: bytes, length: int) -> bytes:
    """One whole gzip member, decompressed and CRC-checked, or `ArchiveReadError`."""
    if len(data) < length:
        raise ArchiveReadError(path, offset, "truncated record (the file ends inside it)")
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        plain = inflater.decompress(data)
    except zlib.error as exc:
        raise ArchiveReadError(path, offset, f"damaged gzip member ({exc})") from None
    if not inflater.eof or inflater.unused_data:
        raise ArchiveReadError(path, offset, "damaged gzip member (wrong length or no end)")
    return plain


def _describe(exc: BaseException) -> str:
    """A short description of a read failure."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def iter_records(path: str | Path, *, payloads: bool = True) -> Iterator[ArchivedRecord]:
    """Every record of a WARC file, in order; damage raises `ArchiveReadError` and ends it.

    Memory stays flat: each record is read (payload included) and handed over alone.
    """
    try:
        fh: IO[bytes] = open(path, "rb")  # noqa: SIM115  (closed in finally, generator)
    except OSError as exc:
        raise ArchiveReadError(path, None, f"cannot open: {exc.strerror or exc}") from None
    offset = end = 0
    try:
        iterator = ArchiveIterator(fh)
        records = iter(iterator)
        while True:
            try:
                record = next(records)
                item = _convert(record, offset, read_payload=payloads)
                # After reading the payload: asking for the offset first reads to the end.
                item.offset = offset = iterator.get_record_offset()
                end = offset + iterator.get_record_length()
            except StopIteration:
                _check_complete(path, fh, end)
                return
            except _DAMAGE as exc:
                at = _damage_offset(iterator, offset)
                raise ArchiveReadError(path, at, f"unreadable record ({_describe(exc)})") from None
            if payloads:
                check_payload(path, item)
            yield item
    finally:
        fh.close()


def _check_complete(path: str | Path, fh: IO[bytes], end: int) -> None:
    """warcio ends quietly at a cut-off gzip member: data left past the last record is damage."""
    size = os.fstat(fh.fileno()).st_size
    if end < size:
        raise ArchiveReadError(path, end, f"truncated or damaged record ({size - end} bytes "
                                          "after the last complete record)")  # fmt: skip


def _damage_offset(iterator: ArchiveIterator, last: int) -> int:
    """The offset of the record being read when damage was found."""
    member = getattr(iterator, "member_info", None)
    if member:
        start, length = member
        return int(start) + int(length)
    return int(getattr(iterator, "offset", last) or last)


@dataclass(slots=True)
class VerifyResult:
    """What verifying one file found."""

    path: str
    records: int = 0
    responses: int = 0
    revisits: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when every record was read and every digest matched."""
        return self.error is None


def verify_file(path: str | Path) -> VerifyResult:
    """Read every record of `path` and check block and payload digests (as `warcio check`)."""
    result = VerifyResult(str(path))
    try:
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh, check_digests=True)
            offset = end = 0
            try:
                for record in iterator:
                    _drain(record.content_stream())
                    offset = iterator.get_record_offset()
                    end = offset + iterator.get_record_length()
                    if record.digest_checker.passed is False:
                        problems = "; ".join(str(p) for p in record.digest_checker.problems)
                        raise ArchiveReadError(path, offset, f"digest mismatch ({problems})")
                    result.records += 1
                    result.responses += record.rec_type == "response"
                    result.revisits += record.rec_type == "revisit"
                _check_complete(path, fh, end)
            except _DAMAGE as exc:
                at = _damage_offset(iterator, offset)
                raise ArchiveReadError(path, at, f"unreadable record ({_describe(exc)})") from None
    except ArchiveReadError as exc:
        result.error = str(exc)
    except OSError as exc:
        result.error = f"{path}: cannot open: {exc.strerror or exc}"
    return result


def _drain(stream: Any) -> None:
    """Read a stream to its end (so its digests are computed)."""
    while stream.read(1 << 20):
        pass
