"""Fetch a list of pages, concurrently but politely.

`fetch_all(urls, fetch, max_connections)` calls `fetch(url)` for every url
and returns the pages in the order of `urls`. `fetch` waits on the network:
almost all its time is spent waiting for the server, not computing.

What is wrong: a crawl of 2000 pages takes 2000 times the round trip to the
server, because the pages are fetched one after another, while the CPU sits
idle. Making it concurrent has one rule: the servers allow at most
`max_connections` requests in flight from us at any moment, and ban crawlers
that open more.

Fixed means: `max_connections` fetches are in flight at the same time
whenever there are enough pages left, never more than that; the pages come
back in the order of `urls`; if a `fetch` raises, `fetch_all` raises that
exception; and every fetch has finished when `fetch_all` returns.
"""


def fetch_all(urls, fetch, max_connections=4):
    """[fetch(url) for url in urls], with up to max_connections in flight."""
    return [fetch(url) for url in urls]
