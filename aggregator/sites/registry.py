"""Building and querying the site registry (duplicate names or domains fail at import)."""

from __future__ import annotations

from collections.abc import Iterable

from aggregator.exceptions import ConfigError
from aggregator.sites.base import SiteSpec, host_of


def build_registry(specs: Iterable[SiteSpec]) -> dict[str, SiteSpec]:
    """Map name -> spec in the given order; raise ConfigError on a repeated name or domain."""
    sites: dict[str, SiteSpec] = {}
    owners: dict[str, str] = {}
    for spec in specs:
        if spec.name in sites:
            raise ConfigError(f"duplicate site name {spec.name!r}")
        for domain in spec.domains:
            if domain in owners:
                raise ConfigError(
                    f"domain {domain!r} claimed by both {owners[domain]!r} and {spec.name!r}"
                )
            owners[domain] = spec.name
        sites[spec.name] = spec
    return sites


def domain_index(sites: dict[str, SiteSpec]) -> dict[str, SiteSpec]:
    """Map each domain to its site, for suffix look-ups."""
    return {domain: spec for spec in sites.values() for domain in spec.domains}


def lookup_host(index: dict[str, SiteSpec], url: str) -> SiteSpec | None:
    """The site owning the URL's host: the longest matching domain suffix wins.

    `en.tempo.co` goes to the site that lists `en.tempo.co`, not the one with `tempo.co`.
    """
    host = host_of(url)
    labels = host.split(".") if host else []
    for start in range(len(labels) - 1):
        spec = index.get(".".join(labels[start:]))
        if spec is not None:
            return spec
    return None
