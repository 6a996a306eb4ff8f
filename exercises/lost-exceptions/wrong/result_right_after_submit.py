# Wrong: calling result() right after each submit raises on the first failure, so later jobs never run (and the jobs run one at a time).
"""Idea: call result right after each submit."""

from concurrent.futures import ThreadPoolExecutor


class JobsFailed(Exception):
    def __init__(self, failures):
        super().__init__(f"{len(failures)} job(s) failed")
        self.failures = failures


def run_all(jobs, workers=4):
    results = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for index, job in enumerate(jobs):
            try:
                results.append(pool.submit(job).result())
            except Exception as exc:
                raise JobsFailed([(index, exc)]) from exc
    return results
