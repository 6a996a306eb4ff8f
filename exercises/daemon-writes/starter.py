"""A background audit writer that must not lose records at shutdown.

Request threads call `audit.write(record)`, which only queues the record so
the request never waits for the slow audit store. A background thread takes
records off the queue and passes them to `sink(record)`. The program calls
`audit.close()` just before it exits.

What is wrong: the last records before every shutdown or deploy are missing
from the audit store. The writer thread is a daemon thread, so it never
keeps the program alive.

Fixed means: when `close()` returns, every record written before it has
reached the sink, in order, and the writer thread has ended (so nothing
keeps the program from exiting). Keep the writer thread in `self._thread`:
the tests check that it has ended.
"""

import queue
import threading


class AuditWriter:
    def __init__(self, sink):
        self._sink = sink
        self._queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def write(self, record):
        """Queue a record; returns at once."""
        self._queue.put(record)

    def close(self):
        """Called right before the program exits."""

    def _run(self):
        while True:
            record = self._queue.get()
            self._sink(record)
