# Wrong: joining each thread right after starting it waits for one download before starting the next: sequential again.
"""Idea: join each thread right after starting it."""

import threading


def fetch_all(urls, fetch):
    pages = {}

    def download(url):
        pages[url] = fetch(url)

    for url in urls:
        thread = threading.Thread(target=download, args=(url,))
        thread.start()
        thread.join()
    return pages
