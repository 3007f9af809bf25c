"""Run the dashboard with uvicorn on 127.0.0.1:<ephemeral port> in a background thread."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import uvicorn

from aggregator.web.app import create_app


@contextlib.contextmanager
def serve(url: str, *, token: str | None = None) -> Iterator[str]:
    """Yield the base URL of a running dashboard; stop it afterwards."""
    config = uvicorn.Config(create_app(url, token=token), host="127.0.0.1", port=0,
                            log_level="warning", lifespan="on")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the dashboard did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
