"""A page cache filled on a miss (reference fix).

A miss is check-then-act: look up, render, store. If two threads both look
up before either stores, both render. Holding one lock from the lookup to
the store makes the miss handling indivisible. (A production cache would use
one lock or future per path so different pages render in parallel; one lock
is the simple, correct fix.)
"""

import threading


class PageCache:
    def __init__(self, render):
        self._render = render
        self._pages = {}
        self._lock = threading.Lock()

    def get(self, path):
        """The page for `path`, rendered on the first request."""
        with self._lock:
            page = self._pages.get(path)
            if page is None:
                page = self._render(path)
                self._pages[path] = page
            return page

    def invalidate(self, path):
        """Forget the page, so the next get() renders it again."""
        with self._lock:
            self._pages.pop(path, None)
