"""Indonesian-language portals, one module per site (spec plus its parser)."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.id import (
    antaranews,
    cnbcindonesia,
    cnnindonesia,
    detik,
    idntimes,
    jpnn,
    kapanlagi,
    kompas,
    kumparan,
    liputan6,
    mediaindonesia,
    merdeka,
    okezone,
    republika,
    sindonews,
    suara,
    tempo,
    tribunnews,
    viva,
    wowkeren,
)

ID_SITES: tuple[SiteSpec, ...] = (
    detik.SPEC,
    kompas.SPEC,
    tribunnews.SPEC,
    *tribunnews.REGIONAL_SPECS,
    cnnindonesia.SPEC,
    cnbcindonesia.SPEC,
    liputan6.SPEC,
    antaranews.SPEC,
    tempo.SPEC,
    okezone.SPEC,
    suara.SPEC,
    republika.SPEC,
    merdeka.SPEC,
    viva.SPEC,
    sindonews.SPEC,
    kumparan.SPEC,
    idntimes.SPEC,
    jpnn.SPEC,
    kapanlagi.SPEC,
    wowkeren.SPEC,
    mediaindonesia.SPEC,
)
