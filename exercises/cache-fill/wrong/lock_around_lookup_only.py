# Wrong: the lock covers the lookup but not the render-and-store, so two misses still both render.
"""Idea: lock only the cache lookup."""

import threading


class PageCache:
    def __init__(self, render):
        self._render = render
        self._pages = {}
        self._lock = threading.Lock()

    def get(self, path):
        with self._lock:
            page = self._pages.get(path)
        if page is None:
            page = self._render(path)
            with self._lock:
                self._pages[path] = page
        return page

    def invalidate(self, path):
        with self._lock:
            self._pages.pop(path, None)
