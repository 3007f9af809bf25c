"""WARC archive of every fetch, and re-extraction from it (Scrapy-free except the glue).

- `records`: one HTTP exchange (`Exchange`) and the capture row it becomes.
- `writer`: WARC/1.1 files with warcio, gzip per record, rotated by size, named by time
  and worker; `revisit` records for a payload identical to the URL's last capture.
- `recorder`: the writer plus the `captures` rows and the last-capture lookup.
- `index`: the `captures` table (insert, lookups, article links, prune).
- `reader`: read one record back, iterate and verify whole files, errors with file+offset.
- `replay`: the spider's article flow (first page, next pages, single view) over
  archived responses; `stages`: the crawl's item pipelines without Scrapy's engine.
- `reextract`: captures -> articles through the normal upsert; `warcextract`: any WARC
  (ours or CC-NEWS) to article records.
- `middleware`: the thin Scrapy downloader middleware (`--archive DIR`).
"""
