"""The frontier of a web crawler: the URLs still to crawl, shared by crawler
threads.

Several crawler threads loop: take a URL with `next_url()`, download it, and
`add()` every link found on the page. The frontier remembers every URL it
has ever queued, so each page is crawled once; `next_url()` returns None
when nothing is queued right now.

What is wrong: with several crawler threads, some pages are crawled twice
(the site's owner complained), and now and then a crawler dies with
"IndexError: pop from empty list".

Fixed means: however the crawler threads interleave, every URL is handed out
by `next_url()` at most once, `next_url()` never fails, and every page
reachable from the seeds is crawled.
"""

import threading  # noqa: F401  (you will probably need it)


class Frontier:
    def __init__(self, seeds):
        self._seen = set(seeds)
        self._todo = list(seeds)

    def add(self, url):
        """Queue `url` for crawling unless it was queued before."""
        if url not in self._seen:
            self._seen.add(url)
            self._todo.append(url)

    def next_url(self):
        """The next URL to crawl, or None if none is queued right now."""
        if self._todo:
            return self._todo.pop()
        return None
