# Wrong: a non-daemon writer keeps the program alive, but it waits for records forever, so the program never exits, and close() still returns before the writes.
"""Idea: make the writer a non-daemon thread."""

import queue
import threading


class AuditWriter:
    def __init__(self, sink):
        self._sink = sink
        self._queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, daemon=False)
        self._thread.start()

    def write(self, record):
        self._queue.put(record)

    def close(self):
        pass

    def _run(self):
        while True:
            record = self._queue.get()
            self._sink(record)
