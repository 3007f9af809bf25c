"""The registry of Indonesian news portals: `SITES`, `get_site`, `site_for_url`, `all_sites`.

Specs live in `aggregator.sites.id` (Indonesian-language portals) and `aggregator.sites.en`
(English-language Indonesian publishers).  Importing this package validates them: a
duplicate name or domain raises `ConfigError` at import (Fundus `PublisherCollection`).
"""

from __future__ import annotations

from collections.abc import Iterable

from aggregator.exceptions import ConfigError
from aggregator.sites.base import IndexPage, SiteSpec
from aggregator.sites.en import EN_SITES
from aggregator.sites.id import ID_SITES
from aggregator.sites.registry import build_registry, domain_index, lookup_host

__all__ = [
    "SITES",
    "IndexPage",
    "SiteSpec",
    "all_sites",
    "get_site",
    "select_sites",
    "site_for_url",
]

SITES: dict[str, SiteSpec] = build_registry([*ID_SITES, *EN_SITES])
_BY_DOMAIN = domain_index(SITES)


def get_site(name: str) -> SiteSpec:
    """The spec called `name` (case-insensitive); ConfigError listing the names otherwise."""
    spec = SITES.get(name.strip().lower())
    if spec is None:
        raise ConfigError(f"unknown site {name!r}; known sites: {', '.join(sorted(SITES))}")
    return spec


def site_for_url(url: str) -> SiteSpec | None:
    """The registered site whose domains cover the URL's host, or None."""
    return lookup_host(_BY_DOMAIN, url)


def all_sites() -> list[SiteSpec]:
    """Every spec, sorted by name."""
    return [SITES[name] for name in sorted(SITES)]


def select_sites(names: Iterable[str]) -> list[SiteSpec]:
    """Specs for `--site` values: names (comma lists allowed) or `all`; order kept, no repeats."""
    chosen: dict[str, SiteSpec] = {}
    for value in names:
        for name in (part.strip() for part in value.split(",")):
            if not name:
                continue
            specs = all_sites() if name.lower() == "all" else [get_site(name)]
            chosen.update((spec.name, spec) for spec in specs)
    return list(chosen.values())
