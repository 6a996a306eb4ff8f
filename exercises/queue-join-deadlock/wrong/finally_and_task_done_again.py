# Wrong: adding a finally: task_done() but keeping the old one marks successful items done twice, which raises ValueError in the worker.
"""Idea: add a task_done in a finally block and keep the old one."""

import queue
import threading


def process_all(items, handle, workers=2):
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
                jobs.task_done()
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
