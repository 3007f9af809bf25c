"""The desk code that closes many Indonesian articles: `(mea/mea)`, `[ian]`, `(FHM)`, `(H-4)`."""

from __future__ import annotations

import re

# A short bracketed code with at least one letter, standing alone or after a sentence end
# (why the sentence end: "... Korupsi (KPK)" inside a sentence is prose, not a code).
DESK_CODE = re.compile(
    r"(?:^|(?<=[.!?\"”’)]))\s*[(\[]\s*"
    r"((?=[^)\]]*[A-Za-z])[A-Za-z0-9-]{1,10}(?:\s*/\s*[A-Za-z0-9-]{1,10}){0,3})\s*[)\]]\s*$"
)


def split_desk_code(
    paras: list[str], pattern: re.Pattern[str] = DESK_CODE
) -> tuple[list[str], str | None]:
    """Paragraphs without the trailing desk code, and the code ("mea/mea") if there was one."""
    if not paras:
        return paras, None
    match = pattern.search(paras[-1])
    if match is None:
        return paras, None
    code = re.sub(r"\s*/\s*", "/", match.group(1).strip())
    rest = paras[-1][: match.start()].rstrip()
    return ([*paras[:-1], rest] if rest else paras[:-1]), code
