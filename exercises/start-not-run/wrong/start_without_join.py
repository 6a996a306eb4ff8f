# Wrong: start() makes the downloads concurrent, but without join() fetch_all returns before they finish.
"""Idea: start the threads without joining them."""

import threading


def fetch_all(urls, fetch):
    pages = {}

    def download(url):
        pages[url] = fetch(url)

    threads = [threading.Thread(target=download, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    return pages
