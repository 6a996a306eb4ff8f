# Wrong: fetching the batch's pages one by one in a single worker thread keeps within the limit, but only one request is ever in flight.
"""Idea: run the whole crawl in one background thread and wait for it."""

import threading


def fetch_all(urls, fetch, max_connections=4):
    pages = []
    worker = threading.Thread(target=lambda: pages.extend(fetch(url) for url in urls))
    worker.start()
    worker.join()
    return pages
