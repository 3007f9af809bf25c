"""The registry as rows: for `aggregator sites`, its Markdown form and docs/sites.md."""

from __future__ import annotations

from aggregator.sites import all_sites
from aggregator.sites.base import SiteSpec

HEADERS = (
    "site",
    "name",
    "domains",
    "time zone",
    "lang",
    "discovery",
    "verified",
    "parser fields",
    "notes",
)
# Shorter names for the table (date_candidates is the site's date line).
_FIELD_LABELS = {"date_candidates": "date", "credit_codes": "desk code"}


def site_row(spec: SiteSpec) -> tuple[str, ...]:
    """One table row for a spec."""
    domains = ", ".join(spec.domains[:3]) + (
        f" +{len(spec.domains) - 3}" if len(spec.domains) > 3 else ""
    )
    pages = len(spec.fixtures)
    verified = f"yes ({pages} page{'' if pages == 1 else 's'})" if spec.verified else "no"
    fields = ", ".join(_FIELD_LABELS.get(f, f) for f in spec.fields_covered()) or "generic only"
    return (
        spec.name,
        spec.display_name,
        domains,
        spec.timezone,
        spec.language,
        str(spec.discovery_count),
        verified,
        fields,
        spec.notes,
    )


def rows() -> list[tuple[str, ...]]:
    """Every site, sorted by name."""
    return [site_row(spec) for spec in all_sites()]


def markdown_table() -> str:
    """The table of sites in docs/sites.md (generated; a test keeps it in sync)."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows()]
    return "\n".join(lines)
