# Wrong: the lock covers the updates but not the checks before them, so two threads can still both pass the checks.
"""Idea: lock only the updates of the seen set and the todo list."""

import threading


class Frontier:
    def __init__(self, seeds):
        self._seen = set(seeds)
        self._todo = list(seeds)
        self._lock = threading.Lock()

    def add(self, url):
        if url not in self._seen:
            with self._lock:
                self._seen.add(url)
                self._todo.append(url)

    def next_url(self):
        if self._todo:
            with self._lock:
                return self._todo.pop()
        return None
