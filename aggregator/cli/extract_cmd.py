"""`aggregator extract FILE...`: the crawl's extraction, cleaning and date stages on saved pages.

Offline: each file is read as bytes and goes through `extract_page`, `build_article`,
`apply_clean` and `resolve_article_dates`, as a fetched page would; one JSON object per
file is printed per line (JSONL).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from pathlib import Path
from typing import Annotated, Any, Final

import typer

from aggregator.article import build_article, source_for
from aggregator.cleaning.item import apply_clean
from aggregator.cli.app import app
from aggregator.dates import resolve_article_dates
from aggregator.exceptions import AggregatorError, InputError
from aggregator.extraction import extract_page
from aggregator.items import ArticleItem
from aggregator.sites import get_site, site_for_url
from aggregator.sites.base import SiteSpec
from aggregator.types import PageFields

#: Largest file read; bigger files are refused rather than parsed slowly.
MAX_FILE_BYTES: Final = 32 * 1024 * 1024
#: Leading bytes of common binary formats that are sometimes saved with an .html name.
_BINARY_MAGIC: Final = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
#: Some tag an HTML document has near its start (a page without any is not HTML).
_HTML_HINT: Final = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|meta|title|div|p|article|main)\b", re.IGNORECASE
)
_SNIFF_BYTES: Final = 64 * 1024
#: Byte-order marks of the wide Unicode encodings, whose text is full of NUL bytes; UTF-32
#: first, since the UTF-32-LE mark starts with the UTF-16-LE one.
_WIDE_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
#: A feed or sitemap: an XML declaration, then (past processing instructions, comments and
#: a non-HTML doctype) a root element other than <html>.
_XML_DOC: Final = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*>"
    rb"(?:\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype\s+(?!html\b)[^>]*>))*"
    rb"\s*<(?!html\b)[\w:]+",
    re.IGNORECASE | re.DOTALL,
)
#: Output keys, in order.
FIELDS: Final = (
    "file", "url", "source", "title", "body", "published_at", "modified_at", "authors",
    "editors", "credit_codes", "wire_source", "section", "tags", "language", "image_url",
    "description", "published_raw", "published_source", "modified_raw", "modified_source",
    "page_count", "extractor", "timezone",
)


def read_html_file(path: Path) -> bytes:
    """The file's bytes, or `InputError` when it is missing, a directory, empty or binary."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not an HTML file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{path}: {size} bytes is larger than the {MAX_FILE_BYTES} limit")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    check_html(path, data)
    if wide_codec(data) == "utf-32":
        # `decode_html` knows the UTF-8 and UTF-16 marks only; hand it UTF-8 instead.
        return data.decode("utf-32", errors="replace").encode("utf-8")
    return data


def wide_codec(data: bytes) -> str | None:
    """"utf-16" or "utf-32" when `data` starts with that encoding's byte-order mark."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    return None


def as_utf8(data: bytes) -> bytes:
    """UTF-8 bytes of BOM-marked UTF-16/32 data (a cut-off last character is dropped)."""
    codec = wide_codec(data)
    return data.decode(codec, errors="ignore").encode("utf-8") if codec else data


def check_html(path: Path, data: bytes) -> None:
    """Refuse empty, binary and tag-less content with a one-line reason.

    A page in UTF-16 or UTF-32 with its byte-order mark is sniffed as the text it
    encodes: its NUL bytes are not a sign of a binary file.
    """
    head = as_utf8(data[:_SNIFF_BYTES])
    if not head.strip() and not as_utf8(data).strip():
        raise InputError(f"{path}: file is empty")
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        raise InputError(f"{path}: not an HTML file (binary content)")
    if _XML_DOC.match(head):
        raise InputError(f"{path}: not an HTML file (an XML document: a feed or sitemap?)")
    if not _HTML_HINT.search(head):
        raise InputError(f"{path}: not an HTML file (no HTML tags found)")


def parse_now(value: str | None) -> dt.datetime | None:
    """`--now` as an aware UTC datetime (a naive value is read as UTC)."""
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"--now: {value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def file_mtime(path: Path) -> dt.datetime:
    """The file's modification time, aware UTC (stands in for the fetch time)."""
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)


