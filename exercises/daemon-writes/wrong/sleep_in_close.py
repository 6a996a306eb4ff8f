# Wrong: sleeping in close() guesses how long the writer needs; a slow store still loses records.
"""Idea: sleep in close to give the writer time."""

import queue
import threading
import time


class AuditWriter:
    def __init__(self, sink):
        self._sink = sink
        self._queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def write(self, record):
        self._queue.put(record)

    def close(self):
        time.sleep(1.0)

    def _run(self):
        while True:
            record = self._queue.get()
            self._sink(record)
