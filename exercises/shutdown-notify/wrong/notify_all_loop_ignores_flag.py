# Wrong: notify_all() wakes the idle workers, but their while loop does not test the flag, so they sleep again.
"""Idea: notify_all in close, without testing the flag in the loop."""

import threading
from collections import deque


class JobQueue:
    def __init__(self):
        self._jobs = deque()
        self._cond = threading.Condition()
        self._closed = False

    def submit(self, job):
        with self._cond:
            if self._closed:
                raise RuntimeError("queue is closed")
            self._jobs.append(job)
            self._cond.notify()

    def next_job(self):
        with self._cond:
            if self._closed and not self._jobs:
                return None
            while not self._jobs:
                self._cond.wait()
            return self._jobs.popleft()

    def close(self):
        with self._cond:
            self._closed = True
            self._cond.notify_all()
