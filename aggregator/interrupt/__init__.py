"""Stopping a crawl on SIGINT/SIGTERM without losing anything, within stated time bounds.

- `signals.Interrupts`: our own handlers for SIGINT and SIGTERM (Scrapy's are not
  installed).  The first signal asks for a graceful stop; a second signal, or the grace
  period running out, forces the stop.  Exit status 128 + signal number (130, 143).
- `glue`: the Scrapy side of a graceful stop (a downloader middleware that refuses new
  downloads, an extension that abandons queued ones and closes the spider with the
  reason `interrupted_sigint` / `interrupted_sigterm`).
- `forced`: the forced stop, run on its own thread: every item not yet committed goes to
  the database within a deadline or to the dead-letter file, then the process exits.

docs/interruption.md describes the behaviour, the bounds and the exit codes.
"""

from aggregator.interrupt.signals import Interrupted, Interrupts, exit_code, signal_name

__all__ = ["Interrupted", "Interrupts", "exit_code", "signal_name"]
