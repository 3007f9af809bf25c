"""The dashboard's ASGI application: each page as HTML and as JSON under `/api/...`.

Every page is one data function `(session, request) -> dict`; the HTML page renders the
dict with a Jinja2 template (autoescaped), the API returns it as JSON.  Endpoints are
plain functions, so Starlette runs them (and their blocking SQLAlchemy sessions) in its
thread pool.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from aggregator.exceptions import InputError, StorageError
from aggregator.storage.db import make_engine, session_factory, storage_errors
from aggregator.web import filters
from aggregator.web.articles import article_detail
from aggregator.web.metrics import render_metrics
from aggregator.web.overview import overview
from aggregator.web.runs import list_runs, run_detail
from aggregator.web.schedules import list_schedules
from aggregator.web.security import Guard
from aggregator.web.sources import NotFound, source_detail
from aggregator.web.stories import largest_clusters, search_page

STATIC_DIR = Path(__file__).with_name("static")
DataFn = Callable[[Session, Request], dict[str, Any]]


def _int_param(request: Request, name: str, default: int) -> int:
    """An integer query parameter (the default when absent or malformed)."""
    try:
        return int(request.query_params.get(name, default))
    except ValueError:
        return default


#: (path, API path, template, data function)
PAGES: list[tuple[str, str, str, DataFn]] = [
    ("/", "/api/overview", "overview.html", lambda s, r: overview(s)),
    ("/sources/{name:path}", "/api/sources/{name:path}", "source.html",
     lambda s, r: source_detail(s, r.path_params["name"])),
    ("/runs", "/api/runs", "runs.html", lambda s, r: list_runs(s, _int_param(r, "page", 1))),
    ("/runs/{run_id:int}", "/api/runs/{run_id:int}", "run.html",
     lambda s, r: run_detail(s, r.path_params["run_id"])),
    ("/articles/{article_id:int}", "/api/articles/{article_id:int}", "article.html",
     lambda s, r: article_detail(s, r.path_params["article_id"])),
    ("/clusters", "/api/clusters", "clusters.html",
     lambda s, r: largest_clusters(s, days=min(max(_int_param(r, "days", 7), 1), 365))),
    ("/search", "/api/search", "search.html", lambda s, r: search_page(s, dict(r.query_params))),
    ("/schedules", "/api/schedules", "schedules.html",
     lambda s, r: {"schedules": list_schedules(s)}),
]  # fmt: skip


def template_env() -> Environment:
    """Jinja2 with autoescaping on for every template (scraped text is never markup)."""
    env = Environment(loader=PackageLoader("aggregator.web", "templates"), autoescape=True)
    env.filters.update(filters.FILTERS)
    return env


class Dashboard:
    """Holds the engine, the sessions and the templates; builds the routes."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url, readonly=True)
        self.sessions: sessionmaker[Session] = session_factory(self.engine, readonly=True)
        self.env = template_env()

    def _call(self, fn: DataFn, request: Request) -> tuple[int, dict[str, Any]]:
        """Run a data function; map known errors to a status and a message."""
        try:
            with storage_errors(self.engine.url), self.sessions() as session:
                return 200, fn(session, request)
        except NotFound as exc:
            return 404, {"error": str(exc)}
        except InputError as exc:
            return 400, {"error": str(exc)}
        except StorageError as exc:  # the database went away or refused: say so, in one line
            return 503, {"error": str(exc)}

    def page(self, template: str, fn: DataFn) -> Callable[[Request], Response]:
        """The HTML endpoint of a page."""

        def endpoint(request: Request) -> Response:
            status, data = self._call(fn, request)
            name = template if status == 200 else "error.html"
            html = self.env.get_template(name).render(data=data, status=status,
                                                      request_path=request.url.path,
                                                      api_path=_api_path(request))  # fmt: skip
            return HTMLResponse(html, status_code=status)

        return endpoint

    def api(self, fn: DataFn) -> Callable[[Request], Response]:
        """The JSON endpoint of a page."""

        def endpoint(request: Request) -> Response:
            status, data = self._call(fn, request)
            return JSONResponse(data, status_code=status)

        return endpoint

    def metrics(self, request: Request) -> Response:
        """Prometheus text format."""
        body = render_metrics(self.sessions)
        return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")

    def routes(self) -> list[BaseRoute]:
        """Pages, APIs, metrics and the static files."""
        routes: list[BaseRoute] = []
        for path, api_path, template, fn in PAGES:
            routes.append(Route(path, self.page(template, fn), methods=["GET", "HEAD"]))
            routes.append(Route(api_path, self.api(fn), methods=["GET", "HEAD"]))
        routes.append(Route("/metrics", self.metrics, methods=["GET", "HEAD"]))
        routes.append(Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"))
        return routes


def _api_path(request: Request) -> str:
    """The JSON twin of an HTML page's path."""
    path = request.url.path
    return "/api/overview" if path == "/" else "/api" + path


def create_app(url: str, *, token: str | None = None) -> Guard:
    """The dashboard for the database at `url`; `token` protects every request."""
    dashboard = Dashboard(url)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        dashboard.engine.dispose()

    app = Starlette(routes=dashboard.routes(), lifespan=lifespan)
    app.state.dashboard = dashboard
    app.state.started_at = dt.datetime.now(dt.UTC)
    return Guard(app, token=token)
