"""Run a batch of independent jobs on a thread pool and collect their
results (reference fix).

An exception raised by a job submitted to an executor is stored in its
Future and re-raised only by future.result(); if nobody asks, it is lost
without a trace. Keep every future, wait for all of them, and turn the
stored exceptions into one error that lists them all.
"""

from concurrent.futures import ThreadPoolExecutor


class JobsFailed(Exception):
    def __init__(self, failures):
        super().__init__(f"{len(failures)} job(s) failed")
        self.failures = failures


def run_all(jobs, workers=4):
    """Run every job on a thread pool; return their results in order."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(job) for job in jobs]
    results = []
    failures = []
    for index, future in enumerate(futures):
        try:
            results.append(future.result())
        except Exception as exc:
            failures.append((index, exc))
    if failures:
        raise JobsFailed(failures)
    return results
