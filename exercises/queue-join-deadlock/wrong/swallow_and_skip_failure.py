# Wrong: catching the error outside the item loop ends the worker thread, so later items are never handled and join() still waits.
"""Idea: catch the error around the whole worker loop."""

import queue
import threading


def process_all(items, handle, workers=2):
    jobs = queue.Queue()
    results = {}
    failures = {}

    def worker():
        try:
            while True:
                item = jobs.get()
                if item is None:
                    jobs.task_done()
                    return
                results[item] = handle(item)
                jobs.task_done()
        except Exception as exc:
            failures[item] = exc
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
