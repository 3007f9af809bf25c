"""The one line an interrupted crawl prints (stderr), after its summary table."""

from __future__ import annotations

from aggregator.extensions import CrawlSummary


def interrupted_line(summary: CrawlSummary) -> str:
    """`crawl interrupted by SIGTERM: ...; exit 143` with what happened to the held work."""
    parts = [f"stored {summary.stored}"]
    if summary.dead_lettered:
        parts.append(f"dead-lettered {summary.dead_lettered} to {summary.dead_letter_file} "
                     "(aggregator replay-dead-letter FILE)")  # fmt: skip
    abandoned = sum(v for k, v in summary.stats.items()
                    if k.startswith("spider/failed/") and k.endswith("/interrupted")
                    and isinstance(v, int))  # fmt: skip
    parts.append(f"{abandoned} URLs not fetched (recorded as failed: interrupted)")
    return (f"crawl interrupted by {summary.interrupted}: stopped early; "
            f"{', '.join(parts)}; exit {summary.exit_code}")
