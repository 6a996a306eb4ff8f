"""Build reports in worker processes (reference fix).

A process that put data on a multiprocessing.Queue ends only once its feeder
thread has flushed all of it into the pipe, and a pipe holds a few KiB until
the other side reads. The parent joined each worker before reading anything,
so a worker with a large report waited for the parent, and the parent for
the worker. Read every result first, then join.
"""

import multiprocessing


def _work(build, job, index, results):
    results.put((index, build(job)))


def build_all(jobs, build):
    """[build(job) for job in jobs], each built in a worker process."""
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_work, args=(build, job, index, results))
        for index, job in enumerate(jobs)
    ]
    for worker in workers:
        worker.start()
    reports = dict(results.get() for _ in jobs)
    for worker in workers:
        worker.join()
    return [reports[index] for index in range(len(jobs))]
