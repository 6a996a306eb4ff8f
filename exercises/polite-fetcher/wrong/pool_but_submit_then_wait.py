# Wrong: the pool has the right size, but waiting for each result right after submitting it sends one request at a time.
"""Idea: submit each page to the pool and wait for its result before submitting the next."""

from concurrent.futures import ThreadPoolExecutor


def fetch_all(urls, fetch, max_connections=4):
    with ThreadPoolExecutor(max_workers=max_connections) as pool:
        return [pool.submit(fetch, url).result() for url in urls]
