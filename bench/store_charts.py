"""Charts of docs/store-performance.md, from bench/results/store_*.json.

    python bench/store_charts.py

- docs/img/store-stages.svg: CPU ms per article of each store stage at 10,000 and at
  1,000,000 stored articles (bench/results/store_stages.json, `quiet_*`);
- docs/img/store-crawl-rates.svg: the crawl rate with every pipeline on as a share of
  the store-off (or empty-database) rate measured in the same run, per page count and
  writer mode (bench/results/store_crawl_rates.json, assembled from the store_*.json
  runs it names).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))

from bench.charts import OUT, RESULTS, grouped_bars  # noqa: E402

#: Stages shown (the rest are under 0.05 ms per article).
STAGES = ("write_batch (whole transaction)", "cluster: LSH lookups + verify",
          "cluster: MinHash signatures", "cluster: signature + LSH inserts",
          "upsert: total")  # fmt: skip


def stages_chart(data: dict) -> str:
    """Per stage: CPU ms per article at 10,000 and at 1,000,000 stored (SQLite, quiet)."""
    small = data["quiet_sqlite"]["cpu_ms_per_article"]
    large = data["quiet_sqlite_1m"]["cpu_ms_per_article"]
    groups = [(label.replace("cluster: ", "").replace(" (whole transaction)", ""),
               [round(small.get(label, 0.0), 2), round(large.get(label, 0.0), 2)])
              for label in STAGES]  # fmt: skip
    return grouped_bars("Store CPU per article (SQLite, writer process)", groups,
                        ("10,000 stored", "1,000,000 stored"), " ms")  # fmt: skip


def scaling_chart(data: dict) -> str:
    """Rate with every pipeline on as a share of the store-off rate of the same run.

    Ratios, not rates: the runs saw different machine load, so only the pair measured
    together compares."""
    groups = [(row["label"], [round(100 * row["ratio"], 1), 80.0]) for row in data["rows"]]
    return grouped_bars("Crawl rate, store on / store off (same run)", groups,
                        ("measured", "target"), " %")  # fmt: skip


def main() -> int:
    """Write the SVGs whose results exist."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in (("store_stages", stages_chart), ("store_crawl_rates", scaling_chart)):
        path = RESULTS / f"{name}.json"
        if not path.exists():
            print(f"skip {name}: {path} not found")
            continue
        out = OUT / f"{name.replace('_', '-')}.svg"
        out.write_text(draw(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
