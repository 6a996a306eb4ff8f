# Wrong: printing the traceback makes the error visible in a log, but the caller is still told the batch succeeded.
"""Idea: print the traceback of each failed job."""

import traceback
from concurrent.futures import ThreadPoolExecutor


class JobsFailed(Exception):
    def __init__(self, failures):
        super().__init__(f"{len(failures)} job(s) failed")
        self.failures = failures


def run_all(jobs, workers=4):
    results = [None] * len(jobs)

    def run(index, job):
        try:
            results[index] = job()
        except Exception:
            traceback.print_exc()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for index, job in enumerate(jobs):
            pool.submit(run, index, job)
    return results
