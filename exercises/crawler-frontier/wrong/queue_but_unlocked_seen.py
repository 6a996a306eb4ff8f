# Wrong: a queue.Queue makes taking URLs safe, but the seen-check in add() is still check-then-act, so a page can be queued twice.
"""Idea: replace the todo list with a queue.Queue."""

import queue


class Frontier:
    def __init__(self, seeds):
        self._seen = set(seeds)
        self._todo = queue.Queue()
        for url in seeds:
            self._todo.put(url)

    def add(self, url):
        if url not in self._seen:
            self._seen.add(url)
            self._todo.put(url)

    def next_url(self):
        try:
            return self._todo.get_nowait()
        except queue.Empty:
            return None
