"""Run a batch of jobs on a thread pool and collect their results.

`run_all(jobs, workers)` runs every job (a function taking no arguments) on
a `ThreadPoolExecutor` and returns the list of their return values, in the
order of `jobs`.

What is wrong: last night's batch "succeeded" although half the thumbnails
were never made. When a job raises, nothing is reported: its result silently
comes back as None.

Fixed means: every job still runs, even if some fail; if none fails,
`run_all` returns the results in order; if any fails, it raises
`JobsFailed`, whose `failures` attribute lists `(index, exception)` for
every failed job, in order of index, with the original exceptions.
"""

from concurrent.futures import ThreadPoolExecutor


class JobsFailed(Exception):
    def __init__(self, failures):
        super().__init__(f"{len(failures)} job(s) failed")
        self.failures = failures


def run_all(jobs, workers=4):
    """Run every job on a thread pool; return their results in order."""
    results = [None] * len(jobs)

    def run(index, job):
        results[index] = job()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for index, job in enumerate(jobs):
            pool.submit(run, index, job)
    return results
