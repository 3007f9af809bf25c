"""Parquet writing for the export (pyarrow is an optional dependency: extra `parquet`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aggregator.exceptions import InputError

ROW_GROUP = 5000


def _schema(fields: tuple[str, ...]) -> Any:
    """The Arrow schema of an article row."""
    import pyarrow as pa

    kinds = {
        "id": pa.int64(), "cluster_id": pa.int64(), "page_count": pa.int32(),
        "revision_count": pa.int32(), "is_cluster_origin": pa.bool_(),
    }  # fmt: skip
    for name in ("authors", "editors", "credit_codes", "tags"):
        kinds[name] = pa.list_(pa.string())
    for name in ("published_at", "modified_at", "first_seen_at", "last_seen_at"):
        kinds[name] = pa.timestamp("us", tz="UTC")
    return pa.schema([(f, kinds.get(f, pa.string())) for f in fields])


def write_parquet(rows: Iterator[dict[str, Any]], path: Path, fields: tuple[str, ...]) -> int:
    """Write rows in row groups of `ROW_GROUP`; memory stays bounded by one group."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "parquet export needs pyarrow: pip install 'aggregator[parquet]'"
        ) from None
    schema = _schema(fields)
    count = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
