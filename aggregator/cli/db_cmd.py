"""`aggregator db` command (registered on the shared app on import)."""

from __future__ import annotations

from aggregator.cli.app import app  # noqa: F401
