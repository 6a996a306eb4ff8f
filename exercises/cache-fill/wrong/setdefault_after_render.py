# Wrong: setdefault makes callers share one copy, but both threads still render on a simultaneous miss.
"""Idea: render, then store the page with setdefault."""


class PageCache:
    def __init__(self, render):
        self._render = render
        self._pages = {}

    def get(self, path):
        page = self._pages.get(path)
        if page is None:
            page = self._pages.setdefault(path, self._render(path))
        return page

    def invalidate(self, path):
        self._pages.pop(path, None)
