# Wrong: waiting on a Condition is right, but the worker still holds the only connection while it waits, so submit() can never store the job.
"""Idea: wait on a condition while holding the connection."""

import threading


class JobRunner:
    def __init__(self, connections=1):
        self._pool = threading.BoundedSemaphore(connections)
        self._pending = []
        self._has_jobs = threading.Condition()
        self.done = []

    def submit(self, job):
        with self._pool:
            with self._has_jobs:
                self._pending.append(job)
                self._has_jobs.notify()

    def work_one(self):
        with self._pool:
            with self._has_jobs:
                while not self._pending:
                    self._has_jobs.wait()
                job = self._pending.pop(0)
            self.done.append(job)
