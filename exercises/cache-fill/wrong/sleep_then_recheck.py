# Wrong: "sleep, then look again" narrows the window in real time but never closes it.
"""Idea: sleep, then look in the cache again."""

import time


class PageCache:
    def __init__(self, render):
        self._render = render
        self._pages = {}

    def get(self, path):
        page = self._pages.get(path)
        if page is None:
            time.sleep(0.01)
            page = self._pages.get(path)
            if page is None:
                page = self._render(path)
                self._pages[path] = page
        return page

    def invalidate(self, path):
        self._pages.pop(path, None)
