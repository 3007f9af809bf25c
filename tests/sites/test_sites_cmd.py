"""`aggregator sites` and the argument errors of `aggregator check-site` (no network)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aggregator.cli.main import main
from aggregator.sites import SITES
from aggregator.sites.table import markdown_table

# The generated sites table lives in docs/sites.md between `section:sites` markers.
README = Path(__file__).resolve().parents[2] / "docs" / "sites.md"


def _section(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"<!-- section:{name} -->\n(.*?)<!-- /section:{name} -->", text, re.S)
    assert match, f"docs/sites.md has no {name} section"
    return match.group(1)


def test_readme_sites_table_matches_the_registry() -> None:
    """Regenerate with `aggregator sites --markdown` when this fails."""
    section = _section("sites")
    table_lines = [line for line in section.splitlines() if line.startswith("|")]
    assert "\n".join(table_lines) == markdown_table()


def test_markdown_table_has_one_row_per_site(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sites", "--markdown"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == markdown_table()
    rows = out.splitlines()[2:]
    assert [row.split(" | ")[0].lstrip("| ") for row in rows] == sorted(SITES)
    verified = [row for row in rows if "| yes (" in row]
    assert len(verified) == sum(spec.verified for spec in SITES.values())


def test_sites_table_lists_every_site(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sites"]) == 0
    out = capsys.readouterr().out
    for name in SITES:
        assert name in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check-site", "nope"], "unknown site 'nope'; known sites: antaranews"),
        (["check-site", "detik", "--url", "ftp://detik.com/x"], "must be an http(s) URL"),
        (["check-site", "detik", "--url", "https://kompas.com/read/1"], "is not on detik"),
        (["check-site", "detik", "--url", "not a url"], "must be an http(s) URL"),
    ],
)
def test_check_site_argument_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad arguments fail before any network access, as one `error:` line with status 2."""
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: ")
    assert message in err[0]
