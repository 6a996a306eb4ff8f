"""Fetch a list of pages, concurrently but politely (reference fix).

A thread that waits on the network releases the GIL, so threads overlap the
waits. A pool of exactly max_connections threads bounds the requests in
flight; map() returns results in input order and re-raises an exception from
fetch(); leaving the with block joins them all.
"""

from concurrent.futures import ThreadPoolExecutor


def fetch_all(urls, fetch, max_connections=4):
    """[fetch(url) for url in urls], with up to max_connections in flight."""
    with ThreadPoolExecutor(max_workers=max_connections) as pool:
        return list(pool.map(fetch, urls))
