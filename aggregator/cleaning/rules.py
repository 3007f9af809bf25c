"""Declarative boilerplate rules for Indonesian news portals (global and per site).

Three kinds of rule, each with a stable name that becomes a stats key
(`clean/rule/<name>`), so a rule that suddenly stops or starts matching shows a
layout change:

* `ElementRule` - an XPath; matching elements are removed from the HTML tree before
  body extraction (widgets, ad slots, "Baca juga" boxes).
* `LabelRule` - a regex on the start of an element's text; the element is removed
  when its text is short or mostly links (a "Baca juga: <a>..</a>" paragraph, a
  "Berita Terkait" box).  `container=True` removes the enclosing block too.
* `TextRule` - a regex on a body paragraph, with an action: `drop` the paragraph,
  `strip` the matched span, or `cut` the paragraph and everything after it.

Per-site entries live in `SITE_RULES`, keyed by registry site name; the sites
engineer may add entries here.  Keep this file data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TextAction = Literal["drop", "strip", "cut"]


@dataclass(frozen=True, slots=True)
class ElementRule:
    """Remove every element matching `xpath` before extraction."""

    name: str
    xpath: str
    doc: str = ""


@dataclass(frozen=True, slots=True)
class LabelRule:
    """Remove a short or link-heavy element whose text starts with `pattern`."""

    name: str
    pattern: str
    container: bool = False  # also remove the enclosing box (a related-links widget)
    doc: str = ""


@dataclass(frozen=True, slots=True)
class TextRule:
    """Act on a body paragraph that matches `pattern` (regex, case-insensitive)."""

    name: str
    pattern: str
    action: TextAction = "drop"
    doc: str = ""


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules of one scope (global or a site)."""

    elements: tuple[ElementRule, ...] = ()
    labels: tuple[LabelRule, ...] = ()
    texts: tuple[TextRule, ...] = field(default_factory=tuple)


