# Wrong: waiting a fixed time instead of join() stops the hang by guessing; results can be missing when it gives up.
"""Idea: wait a fixed time instead of join."""

import queue
import threading
import time


def process_all(items, handle, workers=2):
    jobs = queue.Queue()
    results = {}
    failures = {}

    def worker():
        while True:
            item = jobs.get()
            if item is None:
                return
            try:
                results[item] = handle(item)
            except Exception as exc:
                failures[item] = exc

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for item in items:
        jobs.put(item)
    time.sleep(1.0)
    for _ in threads:
        jobs.put(None)
    return results, failures
