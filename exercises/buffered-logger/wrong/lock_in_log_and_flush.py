# Wrong: log() holds a plain Lock and calls flush(), which takes the same Lock again: self-deadlock.
"""Idea: take the same plain Lock in log and in flush."""

import threading


class BufferedLog:
    def __init__(self, sink, capacity=3):
        self._sink = sink
        self._capacity = capacity
        self._buffer = []
        self._lock = threading.Lock()

    def log(self, line):
        with self._lock:
            self._buffer.append(line)
            if len(self._buffer) >= self._capacity:
                self.flush()

    def flush(self):
        with self._lock:
            lines = self._buffer
            self._buffer = []
            if lines:
                self._sink(lines)
