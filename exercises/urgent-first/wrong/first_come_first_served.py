# Wrong: one queue in arrival order cannot starve anyone, but urgent jobs no longer go first: they wait behind every normal job.
"""Idea: serve every job in the order it arrived."""

import threading
from collections import deque

MAX_IN_A_ROW = 3


class Dispatcher:
    def __init__(self):
        self._cond = threading.Condition()
        self._jobs = deque()
        self._arrivals = 0

    def submit(self, job, urgent=False):
        with self._cond:
            number = self._arrivals
            self._arrivals += 1
            self._jobs.append(job)
            self._cond.notify()
            return number

    def next_job(self):
        with self._cond:
            while not self._jobs:
                self._cond.wait()
            return self._jobs.popleft()
