"""The capitalised name line that closes a Tempo-style article: the reporter or the wire."""

from __future__ import annotations

import lxml.html

from aggregator.sites.text import norm

#: Wire agencies credited by name at the end of an article.
WIRES = {"ANTARA": "Antara", "REUTERS": "Reuters", "AFP": "AFP", "AP": "AP", "XINHUA": "Xinhua"}

# The last <strong> of the last paragraph when it has no lower-case letter (why: Tempo prints
# the reporter, or the wire, in capitals on its own line after the text).
TAIL_CREDIT = (
    "(.//p[normalize-space(.)][last()]/strong[last()][not(following-sibling::node()"
    "[normalize-space(.)])][translate(normalize-space(.), 'abcdefghijklmnopqrstuvwxyz', '')"
    " = normalize-space(.)])"
)


def tail_credit(container: lxml.html.HtmlElement | None) -> str | None:
    """The capitalised credit line at the end of the container, or None."""
    if container is None:
        return None
    found = container.xpath(TAIL_CREDIT)
    return norm(found[0].text_content()) or None if found else None
