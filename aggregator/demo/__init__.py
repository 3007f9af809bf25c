"""The bundled sample site and `aggregator demo`: serve it, crawl it, show what was stored."""
