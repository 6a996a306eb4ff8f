"""Download several pages at the same time, one thread per page
(reference fix).

Thread.run() is only the method that holds the thread's work; calling it
directly runs that work in the calling thread, one download after another.
start() creates the OS thread, which then calls run(). Start every thread
first, then join them all.
"""

import threading


def fetch_all(urls, fetch):
    """Fetch every url concurrently; return {url: page}."""
    pages = {}

    def download(url):
        pages[url] = fetch(url)

    threads = [threading.Thread(target=download, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return pages
