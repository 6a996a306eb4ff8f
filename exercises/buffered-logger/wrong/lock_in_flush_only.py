# Wrong: only flush() is locked; an unlocked append can still land in a batch that was already written.
"""Idea: lock only flush."""

import threading


class BufferedLog:
    def __init__(self, sink, capacity=3):
        self._sink = sink
        self._capacity = capacity
        self._buffer = []
        self._lock = threading.Lock()

    def log(self, line):
        self._buffer.append(line)
        if len(self._buffer) >= self._capacity:
            self.flush()

    def flush(self):
        with self._lock:
            lines = self._buffer
            self._buffer = []
            if lines:
                self._sink(lines)
