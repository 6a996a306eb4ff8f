# Wrong: an empty queue does not mean everything is written: the writer may have taken the last record and not yet stored it (and this is a busy-wait).
"""Idea: wait in close until the queue is empty."""

import queue
import threading


class AuditWriter:
    def __init__(self, sink):
        self._sink = sink
        self._queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def write(self, record):
        self._queue.put(record)

    def close(self):
        while not self._queue.empty():
            pass

    def _run(self):
        while True:
            record = self._queue.get()
            self._sink(record)
