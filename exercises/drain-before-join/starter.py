"""Build reports in worker processes.

`build_all(jobs, build)` builds one report per job, each in a worker process
of its own (`build` is CPU-heavy, and is always a module-level function, so
it can be sent to the workers). The workers send `(index, report)` back to
the parent on a `multiprocessing.Queue`; the parent waits for the workers to
end, then collects the reports and returns them in the order of `jobs`.

What is wrong: with the test data (reports of a few bytes) everything works.
In production, where a report is a few hundred kilobytes, `build_all` never
returns, and the workers sit there at 0% CPU, long after building their
reports.

Fixed means: `build_all` returns every report, in the order of `jobs`,
whatever their size, and every worker process has ended when it returns.
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
    for worker in workers:
        worker.join()
    reports = dict(results.get() for _ in jobs)
    return [reports[index] for index in range(len(jobs))]
