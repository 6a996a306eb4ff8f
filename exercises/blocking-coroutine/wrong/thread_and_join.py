# Wrong: the fetch runs in another thread, but join() blocks the coroutine, and with it the loop's only thread, until the thread ends.
"""Idea: run each fetch in a threading.Thread and join it."""

import threading


async def fetch_previews(urls, fetch):
    previews = []
    for url in urls:
        worker = threading.Thread(target=lambda url=url: previews.append(fetch(url)))
        worker.start()
        worker.join()
    return previews
