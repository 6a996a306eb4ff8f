"""Download several pages at the same time, one thread per page.

`fetch_all(urls, fetch)` calls `fetch(url)` for every url and returns a dict
{url: page}. `fetch` waits on the network, so the point of the threads is to
have all downloads in flight at once: ten one-second downloads should take
about one second, not ten.

What is wrong: it returns the right pages, but it is exactly as slow as a
plain loop. The threads seem to do nothing.

Fixed means: every `fetch` runs in its own new thread (not the caller's),
all of them are in flight at the same time, and `fetch_all` returns only
when every page is in the dict.
"""

import threading


def fetch_all(urls, fetch):
    """Fetch every url concurrently; return {url: page}."""
    pages = {}

    def download(url):
        pages[url] = fetch(url)

    threads = [threading.Thread(target=download, args=(url,)) for url in urls]
    for thread in threads:
        thread.run()
    return pages
