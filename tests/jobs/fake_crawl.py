"""A stand-in for `aggregator crawl` in scheduler tests (so 96 runs don't each start Scrapy).

Behaviour from the environment: `FAKE_CRAWL_SLEEP` seconds to run, `FAKE_CRAWL_EXIT` exit
status (1 when an argument contains `FAKE_CRAWL_FAIL_MATCH`), `FAKE_CRAWL_SELF_KILL=1` to
die by SIGKILL, `FAKE_CRAWL_LOG` a file that gets
`start|end <run id> <unix time> <args>` lines (appended atomically, one write per line).
"""

from __future__ import annotations

import os
import signal
import sys
import time


def _note(event: str) -> None:
    path = os.environ.get("FAKE_CRAWL_LOG")
    if not path:
        return
    run_id = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("AGGREGATOR_JOB_RUN_ID=")),
                  "?")  # fmt: skip
    line = f"{event} {run_id} {time.time():.6f} {' '.join(sys.argv[1:])}\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def main() -> int:
    """Pretend to crawl."""
    _note("start")
    if os.environ.get("FAKE_CRAWL_SELF_KILL") == "1":
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(float(os.environ.get("FAKE_CRAWL_SLEEP", "0")))
    _note("end")
    match = os.environ.get("FAKE_CRAWL_FAIL_MATCH")
    if match and any(match in arg for arg in sys.argv[1:]):
        return 1
    return int(os.environ.get("FAKE_CRAWL_EXIT", "0"))


if __name__ == "__main__":
    sys.exit(main())
