# Wrong: pausing after each urgent job only slows the stream down; while one is waiting, the normal job still never gets picked.
"""Idea: sleep briefly after handing out an urgent job."""

import threading
import time
from collections import deque

MAX_IN_A_ROW = 3


class Dispatcher:
    def __init__(self):
        self._cond = threading.Condition()
        self._urgent = deque()
        self._normal = deque()
        self._arrivals = 0

    def submit(self, job, urgent=False):
        with self._cond:
            number = self._arrivals
            self._arrivals += 1
            (self._urgent if urgent else self._normal).append(job)
            self._cond.notify()
            return number

    def next_job(self):
        with self._cond:
            while not self._urgent and not self._normal:
                self._cond.wait()
            if self._urgent:
                job = self._urgent.popleft()
            else:
                return self._normal.popleft()
        time.sleep(0.01)
        return job
