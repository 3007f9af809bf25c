"""Draw the benchmark figures in bench/results/*.json as SVG bar charts in docs/img/.

    python bench/charts.py

Plain SVG written by hand, so no plotting library is needed; docs/benchmarks.md embeds the files.
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
OUT = ROOT / "docs" / "img"
COLOURS = ("#1f6feb", "#b0b7c3")  # ours, baseline
BAR, GAP, LABEL_W, CHART_W = 14, 10, 190, 360


def grouped_bars(
    title: str, groups: list[tuple[str, list[float]]], series: tuple[str, str], unit: str
) -> str:
    """An SVG of horizontal bars: one group per label, one bar per series."""
    top = max((v for _, values in groups for v in values), default=1.0) or 1.0
    height = 50 + len(groups) * (2 * BAR + GAP) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{LABEL_W + CHART_W + 90}" '
        f'height="{height}" font-family="sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    y = 40
    for label, values in groups:
        parts.append(f'<text x="10" y="{y + BAR + 4}">{escape(label)}</text>')
        for i, value in enumerate(values):
            width = max(1.0, CHART_W * value / top)
            parts.append(
                f'<rect x="{LABEL_W}" y="{y + i * BAR}" width="{width:.1f}" '
                f'height="{BAR - 2}" fill="{COLOURS[i]}"/>'
            )
            parts.append(
                f'<text x="{LABEL_W + width + 4:.1f}" y="{y + i * BAR + BAR - 4}">'
                f"{value:g}{escape(unit)}</text>"
            )
        y += 2 * BAR + GAP
    for i, name in enumerate(series):
        x = 10 + i * 170
        parts.append(f'<rect x="{x}" y="{y + 4}" width="12" height="12" fill="{COLOURS[i]}"/>')
        parts.append(f'<text x="{x + 16}" y="{y + 14}">{escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def share(fraction: str) -> float:
    """'111/111' -> 100.0 (percent)."""
    right, total = (int(x) for x in fraction.split("/"))
    return round(100 * right / total, 1)


def dates_chart(data: dict) -> str:
    """Accuracy per group of the date table: parse_date vs dateparser."""
    ours, theirs = data["parse_date"]["groups"], data["dateparser"]["groups"]
    groups = [(name, [share(ours[name]), share(theirs[name])]) for name in sorted(ours)]
    return grouped_bars(
        f"Date accuracy by form ({data['cases']} cases)", groups, ("parse_date", "dateparser"), "%"
    )


def extraction_chart(data: dict) -> str:
    """Body F1 and median time per page: ours vs trafilatura."""
    bench = data["article_extraction"]
    ours, theirs = bench["scores"]["ours"], bench["scores"]["trafilatura"]
    ms, id_ms = bench["median_ms"], data["id_news"]["median_ms"]
    def pct(key: str) -> list[float]:
        return [round(100 * ours[key], 1), round(100 * theirs[key], 1)]

    groups = [
        ("body F1 × 100 (181 pages)", pct("f1")),
        ("precision × 100", pct("precision")),
        ("recall × 100", pct("recall")),
        ("ms/page, 181 pages", [ms["ours"], ms["trafilatura_meta"]]),
        ("ms/page, Indonesian pages", [id_ms["ours"], id_ms["trafilatura_meta"]]),
    ]
    return grouped_bars("Extraction: quality and speed", groups, ("aggregator", "trafilatura"), "")


def crawl_chart(data: dict) -> str:
    """Crawl page rate against scrapy bench, per round."""
    groups = [
        (f"round {i + 1}", [r["summary"]["pages_per_s"], r["summary"]["scrapy_bench_pages_per_s"]])
        for i, r in enumerate(data["rounds"])
    ]
    return grouped_bars(
        "Crawl, pages/s (1,000 pages, all pipelines)", groups, ("aggregator", "scrapy bench"), ""
    )


#: The issue's targets for the storage benchmark.
INSERT_TARGET, SEARCH_P95_TARGET_MS = 5000, 50


def _storage_rows(data: dict) -> list[tuple[str, str, dict]]:
    """(backend label, size label, row) for every measured size."""
    labels = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    return [(labels.get(name, name), f"{int(size):,}", row)
            for name, backend in data["backends"].items()
            for size, row in backend.get("sizes", {}).items()]  # fmt: skip


def storage_insert_chart(data: dict) -> str:
    """Batched inserts per second at each size, against the target."""
    groups = [(f"{backend}, {size}", [row["insert_per_s"], INSERT_TARGET])
              for backend, size, row in _storage_rows(data)]  # fmt: skip
    return grouped_bars("Storage: articles inserted per second", groups,
                        ("measured (median of runs)", "target"), "")  # fmt: skip


def storage_search_chart(data: dict) -> str:
    """Search p95 at each size, against the target (lower is better)."""
    groups = [(f"{backend}, {size}", [row["search"]["p95_ms"], SEARCH_P95_TARGET_MS])
              for backend, size, row in _storage_rows(data)]  # fmt: skip
    return grouped_bars("Storage: search p95, ms (lower is better)", groups,
                        ("measured", "target (at 100,000)"), " ms")  # fmt: skip


#: Chart name -> (results file name, drawing function).
CHARTS = {
    "dates": ("dates", dates_chart),
    "extraction": ("extraction", extraction_chart),
    "crawl": ("crawl", crawl_chart),
    "storage-insert": ("storage", storage_insert_chart),
    "storage-search": ("storage", storage_search_chart),
}


def main() -> int:
    """Write one SVG per benchmark whose results exist."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (results, draw) in CHARTS.items():
        path = RESULTS / f"{results}.json"
        if not path.exists():
            print(f"skip {name}: {path} not found")
            continue
        svg = draw(json.loads(path.read_text(encoding="utf-8")))
        (OUT / f"bench-{name}.svg").write_text(svg, encoding="utf-8")
        print(f"wrote {OUT / f'bench-{name}.svg'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
