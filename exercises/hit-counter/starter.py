"""Count page views for a small web server.

The server handles every request in its own thread and calls
`counter.hit(path)` for each page it serves. The dashboard reads
`count(path)` and `top(n)`.

What is wrong: under load the totals come out too low. When two requests for
the same page arrive together, the counter sometimes records one hit instead
of two.

Fixed means: no hit is ever lost, however the request threads interleave,
and `count()` and `top()` still report what they did before.
"""

import threading  # noqa: F401  (you will probably need it)


class HitCounter:
    def __init__(self):
        self._counts = {}

    def hit(self, path):
        """Record one view of `path`."""
        self._counts[path] = self._counts.get(path, 0) + 1

    def count(self, path):
        """How many views `path` has had."""
        return self._counts.get(path, 0)

    def top(self, n):
        """The `n` most viewed paths as (path, count) pairs, most viewed first."""
        ranked = sorted(self._counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:n]
