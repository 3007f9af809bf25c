"""The read-only monitoring dashboard (Starlette + Jinja2, served by uvicorn).

- `app.create_app(url, token=...)`: the ASGI application (pages, `/api/...`, `/metrics`).
- `security`: token check, read-only methods, Content-Security-Policy and other headers.
- `overview`, `sources`, `runs`, `articles`, `stories`: the data behind each page, as
  JSON-ready dicts (the HTML pages and the JSON API render the same dicts).
- `metrics`: a Prometheus collector that reads the database at scrape time.
- `schedules`: the one adapter to scheduled jobs (empty when there is no schedules table).
"""