def _cls(token: str) -> str:
    """XPath predicate: the class attribute holds `token` as a whole word."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {token} ')"


_BACA = r"(?:baca|simak)\s+(?:juga|pula|selengkapnya|lainnya|berita\s+lainnya)\b"

GLOBAL_RULES = RuleSet(
    elements=(
        ElementRule("share-widget", f"//*[{_cls('share')} or {_cls('social-share')} or "
                    f"{_cls('share-box')} or {_cls('sharethis')} or {_cls('addthis')}]",
                    "social share buttons"),
        ElementRule("comment-widget", "//*[@id='comments' or @id='disqus_thread' or "
                    f"{_cls('fb-comments')} or {_cls('comment-list')} or {_cls('comments')}]",
                    "reader comments"),
        ElementRule("ad-slot", f"//*[{_cls('ads')} or {_cls('advertisement')} or "
                    f"{_cls('adsbygoogle')} or {_cls('parallax')} or {_cls('iklan')} or "
                    "starts-with(@id, 'div-gpt-ad') or starts-with(@id, 'google_ads')]",
                    "ad slots and 'ADVERTISEMENT / SCROLL TO CONTINUE' blocks"),
        ElementRule("photo-caption", "//figcaption | //*[" + _cls("caption") + " or "
                    + _cls("wp-caption-text") + " or " + _cls("pic_caption") + " or "
                    + _cls("photo__caption") + "]", "photo captions and credits"),
        ElementRule("tag-widget", f"//*[{_cls('tags')} or {_cls('tag-list')} or "
                    f"{_cls('tag__article')} or {_cls('read__tagging')} or {_cls('nav-tags')}]",
                    "tag lists under the article"),
    ),
    labels=(
        LabelRule("baca-juga", rf"^\W*{_BACA}\s*:?", doc="'Baca juga:' link boxes"),
        LabelRule("berita-terkait", r"^\W*(?:berita|artikel|topik)\s+terkait\b", True,
                  "related-news boxes"),
        LabelRule("rekomendasi", r"^\W*(?:rekomendasi|pilihan)\s+(?:artikel|berita|redaksi|"
                  r"untukmu|untuk\s+anda)\b", True, "recommendation boxes"),
        LabelRule("lihat-juga", r"^\W*lihat\s+juga\b", doc="'Lihat juga' links and videos"),
        LabelRule("terpopuler", r"^\W*(?:berita\s+)?(?:terpopuler|terkini|terbaru|populer)\s*$",
                  True, "most-read / latest boxes"),
    ),
    texts=(
        TextRule("baca-juga", rf"^\W*{_BACA}\s*[:\-]", "drop", "'Baca juga: <title>' lines"),
        TextRule("baca-juga-bare", rf"^\W*{_BACA}\W*$", "drop", "a bare 'Baca Juga' label"),
        TextRule("google-news", r"^\W*(?:follow|ikuti)\b.{0,80}\bgoogle\s+news\b", "drop",
                 "'Follow Berita ... di Google News'"),
        TextRule("whatsapp-channel", r"^\W*(?:simak|ikuti|follow|gabung)\b.{0,120}"
                 r"\b(?:whats\s*app|telegram)\b", "drop", "'Simak ... WhatsApp Channel'"),
        TextRule("advertisement", r"\b(?:ADVERTISEMENT|SCROLL TO (?:CONTINUE WITH|RESUME) "
                 r"CONTENT)\b", "strip", "ad labels inside the text"),
        TextRule("gambas-video", r"\[\s*Gambas\s*:[^\]]*\]", "strip", "[Gambas:Video 20detik]"),
        TextRule("simak-video", r"^\W*(?:simak|saksikan|tonton|lihat)\s+(?:juga\s+)?video\b",
                 "drop", "'Simak Video ...' teasers"),
        TextRule("lihat-juga", r"^\W*lihat\s+juga\b", "drop", "'Lihat Juga ...' lines"),
        TextRule("related-heading", r"^\W*(?:berita|artikel|topik)\s+terkait\W*$|"
                 r"^\W*rekomendasi\s+(?:artikel|berita)\W*$", "cut",
                 "'Berita Terkait' / 'Rekomendasi Artikel' headings end the article"),
        TextRule("share-post", r"^\W*you\s+can\s+share\s+this\s+post\W*$", "cut",
                 "'You can share this post!' footer"),
        TextRule("next-page", r"^\W*(?:halaman\s+(?:selanjutnya|berikutnya|sebelumnya)|"
                 r"selanjutnya|berikutnya)\W*$|^\W*halaman\s+\d+(?:\s*(?:dari|/)\s*\d+)?\W*$",
                 "cut", "'Halaman selanjutnya' pagination teaser"),
        TextRule("share-label", r"^\W*(?:bagikan|share)(?:\s+(?:artikel|berita)(?:\s+ini)?)?"
                 r"\s*:?\s*$", "drop", "a bare share-widget label"),
        TextRule("comment-label", r"^\W*(?:komentar|tulis komentar|kirim komentar)\W*$", "cut",
                 "comment widget heading"),
        TextRule("tag-line", r"^\W*(?:tag|tags|topik)\s*:", "drop", "'Tag: a, b, c' lines"),
        TextRule("copyright", r"^\W*(?:copyright|hak\s+cipta)\b.{0,80}$|^\W*©.{0,80}$", "drop",
                 "copyright footers"),
        TextRule("photo-credit", r"^\W*\(?\s*(?:foto|photo|ilustrasi)\s*:\s*[^.]{0,120}\)?\s*$",
                 "drop", "photo caption credits"),
    ),
)

#: Per-site rules, keyed by the registry site name.
SITE_RULES: dict[str, RuleSet] = {
    "detik": RuleSet(
        elements=(
            ElementRule("detik/linksisip", f"//table[{_cls('linksisip')}]", "'Baca juga' tables"),
            ElementRule("detik/paradetail", f"//*[{_cls('paradetail')}]", "mid-body ad block"),
            ElementRule("detik/video-box", f"//*[{_cls('sisip_embed_sosmed')} or "
                        f"{_cls('embed_video')}]", "embedded video boxes"),
        ),
    ),
    "kompas": RuleSet(
        elements=(
            ElementRule("kompas/inner-link", f"//*[{_cls('inner-link-baca-juga')}]",
                        "'Baca juga' inline boxes"),
            ElementRule("kompas/next-page", f"//*[{_cls('read__paging')} or "
                        f"{_cls('paging__teaser')}]", "pagination teaser"),
        ),
    ),
    "liputan6": RuleSet(
        elements=(
            ElementRule("liputan6/baca-juga", f"//*[{_cls('baca-juga-collections')} or "
                        f"{_cls('baca-juga')}]", "'Baca Juga' collections"),
        ),
    ),
}


def rules_for(site: str | None) -> tuple[RuleSet, ...]:
    """The rule sets that apply to `site`: the global set, then the site's own."""
    extra = SITE_RULES.get(site) if site else None
    return (GLOBAL_RULES, extra) if extra else (GLOBAL_RULES,)
