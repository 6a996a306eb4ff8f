"""A page cache filled on a miss.

A web server keeps rendered pages in `PageCache`. `get(path)` returns the
cached page, or renders it with the expensive `render(path)` function on a
miss and stores it. Rendering calls a paid templating service, so each page
must be rendered once, not once per request.

What is wrong: when a popular page is not in the cache yet, a burst of
simultaneous requests renders it several times (the bill shows it), and
different requests can get different copies.

Fixed means: however the request threads interleave, each path is rendered
at most once until it is invalidated, every caller gets the same page
object, and `invalidate(path)` still makes the next `get` render afresh.
"""

import threading  # noqa: F401  (you will probably need it)


class PageCache:
    def __init__(self, render):
        self._render = render
        self._pages = {}

    def get(self, path):
        """The page for `path`, rendered on the first request."""
        page = self._pages.get(path)
        if page is None:
            page = self._render(path)
            self._pages[path] = page
        return page

    def invalidate(self, path):
        """Forget the page, so the next get() renders it again."""
        self._pages.pop(path, None)
