"""Incremental tests reuse the dedup database fixtures."""

from tests.dedup.conftest import engine, sessions

__all__ = ["engine", "sessions"]
