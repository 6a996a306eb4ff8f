"""The frontier of a web crawler (reference fix).

add() checks `_seen` and then updates it, and next_url() checks `_todo` and
then pops it: two check-then-act sequences on shared state. Two threads can
both pass the check before either acts (a page queued twice; a pop from an
empty list). One lock around each whole method makes them indivisible.
"""

import threading


class Frontier:
    def __init__(self, seeds):
        self._seen = set(seeds)
        self._todo = list(seeds)
        self._lock = threading.Lock()

    def add(self, url):
        """Queue `url` for crawling unless it was queued before."""
        with self._lock:
            if url not in self._seen:
                self._seen.add(url)
                self._todo.append(url)

    def next_url(self):
        """The next URL to crawl, or None if none is queued right now."""
        with self._lock:
            if self._todo:
                return self._todo.pop()
            return None
