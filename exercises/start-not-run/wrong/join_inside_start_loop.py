# Wrong: joining each thread right after starting it waits for one download before starting the next: sequential again.
"""Download several pages at the same time, one thread per page."""

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
