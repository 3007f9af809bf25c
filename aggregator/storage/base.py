"""The declarative base shared by every table (ours and the dedup engineer's)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, MetaData
from sqlalchemy.orm import DeclarativeBase

from aggregator.storage.db import TZDateTime

#: Named constraints, so that batch migrations on SQLite can drop and rebuild them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base: every datetime column is a `TZDateTime`, lists and dicts are JSON."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: TZDateTime(),
        list[str]: JSON(),
        dict[str, Any]: JSON(),
        dict[str, int]: JSON(),
    }
