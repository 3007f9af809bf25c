"""Deduplication: canonical URLs, content hashes and near-duplicate story clusters.

Scrapy-free.  Clustering (`aggregator.dedup.clusters.assign_clusters`) needs the storage
models and is imported from its module, so importing this package stays light.
"""

from aggregator.dedup.canonical import URLError, canonicalize_url, registrable_domain
from aggregator.dedup.fingerprint import content_hash, minhash_signature, normalize_body

__all__ = [
    "URLError",
    "canonicalize_url",
    "content_hash",
    "minhash_signature",
    "normalize_body",
    "registrable_domain",
]
