# Wrong: waiting before the joins gives the workers time to build their reports, not to end: each still waits for its report to be read.
"""Idea: sleep a moment before joining the workers."""

import multiprocessing
import time


def _work(build, job, index, results):
    results.put((index, build(job)))


def build_all(jobs, build):
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_work, args=(build, job, index, results))
        for index, job in enumerate(jobs)
    ]
    for worker in workers:
        worker.start()
    time.sleep(1.0)
    for worker in workers:
        worker.join()
    reports = dict(results.get() for _ in jobs)
    return [reports[index] for index in range(len(jobs))]
