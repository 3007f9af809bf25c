"""`schedule export`: systemd unit + timer, or a crontab line, that call `schedule run-due`."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path


def aggregator_executable() -> str:
    """The absolute path of the `aggregator` command of this installation."""
    beside = Path(sys.executable).with_name("aggregator")
    if beside.exists():
        return str(beside)
    return shutil.which("aggregator") or f"{sys.executable} -m aggregator.cli.main"


def run_due_command(db: str | None) -> str:
    """The `run-due` command line (the database URL only when given explicitly)."""
    parts = [aggregator_executable(), "schedule", "run-due"]
    command = " ".join(shlex.quote(p) if " " not in p else p for p in parts)
    return command + (f" --db {shlex.quote(db)}" if db else "")


def systemd_units(db: str | None, workdir: Path, every: str = "minutely") -> str:
    """A oneshot service and a timer that starts it every minute (files separated by headers).

    `Persistent=true` runs a tick at boot for a timer missed while the machine was off; the
    missed slots themselves collapse into one catch-up run per job (see docs/scheduling.md).
    """
    return f"""# file: /etc/systemd/system/aggregator-schedule.service
[Unit]
Description=aggregator: run the scheduled crawl jobs that are due
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
WorkingDirectory={workdir}
ExecStart={run_due_command(db)}
# A crawl that fails makes run-due exit 1: systemd shows the unit as failed until the next tick.
KillMode=mixed
TimeoutStopSec=5min

# file: /etc/systemd/system/aggregator-schedule.timer
[Unit]
Description=aggregator: tick the crawl scheduler

[Timer]
OnCalendar={every}
AccuracySec=5s
Persistent=true

[Install]
WantedBy=timers.target

# Install: systemctl daemon-reload && systemctl enable --now aggregator-schedule.timer
"""


def crontab_lines(db: str | None, workdir: Path) -> str:
    """A crontab entry calling `run-due` every minute (several machines may run it too)."""
    log = workdir / "data" / "schedule.log"
    return (f"# aggregator: tick the crawl scheduler every minute (install with `crontab -e`)\n"
            f"* * * * * cd {shlex.quote(str(workdir))} && {run_due_command(db)} "
            f">> {shlex.quote(str(log))} 2>&1\n")  # fmt: skip
