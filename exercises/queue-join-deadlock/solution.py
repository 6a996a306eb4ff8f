"""Process a batch of items with a pool of worker threads fed by a queue
(reference fix).

queue.join() waits until task_done() has been called once for every item
put. The failure path skipped task_done() (the `continue`), so after any
failed item the count never reached zero and join() waited forever.
task_done() now runs in a finally block, whatever happens.
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
            try:
                if item is None:
                    return
                try:
                    results[item] = handle(item)
                except Exception as exc:
                    failures[item] = exc
            finally:
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
