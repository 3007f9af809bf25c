"""Recover article paragraphs the extractor left behind in sibling containers.

Pages often split one article over several containers (ad slots between them) or put
the lead in its own box; trafilatura keeps the best container only.  Paragraphs whose
parent looks like the parent of the extracted ones (same tag and class) are put back,
in document order.
"""

from __future__ import annotations

from collections import Counter

from lxml.html import HtmlElement

from aggregator.cleaning.text import normalize_line

_MIN_CHARS = 30  # shorter blocks in a sibling container are captions and labels
_MAX_LINK_SHARE = 0.3
_PROBE = 40  # a block whose start or end is already in the body was split, not missed
Signature = tuple[str, str, str, str]


def expand_paragraphs(tree: HtmlElement, paragraphs: list[str]) -> tuple[list[str], int]:
    """Paragraphs plus those from containers like the main one; returns (list, added)."""
    blocks = _blocks(tree)
    known = set(paragraphs)
    mapped = [(i, blocks[p]) for i, p in enumerate(paragraphs) if p in blocks]
    if len(mapped) < 2:
        return paragraphs, 0
    signatures = Counter(sig for _, (_, sig, _) in mapped)
    main, count = signatures.most_common(1)[0]
    if count < len(mapped) / 2:
        return paragraphs, 0
    first_pos = min(pos for _, (pos, _, _) in mapped)
    joined = "\n".join(paragraphs)
    extra = [(pos, text) for text, (pos, sig, linky) in blocks.items()
             if sig == main and pos > first_pos and not linky and text not in known
             and text[:_PROBE] not in joined and text[-_PROBE:] not in joined]
    if not extra:
        return paragraphs, 0
    return _merge(paragraphs, blocks, extra), len(extra)


def _blocks(tree: HtmlElement) -> dict[str, tuple[int, Signature, bool]]:
    """Every paragraph element: text -> (document position, parent signature, link-heavy)."""
    out: dict[str, tuple[int, Signature, bool]] = {}
    for pos, node in enumerate(tree.iter("p")):
        text = normalize_line(node.text_content())
        if len(text) < _MIN_CHARS or text in out:
            continue
        parent = node.getparent()
        grand = parent.getparent() if parent is not None else None
        if parent is None or grand is None:
            continue
        linked = sum(len(a.text_content()) for a in node.iter("a"))
        signature = (str(parent.tag), parent.get("class") or "", str(grand.tag),
                     grand.get("class") or "")
        out[text] = (pos, signature, linked > _MAX_LINK_SHARE * len(text))
    return out


def _merge(paragraphs: list[str], blocks: dict[str, tuple[int, Signature, bool]],
           extra: list[tuple[int, str]]) -> list[str]:
    """Insert the extra paragraphs by document position among the extracted ones."""
    keyed: list[tuple[float, int, str]] = []
    last = -1.0
    for i, text in enumerate(paragraphs):
        # unmapped paragraphs (headings, list items) stay right after their predecessor
        last = float(blocks[text][0]) if text in blocks else last + 1e-3
        keyed.append((last, i, text))
    keyed += [(float(pos), -1, text) for pos, text in extra]
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [text for _, _, text in keyed]
