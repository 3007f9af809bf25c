"""Run every benchmark in bench/ in turn (each writes bench/results/<name>.json).

    python bench/run_all.py            # all of them, default sizes
    python bench/run_all.py dates crawl

The figures are reported in docs/benchmarks.md; on a shared machine compare ratios measured
in the same run, not absolute times.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ORDER = ["dates", "extraction", "variation", "clustering", "storage", "crawl", "schedule",
         "dashboard", "workers"]


def main(argv: list[str]) -> int:
    """Run the named benchmarks (all by default); exit nonzero if any failed."""
    names = argv or ORDER
    unknown = [n for n in names if n not in ORDER]
    if unknown:
        print(f"error: unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(ORDER)}")
        return 2
    failed = []
    for name in names:
        script = BENCH / f"bench_{name}.py"
        print(f"\n=== {name} ({script.name}) ===", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(script)])
        print(f"=== {name}: exit {code} after {time.monotonic() - started:.0f} s", flush=True)
        if code:
            failed.append(name)
    subprocess.call([sys.executable, str(BENCH / "charts.py")])
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
