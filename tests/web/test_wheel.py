"""The wheel ships the dashboard's templates, static files and the vendored uPlot."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "aggregator" / "web"


@pytest.mark.slow
def test_wheel_ships_templates_and_static(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("aggregator-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {str(p.relative_to(ROOT)) for sub in ("templates", "static")
                for p in (WEB / sub).rglob("*") if p.is_file()}  # fmt: skip
    assert "aggregator/web/static/vendor/uPlot.iife.min.js" in expected
    assert "aggregator/web/templates/base.html" in expected
    assert expected <= names, sorted(expected - names)
    assert "aggregator/storage/migrations/versions/0014_source_runs.py" in names


def test_vendored_uplot_is_recorded() -> None:
    record = (WEB / "static" / "vendor" / "README.md").read_text(encoding="utf-8")
    assert "| uPlot | 1.6.32 | MIT" in record
    licence = (WEB / "static" / "vendor" / "uPlot.LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence
    bundle = (WEB / "static" / "vendor" / "uPlot.iife.min.js").read_text(encoding="utf-8")
    assert "uPlot" in bundle
