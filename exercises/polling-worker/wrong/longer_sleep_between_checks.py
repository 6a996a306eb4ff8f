# Wrong: a longer sleep between checks burns less CPU but is still polling: the worker wakes on a timer, not when a job arrives, and each job waits up to a whole interval.
"""Idea: sleep longer between checks."""

import threading
import time


class JobRunner:
    def __init__(self, connections=1):
        self._pool = threading.BoundedSemaphore(connections)
        self._pending = []
        self.done = []

    def submit(self, job):
        with self._pool:
            self._pending.append(job)

    def work_one(self):
        while not self._pending:
            time.sleep(0.05)
        with self._pool:
            job = self._pending.pop(0)
            self.done.append(job)
