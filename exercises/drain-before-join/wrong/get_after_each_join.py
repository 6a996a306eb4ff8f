# Wrong: reading one result after each join still joins the first worker before anything was read; if its report is large, it never ends.
"""Idea: join each worker, then read one result, in turn."""

import multiprocessing


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
    reports = {}
    for worker in workers:
        worker.join()
        index, report = results.get()
        reports[index] = report
    return [reports[index] for index in range(len(jobs))]
