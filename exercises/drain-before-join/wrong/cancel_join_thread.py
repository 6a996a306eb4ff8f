# Wrong: cancel_join_thread() lets a worker end without flushing its queue, so the unsent part of its report is lost and the parent waits for it for ever.
"""Idea: call cancel_join_thread on the queue in the worker so that it can exit."""

import multiprocessing


def _work(build, job, index, results):
    results.cancel_join_thread()
    results.put((index, build(job)))


def build_all(jobs, build):
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_work, args=(build, job, index, results))
        for index, job in enumerate(jobs)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    reports = dict(results.get() for _ in jobs)
    return [reports[index] for index in range(len(jobs))]
