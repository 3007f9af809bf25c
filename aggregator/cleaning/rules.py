"""Declarative boilerplate rules for Indonesian news portals (global and per site).

Three kinds of rule, each with a stable name that becomes a stats key
(`clean/rule/<name>`), so a rule that suddenly stops or starts matching shows a
layout change:

* `ElementRule` - class tokens, id prefixes, tag names or an XPath; matching elements
  are removed from the HTML tree before body extraction (widgets, ad slots, captions).
* `LabelRule` - a regex on the start of an element's text; the element is removed
  when its text is short or mostly links (a "Baca juga: <a>..</a>" paragraph, a
  "Berita Terkait" box).  `container=True` removes the enclosing block too.
* `TextRule` - a regex on a body paragraph, with an action: `drop` the paragraph,
  `strip` the matched span, or `cut` the paragraph and everything after it.

Rules that also read a value live in their own modules: datelines (`datelines.py`),
credit lines (`credits.py`) and syndication notes (`syndication.py`, hit name
`syndication-note`).

Per-site entries live in `SITE_RULES`, keyed by registry site name; the sites
engineer may add entries here.  Keep this file data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TextAction = Literal["drop", "strip", "cut"]


@dataclass(frozen=True, slots=True)
class ElementRule:
    """Remove elements with one of these class tokens, id prefixes or tags (or an XPath)."""

    name: str
    classes: tuple[str, ...] = ()
    id_prefixes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    xpath: str | None = None  # for what tokens cannot say; slower, use sparingly
    doc: str = ""


@dataclass(frozen=True, slots=True)
class LabelRule:
    """Remove a short or link-heavy element whose text starts with `pattern`."""

    name: str
    pattern: str
    starts: tuple[str, ...]  # the words the label can start with (a fast pre-filter)
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


# "Baca juga", "Simak pula", and the bare "Baca:" Tribun puts before an inline related link.
_BACA = (r"(?:(?:baca|simak)\s+(?:juga|pula|selengkapnya|selanjutnya|lainnya|"
         r"berita\s+lainnya)\b|baca(?=\s*:))")

#: A line made only of social networks' names: a share bar's buttons.
SHARE_NETWORKS = (r"^\W*(?:(?:facebook|twitter|x|whatsapp|telegram|line|linkedin|pinterest|"
                  r"e-?mail|salin\s+(?:link|tautan)|copy\s+link|share|bagikan)\b\W*){1,8}$")

GLOBAL_RULES = RuleSet(
    elements=(
        ElementRule("share-widget", classes=("share", "social-share", "share-box", "sharethis",
                    "addthis", "share-buttons", "social-media-share"), doc="share buttons"),
        ElementRule("comment-widget", classes=("fb-comments", "comment-list", "comments"),
                    id_prefixes=("comments", "disqus_thread"), doc="reader comments"),
        ElementRule("ad-slot", classes=("ads", "advertisement", "adsbygoogle", "parallax",
                    "iklan", "ad-slot"), id_prefixes=("div-gpt-ad", "google_ads"),
                    doc="ad slots and 'ADVERTISEMENT / SCROLL TO CONTINUE' blocks"),
        ElementRule("photo-caption", classes=("caption", "wp-caption-text", "pic_caption",
                    "photo__caption"), tags=("figcaption",), doc="photo captions, credits"),
        ElementRule("tag-widget", classes=("tags", "tag-list", "tag__article", "read__tagging",
                    "nav-tags"), doc="tag lists under the article"),
    ),
    labels=(
        LabelRule("baca-juga", rf"^\W*{_BACA}\s*:?", ("baca", "simak"),
                  doc="'Baca juga:' link boxes"),
        LabelRule("berita-terkait", r"^\W*(?:berita|artikel|topik)\s+(?:terkait|lainnya)\b",
                  ("berita", "artikel", "topik"), True, "related-news boxes"),
        LabelRule("rekomendasi", r"^\W*(?:rekomendasi|pilihan)\s+(?:artikel|berita|redaksi|"
                  r"untukmu|untuk\s+anda)\b", ("rekomendasi", "pilihan"), True,
                  "recommendation boxes"),
        LabelRule("lihat-juga", r"^\W*lihat\s+juga\b", ("lihat",),
                  doc="'Lihat juga' links and videos"),
        LabelRule("terpopuler", r"^\W*(?:berita\s+)?(?:terpopuler|terkini|terbaru|populer)\s*$",
                  ("berita", "terpopuler", "terkini", "terbaru", "populer"), True,
                  "most-read / latest boxes"),
    ),
    texts=(
        TextRule("baca-juga", rf"^\W*{_BACA}\s*[:\-]", "drop", "'Baca juga: <title>' lines"),
        TextRule("baca-juga-bare", rf"^\W*{_BACA}\W*$", "drop", "a bare 'Baca Juga' label"),
        TextRule("google-news", r"^\W*(?:follow|ikuti|simak|baca|dapatkan|cek|pantau)\b"
                 r".{0,80}\bgoogle\s+news\b.{0,40}$", "drop",
                 "'Follow Berita ... di Google News', 'Simak berita ... di Google News'"),
        TextRule("whatsapp-channel", r"^\W*(?:simak|ikuti|follow|gabung|dapatkan|mari|yuk)\b"
                 r".{0,120}\b(?:whats\s*app|telegram)\b", "drop", "'Simak ... WhatsApp Channel'"),
        TextRule("advertisement", r"\b(?:ADVERTISEMENT|SCROLL TO (?:CONTINUE WITH|RESUME) "
                 r"CONTENT)\b", "strip", "ad labels inside the text"),
        TextRule("gambas-video", r"\[\s*Gambas\s*:[^\]]*\]", "strip", "[Gambas:Video 20detik]"),
        TextRule("simak-video", r"^\W*(?:yuk,?\s+)?(?:simak|saksikan|tonton|lihat)\s+"
                 r"(?:juga\s+)?video\b",
                 "drop", "'Simak Video ...' teasers"),
        TextRule("lihat-juga", r"^\W*lihat\s+juga\b", "drop", "'Lihat Juga ...' lines"),
        TextRule("related-heading", r"^\W*(?:berita|artikel|topik)\s+(?:terkait|lainnya)\W*$|"
                 r"^\W*rekomendasi\s+(?:artikel|berita)\W*$|"
                 r"^\W*(?:simak|baca|lihat)\b.{0,40}\blainnya\W*$", "cut",
                 "'Berita Terkait' / 'Berita Lainnya' / 'Rekomendasi Artikel' headings end "
                 "the article"),
        TextRule("comment-disclaimer", r"^\W*disclaimer\s*:\s*komentar\b|"
                 r"^\W*periksa\s+kembali\s+dan\s+lengkapi\s+data\s+dirimu\b", "cut",
                 "comment-form disclaimers and sign-up prompts end the article"),
        TextRule("press-contact", r"^\W*(?:kontak(?:\s+media)?|media\s+contacts?|"
                 r"press\s+contacts?|narahubung)\s*:", "cut",
                 "a press release's contact block ends the story"),
        TextRule("separator", r"^[-–—*•.=~+#]+$", "drop", "lines of dashes, stars or dots"),
        TextRule("dated-headline", r"^\W*(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu),?\s+"
                 r"\d{1,2}[/ .-](?:\d{1,2}|\w+)[/ .-]\d{2,4}\s*[,|-]?\s*\d{1,2}[:.]\d{2}"
                 r"(?::\d{2})?\s*(?:WIB|WITA|WIT)?\b.{0,160}$", "drop",
                 "a date-and-time line, alone or with another story's headline (lists)"),
        TextRule("share-post", r"^\W*you\s+can\s+share\s+this\s+post\W*$", "cut",
                 "'You can share this post!' footer"),
        TextRule("next-page", r"^\W*(?:halaman\s+(?:selanjutnya|berikutnya|sebelumnya)|"
                 r"selanjutnya|berikutnya)\W*$|^\W*halaman\s+\d+(?:\s*(?:dari|/)\s*\d+)?\W*$|"
                 r"^\W*(?:halaman|hal\.?|page)\s*:?(?:\s*(?:\d{1,2}|next|prev|"
                 r"selanjutnya|sebelumnya|berikutnya|[«»‹›<>]+)\b\W*)*$",
                 "cut", "'Halaman selanjutnya' pagination teaser"),
        TextRule("share-networks", SHARE_NETWORKS, "drop",
                 "a share bar's button names alone ('Facebook Twitter WhatsApp Salin Link')"),
        TextRule("share-label", r"^\W*(?:bagikan|share)(?:\s+(?:artikel|berita)(?:\s+ini)?)?"
                 r"\s*:?\s*$", "drop", "a bare share-widget label"),
        TextRule("comment-label", r"^\W*(?:komentar|tulis komentar|kirim komentar)\W*$", "cut",
                 "comment widget heading"),
        TextRule("tag-line", r"^\W*(?:tag|tags|topik)\s*:", "drop", "'Tag: a, b, c' lines"),
        TextRule("copyright", r"^\W*(?:copyright|hak\s+cipta)\b.{0,80}$|^\W*©.{0,80}$", "drop",
                 "copyright footers"),
        TextRule("caption-credit", r"^.{0,300}[.!?]\s*(?:foto|photo)\s*:\s*[^.:]{2,60}\.?$",
                 "drop", "a photo caption ending in its credit ('... Foto: Grammy')"),
        TextRule("load-more", r"^\W*(?:load\s+more|muat\s+(?:lebih\s+banyak|lagi)|"
                 r"tampilkan\s+lebih\s+banyak)\W*$", "drop", "'Load More...' buttons"),
        TextRule("photo-credit", r"^\W*\(?\s*(?:foto|photo|ilustrasi)\s*:\s*[^.]{0,120}\)?\s*$",
                 "drop", "photo caption credits"),
    ),
)

#: Per-site rules, keyed by the registry site name.
SITE_RULES: dict[str, RuleSet] = {
    "republika": RuleSet(
        elements=(ElementRule("republika/exchange-rates", classes=("valas", "table-kurs"),
                              doc="currency exchange-rate box beside the story"),),
    ),
    "viva": RuleSet(
        elements=(ElementRule("viva/embedded-post", classes=("twitter-tweet", "instagram-media"),
                              doc="embedded tweets and Instagram posts"),),
    ),
    "mediaindonesia": RuleSet(
        elements=(ElementRule("mediaindonesia/epaper-card", classes=("card-1",),
                              doc="e-paper 'Headline' cards above the story"),),
        texts=(TextRule("mediaindonesia/headline-label", r"^Headline\s", "drop",
                        "'Headline' label with the standfirst above the story"),),
    ),
    "detik": RuleSet(
        elements=(
            ElementRule("detik/linksisip", classes=("linksisip",), doc="'Baca juga' tables"),
            ElementRule("detik/paradetail", classes=("paradetail",), doc="mid-body ad block"),
            ElementRule("detik/video-box", classes=("sisip_embed_sosmed", "embed_video"),
                        doc="embedded video boxes"),
        ),
    ),
    "kompas": RuleSet(
        elements=(
            ElementRule("kompas/inner-link", classes=("inner-link-baca-juga",),
                        doc="'Baca juga' inline boxes"),
            ElementRule("kompas/next-page", classes=("read__paging", "paging__teaser"),
                        doc="pagination teaser"),
        ),
    ),
    "liputan6": RuleSet(
        elements=(
            ElementRule("liputan6/baca-juga", classes=("baca-juga-collections", "baca-juga"),
                        doc="'Baca Juga' collections"),
        ),
    ),
}


def rules_for(site: str | None) -> tuple[RuleSet, ...]:
    """The rule sets that apply to `site`: the global set, then the site's own."""
    extra = SITE_RULES.get(site) if site else None
    return (GLOBAL_RULES, extra) if extra else (GLOBAL_RULES,)
