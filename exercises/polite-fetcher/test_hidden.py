"""Hidden tests for polite-fetcher: how many requests are in flight, and when.

A fake server counts the requests in flight. Its pages are served in rounds: a request
waits until `max_connections` requests are in flight together (a barrier), so fetching one
page at a time never completes a round; the explorer reports that as a deadlock at once.
"""

import threading

from tutor.interleave import explore

import submission


class Server:
    """Serves pages in rounds of `in_flight` requests; records the most ever in flight."""

    def __init__(self, pages, in_flight, broken=()):
        self.urls = [f"https://site.example/{n}" for n in range(pages)]
        self.broken = set(broken)
        self.lock = threading.Lock()
        self.open_requests = 0
        self.most_open = 0
        self.all_requests_of_a_round_open = threading.Barrier(in_flight)
        self.result = None
        self.error = None

    def fetch(self, url):
        with self.lock:
            self.open_requests += 1
            self.most_open = max(self.most_open, self.open_requests)
        self.all_requests_of_a_round_open.wait()
        with self.lock:
            self.open_requests -= 1
        if url in self.broken:
            raise OSError(f"{url}: connection reset")
        return f"<page {url}>"


def _crawl(max_connections):
    def crawl(server):
        try:
            pages = submission.fetch_all(server.urls, server.fetch, max_connections)
            server.result = list(pages)
        except OSError as exc:
            server.error = exc
        # Every request must be over by the time fetch_all() returns.
        server.open_after_return = server.open_requests
    return crawl


def _pages_in_order(server):
    assert server.error is None, f"fetch_all raised {server.error!r}"
    assert server.result == [f"<page {url}>" for url in server.urls], (
        f"fetch_all returned {server.result}"
    )
    assert server.open_after_return == 0, "fetch_all returned while requests were still open"


def test_four_pages_four_connections():
    explore(lambda: Server(pages=4, in_flight=4), [_crawl(4)], _pages_in_order)


def test_never_more_than_the_limit_in_flight():
    def check(server):
        _pages_in_order(server)
        assert server.most_open <= 2, (
            f"{server.most_open} requests were in flight at once; the limit was 2"
        )

    explore(lambda: Server(pages=6, in_flight=2), [_crawl(2)], check)


def test_an_error_in_fetch_is_raised():
    def check(server):
        assert isinstance(server.error, OSError), "fetch_all did not raise fetch's OSError"

    broken = ["https://site.example/1"]
    explore(lambda: Server(pages=2, in_flight=2, broken=broken), [_crawl(2)], check)
