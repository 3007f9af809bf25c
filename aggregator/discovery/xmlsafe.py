"""Bounded gunzip and safe XML parsing for untrusted feeds and sitemaps."""

from __future__ import annotations

import zlib
from typing import Final

from lxml import etree

from aggregator.discovery.model import NotXMLError, TooLargeError, UnsafeXMLError

#: Largest document accepted after decompression (the sitemap protocol allows 50 MB).
MAX_DOCUMENT_BYTES: Final = 50 * 1024 * 1024
_GZIP_MAGIC: Final = b"\x1f\x8b"
_CHUNK: Final = 64 * 1024
_HTML_STARTS: Final = (b"<!doctype html", b"<html", b"<head", b"<body")


def maybe_gunzip(body: bytes, *, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """Return `body` decompressed if it is gzip, never producing more than `limit` bytes."""
    if not body.startswith(_GZIP_MAGIC):
        if len(body) > limit:
            raise TooLargeError(f"document is {len(body)} bytes, limit {limit}")
        return body
    decomp = zlib.decompressobj(wbits=31)
    out = bytearray()
    data = body
    try:
        while data and not decomp.eof:
            # max_length bounds the output of each step, so a bomb cannot expand unchecked.
            out += decomp.decompress(data, _CHUNK)
            data = decomp.unconsumed_tail
            if len(out) > limit:
                raise TooLargeError(f"gzip expands beyond {limit} bytes")
    except zlib.error as exc:
        raise NotXMLError(f"broken gzip data: {exc}") from exc
    return bytes(out)


def _parser(*, recover: bool) -> etree.XMLParser:
    """An lxml parser that never resolves entities, loads DTDs or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        recover=recover,
    )


def looks_like_html(body: bytes) -> bool:
    """True when the document starts like an HTML page (after BOM and whitespace)."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_HTML_STARTS)


def parse_xml(body: bytes) -> etree._Element:
    """Parse untrusted XML; HTML, empty or garbage input raises `NotXMLError`."""
    if not body.strip():
        raise NotXMLError("empty document")
    if looks_like_html(body):
        raise NotXMLError("document is HTML, not XML")
    try:
        root = etree.fromstring(body, parser=_parser(recover=False))
    except etree.XMLSyntaxError as exc:
        if "amplification" in str(exc):  # libxml2's guard against entity bombs fired
            raise UnsafeXMLError(f"entity expansion bomb refused: {exc}") from exc
        # Real feeds carry stray `&nbsp;` or bad bytes: salvage what libxml2 can.
        try:
            root = etree.fromstring(body, parser=_parser(recover=True))
        except etree.XMLSyntaxError as exc:
            raise NotXMLError(f"not well-formed XML: {exc}") from exc
    if root is None or not isinstance(root.tag, str):
        raise NotXMLError("no XML root element")
    if etree.QName(root).localname.lower() == "html":
        raise NotXMLError("document is (X)HTML, not a feed or sitemap")
    return root


def split_tag(element: etree._Element) -> tuple[str, str]:
    """(namespace URI, local name) of an element; ('', '') for comments and PIs."""
    tag = element.tag
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def localname(element: etree._Element) -> str:
    """The element's tag without namespace ('' for comments and PIs)."""
    return split_tag(element)[1]


def namespace(element: etree._Element) -> str:
    """The element's namespace URI, '' when none."""
    return split_tag(element)[0]


def text_of(element: etree._Element | None) -> str | None:
    """Stripped text content of `element` (including children), None when blank."""
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None
