# Wrong: one thread per page overlaps the waits, but opens as many connections as there are pages, far over the limit.
"""Idea: start one thread per page and join them all."""

import threading


def fetch_all(urls, fetch, max_connections=4):
    pages = [None] * len(urls)

    def download(index, url):
        pages[index] = fetch(url)

    threads = [threading.Thread(target=download, args=(i, url)) for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return pages
