"""Scale-out: many crawl workers sharing one frontier (queue, seen sets, leases) in Redis.

Built on scrapy-redis (its scheduler, priority queue and duplicate filter) with the
parts it lacks as shipped: JSON requests (`codec`), leases that return a dead worker's
requests to the queue (`leases`), a job-wide end (`idle`), per-host tokens shared by
every worker (`politeness`).  Those modules are Scrapy-free; `scheduler`, `middleware`,
`extension`, `pipeline` and `spider` are the thin Scrapy glue, `worker` and `launch`
run workers.  See docs/scale-out.md.
"""
