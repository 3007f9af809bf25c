"""Scrapy spiders of the aggregator: one generic spider drives every site."""