def resolve_site(name: str | None, url: str) -> SiteSpec | None:
    """The site spec named by `--site`, else the registry's match for the URL."""
    if name is not None:
        return get_site(name)  # an unknown name raises ConfigError
    return site_for_url(url)


def extract_fields(
    data: bytes, path: Path, url: str | None, site_name: str | None
) -> tuple[str, SiteSpec | None, PageFields]:
    """Extract once, and again when the page's canonical URL selects a different site."""
    page_url = url or path.resolve().as_uri()
    site = resolve_site(site_name, page_url)
    fields = extract_page(data, page_url, site=site)
    if url is None and fields.canonical_url:
        page_url = fields.canonical_url
        better = resolve_site(site_name, page_url)
        if better is not site:  # site parsers key on the real URL: re-run with it
            site = better
            fields = extract_page(data, page_url, site=site)
    return page_url, site, fields


def date_item(item: ArticleItem, now: dt.datetime) -> None:
    """The date stage: pick published and modified instants from the candidates."""
    published, modified = resolve_article_dates(item.date_candidates, now=now, tz=item.timezone)
    item.published_at, item.published_raw, item.published_source = (
        published.value, published.raw, published.source
    )
    item.modified_at, item.modified_raw, item.modified_source = (
        modified.value, modified.raw, modified.source
    )


def extract_file(
    path: Path, *, url: str | None, site_name: str | None, now: dt.datetime | None
) -> dict[str, Any]:
    """One saved page through every offline stage, as a JSON-ready dict."""
    data = read_html_file(path)
    page_url, site, fields = extract_fields(data, path, url, site_name)
    fetched_at = now or file_mtime(path)
    item = build_article(
        [fields], url=page_url, source=source_for(page_url, site), fetched_at=fetched_at, site=site
    )
    apply_clean(item)  # the same merge rules as CleanPipeline
    date_item(item, fetched_at)
    record = to_record(path, item)
    # The crawl skips pages extraction does not take for articles; say so here instead.
    record["is_article"], record["reject_reason"] = fields.is_article, fields.reject_reason
    return record


def to_record(path: Path, item: ArticleItem) -> dict[str, Any]:
    """The output object: FIELDS in order, datetimes as ISO 8601 UTC."""
    values: dict[str, Any] = {"file": str(path)}
    for key in FIELDS[1:]:
        value = getattr(item, key)
        values[key] = _iso(value) if isinstance(value, dt.datetime) else value
    return values


def _iso(value: dt.datetime) -> str:
    """ISO 8601 in UTC with a `Z`."""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@app.command("extract")
def extract(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Saved HTML pages.", show_default=False, metavar="FILE")] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="The page's URL (default: its canonical URL).")
    ] = None,
    site: Annotated[
        str | None, typer.Option("--site", help="Site parser to use (default: by URL).")
    ] = None,
    now: Annotated[
        str | None,
        typer.Option("--now", help="Reference time for relative dates, ISO 8601 "
                     "(default: the file's modification time)."),
    ] = None,
    warc: Annotated[list[Path] | None, typer.Option(
        "--warc", metavar="FILE", help="A WARC file (.warc or .warc.gz, ours or e.g. "
        "CC-NEWS): extract every article page in it, streaming (repeatable).")] = None,
) -> None:
    """Extract article fields from saved HTML files and print one JSON object per line."""
    if warc:
        from aggregator.cli.extract_warc import extract_warcs

        if files or url is not None or now is not None:
            raise InputError("--warc takes no FILE, --url or --now: each WARC record names "
                             "its URL and fetch time")
        if site is not None:
            get_site(site)  # fail once, before any record, on an unknown name
        extract_warcs(warc, site_name=site)
        return
    files = files or []
    if not files:
        raise InputError("give saved HTML FILEs, or --warc FILE")
    if url is not None and len(files) > 1:
        raise InputError("--url names one page: give it with a single FILE")
    if site is not None:
        get_site(site)  # fail once, before any file, on an unknown name
    reference = parse_now(now)
    failures = 0
    for path in files:
        try:
            record = extract_file(path, url=url, site_name=site, now=reference)
        except AggregatorError as exc:
            if len(files) == 1:
                raise
            failures += 1
            typer.echo(f"error: {exc}", err=True)
            continue
        typer.echo(json.dumps(record, ensure_ascii=False))
    if failures:
        raise InputError(f"{failures} of {len(files)} files could not be extracted")
