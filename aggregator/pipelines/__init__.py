"""Item pipelines, in order: validate (100), clean (200), dates (300), dedup (400), store (500).

Each is a thin class with `from_crawler`, an `AGGREGATOR_<NAME>_ENABLED` switch and stats
under its own prefix; the logic lives in the Scrapy-free modules they call.
"""
