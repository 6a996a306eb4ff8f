"""A background audit writer that must not lose records at shutdown
(reference fix).

At exit the interpreter stops daemon threads abruptly, so whatever was still
queued was lost. close() now queues a sentinel behind the records and joins
the writer: the writer drains everything before the sentinel, ends, and only
then does close() return.
"""

import queue
import threading

_STOP = object()


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
        self._queue.put(_STOP)
        self._thread.join()

    def _run(self):
        while True:
            record = self._queue.get()
            if record is _STOP:
                return
            self._sink(record)
