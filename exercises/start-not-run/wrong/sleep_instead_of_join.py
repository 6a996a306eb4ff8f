# Wrong: sleeping "long enough" instead of joining guesses how long downloads take; a slow one is still missing.
"""Idea: sleep long enough instead of joining."""

import threading
import time


def fetch_all(urls, fetch):
    pages = {}

    def download(url):
        pages[url] = fetch(url)

    threads = [threading.Thread(target=download, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    return pages
