"""aggregator: a crawler and aggregator for Indonesian news built on Scrapy."""

__version__ = "0.1.0"
