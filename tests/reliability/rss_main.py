"""`python -m tests.reliability.rss_main OUT ARGS...`: run the CLI, then write its peak RSS.

The peak resident set size (KiB, from getrusage) of the process that ran the command
goes to the file OUT, so a test can bound the memory a hostile input costs.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

from aggregator.cli.main import main


def run(argv: list[str]) -> int:
    """Run `aggregator ARGS`, record the peak RSS in `argv[0]`, return the exit status."""
    code = main(argv[1:])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    Path(argv[0]).write_text(str(peak), encoding="ascii")
    return code


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
