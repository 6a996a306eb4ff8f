# Wrong: a Lock created on each call is never shared, so it excludes nobody.
"""Idea: create a new lock in each call."""

import threading


class HitCounter:
    def __init__(self):
        self._counts = {}

    def hit(self, path):
        with threading.Lock():
            self._counts[path] = self._counts.get(path, 0) + 1

    def count(self, path):
        return self._counts.get(path, 0)

    def top(self, n):
        ranked = sorted(self._counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:n]
