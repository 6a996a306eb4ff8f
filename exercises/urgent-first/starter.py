"""A job dispatcher with two priorities.

Client threads call `dispatcher.submit(job, urgent=...)`, which returns the
job's arrival number (0, 1, 2, ... in the order jobs arrive). Worker threads
call `dispatcher.next_job()`, which waits while there is no job and returns
the next one: urgent jobs go before normal ones, and within a priority the
oldest goes first.

What is wrong: on busy days the nightly billing report, a normal job, is
never run. Urgent jobs arrive all day, and every time a worker asks for the
next job there is an urgent one waiting.

Fixed means: urgent jobs still go first, except that while a normal job is
waiting, at most `MAX_IN_A_ROW` urgent jobs are handed out in a row before
the oldest normal job gets its turn; within a priority, oldest first; and
`next_job()` waits, without polling, while there is no job at all.
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

    def submit(self, job, urgent=False):
        """Queue a job; return its arrival number."""
        with self._cond:
            number = self._arrivals
            self._arrivals += 1
            (self._urgent if urgent else self._normal).append(job)
            self._cond.notify()
            return number

    def next_job(self):
        """Wait for a job; return the urgent one first, else the oldest normal one."""
        with self._cond:
            while not self._urgent and not self._normal:
                self._cond.wait()
            if self._urgent:
                return self._urgent.popleft()
            return self._normal.popleft()
