"""Source health learned from each source's own history (Scrapy-free).

- `collect`: `SourceRunCollector`, what one crawl saw per source, as `source_runs` rows.
- `baseline`: median and MAD of a source's recent runs; robust outlier test.
- `rules`: the verdicts `ok`, `degraded`, `failing`, `stale`, `never run` with reasons.
- `report`: verdicts for every source of a database (used by the dashboard and the CLI).
"""

from aggregator.health.rules import HealthConfig, Status, Verdict, judge

__all__ = ["HealthConfig", "Status", "Verdict", "judge"]
