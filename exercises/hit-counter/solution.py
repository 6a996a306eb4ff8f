"""Count page views for a small web server (reference fix).

`hit()` is a read-modify-write: read the old count, add one, store it.
Another thread can run between the read and the store, so two hits can both
store "old + 1". One lock held across the whole read-modify-write makes it
indivisible with respect to every other `hit()`.
"""

import threading


class HitCounter:
    def __init__(self):
        self._counts = {}
        self._lock = threading.Lock()

    def hit(self, path):
        """Record one view of `path`."""
        with self._lock:
            self._counts[path] = self._counts.get(path, 0) + 1

    def count(self, path):
        """How many views `path` has had."""
        with self._lock:
            return self._counts.get(path, 0)

    def top(self, n):
        """The `n` most viewed paths as (path, count) pairs, most viewed first."""
        with self._lock:
            snapshot = list(self._counts.items())
        ranked = sorted(snapshot, key=lambda item: (-item[1], item[0]))
        return ranked[:n]
