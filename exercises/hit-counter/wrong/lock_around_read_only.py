# Wrong: the lock covers only the read; the store happens after release, so updates still collide.
"""Idea: lock only the read of the count."""

import threading


class HitCounter:
    def __init__(self):
        self._counts = {}
        self._lock = threading.Lock()

    def hit(self, path):
        with self._lock:
            current = self._counts.get(path, 0)
        self._counts[path] = current + 1

    def count(self, path):
        with self._lock:
            return self._counts.get(path, 0)

    def top(self, n):
        with self._lock:
            ranked = sorted(self._counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:n]
