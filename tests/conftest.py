"""Shared fixtures: the loopback `mirror` server (session scope)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aggregator.mirror import MirrorServer
from tests.mockserver import make_mirror


@pytest.fixture(scope="session")
def mirror() -> Iterator[MirrorServer]:
    """The mock site on 127.0.0.1:<ephemeral> with fault routes; call reset_hits() as needed."""
    with make_mirror() as server:
        yield server
