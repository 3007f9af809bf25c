"""The dashboard in a real browser: Playwright driving Debian's chromium (/usr/bin/chromium).

Every page loads with zero console errors (CSP violations and failed requests included),
the charts draw (a canvas with painted pixels), screenshots go to tests/artifacts/, and
stored XSS payloads in every scraped field are shown as text and never run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from aggregator.health.store import record_source_runs
from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.migrate import upgrade
from aggregator.storage.repository import record_failed_fetch, upsert_articles
from aggregator.storage.runs import record_crawl_run
from tests.web.live import serve
from tests.web.seed import NOW, _item, run_row, seed

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "dashboard"
FLAG = "window.__xss=1"
PAYLOADS = [
    f"<script>{FLAG}</script>",
    f'<img src=x onerror="{FLAG}">',
    f'"><svg onload="{FLAG}">',
    f"javascript:{FLAG}",
    f"</script><script>{FLAG}</script>",
]
EVIL_SOURCE = f'Evil <img src=x onerror="{FLAG}"> "><svg onload="{FLAG}"> </script>'


def _require_browser() -> Any:
    """Playwright's sync API, or skip (locally) / fail (under CI) without chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("browser tests need playwright and /usr/bin/chromium under CI=true")
        pytest.skip("playwright or /usr/bin/chromium missing (apt-get install chromium)")
    return sync_playwright


def _seed_evil(session: Any) -> int:
    """An article, a source, a run and a failed fetch carrying the payloads everywhere."""
    body = "\n".join(PAYLOADS) + "\n" + "Paragraf biasa tentang banjir. " * 30
    evil = _item(500, EVIL_SOURCE, title=" ".join(PAYLOADS[:3]), body=body,
                 url='https://evil.example.id/read/1?q="><svg onload=window.__xss=1>',
                 authors=[PAYLOADS[1], PAYLOADS[4]], tags=PAYLOADS[2:],
                 description=PAYLOADS[0], section=PAYLOADS[1],
                 aliases=[f"javascript:{FLAG}"])  # fmt: skip
    result = upsert_articles(session, [evil])
    revised = dataclasses.replace(evil, body=body + "\n" + PAYLOADS[4])
    upsert_articles(session, [revised])
    for i in range(8):
        started = NOW - dt.timedelta(hours=2 + 6 * i)
        run_id = record_crawl_run(session, started_at=started, finished_at=started,
                                  sites=[EVIL_SOURCE], stats={PAYLOADS[0]: PAYLOADS[1]},
                                  finish_reason=PAYLOADS[2])  # fmt: skip
        row = run_row(EVIL_SOURCE, started, failure_reasons={PAYLOADS[1]: 2},
                      rule_hits={PAYLOADS[0]: 3}, status_counts={PAYLOADS[2]: 1})  # fmt: skip
        record_source_runs(session, run_id, [row])
    record_failed_fetch(session, f"javascript:{FLAG}", reason=PAYLOADS[0], source=EVIL_SOURCE,
                        kind=PAYLOADS[2], when=NOW)  # fmt: skip
    return result.ids_by_url[evil.url]


@pytest.fixture(scope="module")
def site() -> Iterator[dict[str, Any]]:
    """A seeded SQLite database (with the payloads) served on 127.0.0.1."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/dash.db"
        engine = make_engine(url)
        upgrade(engine)
        with session_factory(engine).begin() as session:
            ids = seed(session)
            ids["evil"] = _seed_evil(session)
        engine.dispose()
        with serve(url) as base:
            yield {"base": base, "ids": ids}


@pytest.fixture(scope="module")
def browser(site: dict[str, Any]) -> Iterator[Any]:
    """One headless chromium for the module."""
    sync_playwright = _require_browser()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


def open_page(browser: Any, url: str, shot: str) -> tuple[Any, list[str]]:
    """Load `url` in a fresh page, wait for charts; return the page and its errors."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"requestfailed: {r.url}"))
    response = page.goto(url, wait_until="networkidle")
    assert response is not None
    assert response.status == 200, url
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-chart]'))"
        ".every(e => e.getAttribute('data-drawn') || e.classList.contains('chart-empty'))",
        timeout=10_000)  # fmt: skip
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
    return page, errors


PAINTED = """el => {
  const c = el.querySelector('canvas');
  if (!c || !c.width || !c.height) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
}"""


def painted(page: Any, selector: str) -> list[int]:
    """Painted pixels of the canvas in each element matching `selector`."""
    return [el.evaluate(PAINTED) for el in page.query_selector_all(selector)]


def all_pages(ids: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, path) of every page, including the ones carrying payloads."""
    run = ids["runs"]["KabarTimur.id"][-1]
    return [("overview", "/"), ("source", "/sources/KabarTimur.id"),
            ("source-failing", "/sources/Sepi%20News"), ("runs", "/runs"), ("run", f"/runs/{run}"),
            ("article", f"/articles/{ids['revised']}"), ("story", f"/articles/{ids['story']}"),
            ("clusters", "/clusters"), ("search", "/search?q=banjir"),
            ("schedules", "/schedules"), ("evil-article", f"/articles/{ids['evil']}"),
            ("evil-source", "/sources/" + quote(EVIL_SOURCE, safe="")),
            ("evil-search", "/search?q=paragraf"), ("evil-run", "/runs?page=1")]  # fmt: skip


def test_every_page_loads_without_console_errors(browser: Any, site: dict[str, Any]) -> None:
    for name, path in all_pages(site["ids"]):
        page, errors = open_page(browser, site["base"] + path, name)
        assert errors == [], (path, errors)
        assert page.evaluate("window.__xss") is None, path
        page.close()


def test_charts_draw(browser: Any, site: dict[str, Any]) -> None:
    page, errors = open_page(browser, site["base"] + "/", "overview-charts")
    sparks = painted(page, ".spark[data-drawn]")
    assert len(sparks) == 5  # every source with runs (the evil one too); never-run has none
    assert all(n > 0 for n in sparks), sparks
    page.close()
    page, errors = open_page(browser, site["base"] + "/sources/KabarTimur.id", "source-charts")
    charts = painted(page, ".chart[data-drawn]")
    assert len(charts) == 6
    assert all(n > 100 for n in charts), charts
    assert errors == []
    page.close()


def test_stored_xss_is_shown_as_text_and_never_runs(browser: Any, site: dict[str, Any]) -> None:
    ids = site["ids"]
    for name, path in (("xss-article", f"/articles/{ids['evil']}"), ("xss-overview", "/"),
                       ("xss-source", "/sources/" + quote(EVIL_SOURCE, safe="")),
                       ("xss-search", "/search?q=paragraf"), ("xss-runs", "/runs")):  # fmt: skip
        page, errors = open_page(browser, site["base"] + path, name)
        assert errors == [], (path, errors)
        assert page.evaluate("window.__xss") is None, path
        injected = page.evaluate("""() => [
            ...document.querySelectorAll('script:not([src]), svg, img, iframe, object'),
            ...document.querySelectorAll('[onload], [onerror]'),
            ...[...document.querySelectorAll('a[href]')].filter(
                a => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')),
        ].map(e => e.outerHTML)""")  # fmt: skip
        assert injected == [], (path, injected)
        text = page.inner_text("main")
        assert 'onerror="window.__xss=1"' in text, path  # shown as text
        page.close()
    page, _ = open_page(browser, site["base"] + f"/articles/{ids['evil']}", "xss-article-text")
    text = page.inner_text("main")
    for payload in PAYLOADS:
        assert payload in text
    assert re.search(r"javascript:window\.__xss=1", text)  # the alias, as text, not a link
    page.close()
