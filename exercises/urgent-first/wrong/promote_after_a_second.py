# Wrong: promoting a normal job after it has waited a second ties fairness to the clock: jobs handed out faster than that still starve it.
"""Idea: promote a normal job once it has waited for a second."""

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
            if urgent:
                self._urgent.append(job)
            else:
                self._normal.append((time.monotonic(), job))
            self._cond.notify()
            return number

    def next_job(self):
        with self._cond:
            while not self._urgent and not self._normal:
                self._cond.wait()
            if self._normal and (
                not self._urgent or time.monotonic() - self._normal[0][0] >= 1.0
            ):
                return self._normal.popleft()[1]
            return self._urgent.popleft()
