"""Hidden tests for lost-exceptions: no interleaving at stake, so plain threads are used.

Every job is waited for before anything is checked, so the outcome cannot depend on timing.
"""

import threading

import pytest

import submission


class Jobs:
    """Jobs that record that they ran; the ones at `failing` indexes raise."""

    def __init__(self, count, failing=()):
        self.ran = []
        self._lock = threading.Lock()
        self.errors = {index: ValueError(f"job {index} failed") for index in failing}
        self.jobs = [self._job(index) for index in range(count)]

    def _job(self, index):
        def job():
            with self._lock:
                self.ran.append(index)
            if index in self.errors:
                raise self.errors[index]
            return index * index
        return job


def test_results_come_back_in_order():
    batch = Jobs(6)
    assert submission.run_all(batch.jobs, workers=3) == [0, 1, 4, 9, 16, 25]


def test_failures_are_raised_with_the_original_exceptions():
    batch = Jobs(6, failing=(1, 4))
    with pytest.raises(submission.JobsFailed) as caught:
        submission.run_all(batch.jobs, workers=3)
    failures = caught.value.failures
    assert [index for index, _ in failures] == [1, 4]
    assert all(exc is batch.errors[index] for index, exc in failures)


def test_every_job_runs_even_when_one_fails_early():
    batch = Jobs(5, failing=(0,))
    with pytest.raises(submission.JobsFailed):
        submission.run_all(batch.jobs, workers=1)
    assert sorted(batch.ran) == [0, 1, 2, 3, 4], f"jobs that ran: {sorted(batch.ran)}"


def test_an_empty_batch():
    assert submission.run_all([], workers=2) == []
