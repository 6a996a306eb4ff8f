"""A job dispatcher with two priorities (reference fix).

Strict priority starves normal jobs as long as urgent ones keep arriving.
Counting the urgent jobs handed out in a row while a normal job waits, and
serving the oldest normal job when the count reaches MAX_IN_A_ROW, bounds
how long a normal job can wait: urgent work still goes first, but the normal
queue is guaranteed a turn.
"""

import threading
from collections import deque

MAX_IN_A_ROW = 3


class Dispatcher:
    def __init__(self):
        self._cond = threading.Condition()
        self._urgent = deque()
        self._normal = deque()
        self._arrivals = 0
        self._urgent_in_a_row = 0

    def submit(self, job, urgent=False):
        """Queue a job; return its arrival number."""
        with self._cond:
            number = self._arrivals
            self._arrivals += 1
            (self._urgent if urgent else self._normal).append(job)
            self._cond.notify()
            return number

    def next_job(self):
        """Wait for a job; urgent first, but a waiting normal job gets every few turns."""
        with self._cond:
            while not self._urgent and not self._normal:
                self._cond.wait()
            if self._normal and (not self._urgent or self._urgent_in_a_row >= MAX_IN_A_ROW):
                self._urgent_in_a_row = 0
                return self._normal.popleft()
            if self._normal:
                self._urgent_in_a_row += 1
            return self._urgent.popleft()
