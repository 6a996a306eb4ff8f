"""Process a batch of items with a pool of worker threads fed by a queue.

`process_all(items, handle, workers)` puts every item on a `queue.Queue`,
lets `workers` threads call `handle(item)` on them, waits with
`queue.join()` until every item is handled, then stops the workers with one
`None` sentinel each. It returns `(results, failures)`: dicts from item to
`handle`'s return value, and from item to the exception it raised.

What is wrong: a batch where every item succeeds works. A batch where any
`handle` call raises never finishes: `process_all` waits forever, with the
workers idle.

Fixed means: `process_all` returns once every item has been handled,
successful or not, with every item in exactly one of the two dicts, and
leaves no worker thread running.
"""

import queue
import threading


def process_all(items, handle, workers=2):
    """Handle every item on `workers` threads; return (results, failures)."""
    jobs = queue.Queue()
    results = {}
    failures = {}

    def worker():
        while True:
            item = jobs.get()
            if item is None:
                jobs.task_done()
                return
            try:
                results[item] = handle(item)
            except Exception as exc:
                failures[item] = exc
                continue
            jobs.task_done()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for item in items:
        jobs.put(item)
    jobs.join()
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    return results, failures
