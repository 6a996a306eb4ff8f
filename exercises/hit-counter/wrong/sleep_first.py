# Wrong: a sleep only changes the timing; another thread can still run between the read and the store.
"""Idea: sleep before counting."""

import time


class HitCounter:
    def __init__(self):
        self._counts = {}

    def hit(self, path):
        time.sleep(0.001)
        self._counts[path] = self._counts.get(path, 0) + 1

    def count(self, path):
        return self._counts.get(path, 0)

    def top(self, n):
        ranked = sorted(self._counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:n]
