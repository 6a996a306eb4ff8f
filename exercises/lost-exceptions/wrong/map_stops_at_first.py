# Wrong: pool.map re-raises only the first exception it meets; the other failures are lost.
"""Idea: use pool.map and let it raise."""

from concurrent.futures import ThreadPoolExecutor


class JobsFailed(Exception):
    def __init__(self, failures):
        super().__init__(f"{len(failures)} job(s) failed")
        self.failures = failures


def run_all(jobs, workers=4):
    results = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        try:
            for result in pool.map(lambda job: job(), jobs):
                results.append(result)
        except Exception as exc:
            raise JobsFailed([(len(results), exc)]) from exc
    return results
