# Wrong: add() is locked, but next_url() is not: two crawlers can still both see the last URL and one pops an empty list.
"""Idea: lock only add."""

import threading


class Frontier:
    def __init__(self, seeds):
        self._seen = set(seeds)
        self._todo = list(seeds)
        self._lock = threading.Lock()

    def add(self, url):
        with self._lock:
            if url not in self._seen:
                self._seen.add(url)
                self._todo.append(url)

    def next_url(self):
        if self._todo:
            return self._todo.pop()
        return None
