"""English-language Indonesian publishers."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.en import jakartaglobe, jakartapost, tempoen

EN_SITES: tuple[SiteSpec, ...] = (jakartapost.SPEC, jakartaglobe.SPEC, tempoen.SPEC)
