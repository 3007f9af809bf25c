"""The installed project: both packages importable outside the repo, package data shipped."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_scrapy_finds_the_spider_outside_the_repo(tmp_path: Path) -> None:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "aggregator.settings"}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=tmp_path,  # no scrapy.cfg, no repo on sys.path: only the installed packages
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["news"]


@pytest.mark.slow
def test_wheel_ships_spiders_demo_site_and_migrations(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("aggregator-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "spiders/news.py",
        "aggregator/settings.py",
        "aggregator/py.typed",
        "aggregator/demo/site/robots.txt",
        "aggregator/demo/site/warta/rss.xml",
        "aggregator/storage/migrations/env.py",
        "aggregator/storage/migrations/versions/0001_initial_schema.py",
    ):
        assert required in names, required
    assert not any(n.startswith("tests/") for n in names)
