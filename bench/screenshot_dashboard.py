"""The overview screenshot of docs/img/dashboard.png, from the tests' sample database.

    python bench/screenshot_dashboard.py [--out docs/img/dashboard.png]

Seeds a temporary SQLite database (sources in every health state), serves the dashboard
on 127.0.0.1 and photographs `/` with Playwright driving Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the sample database lives in tests/web/seed.py

from playwright.sync_api import sync_playwright  # noqa: E402

from aggregator.storage.db import make_engine, session_factory  # noqa: E402
from aggregator.storage.migrate import upgrade  # noqa: E402
from tests.web.live import serve  # noqa: E402
from tests.web.seed import seed  # noqa: E402


def main() -> None:
    """Seed, serve, photograph."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "img" / "dashboard.png"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/dash.db"
        engine = make_engine(url)
        upgrade(engine)
        with session_factory(engine).begin() as session:
            seed(session)
        engine.dispose()
        with serve(url) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox"])  # fmt: skip
            page = browser.new_page(viewport={"width": 1280, "height": 620})
            page.goto(base + "/", wait_until="networkidle")
            page.wait_for_selector(".spark[data-drawn]")
            page.screenshot(path=args.out)
            browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
