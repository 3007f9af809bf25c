"""Fault and bad-input tests against the real components (loopback servers, SQLite, CLI)."""
