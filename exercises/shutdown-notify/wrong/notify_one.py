# Wrong: notify() in close() wakes a single idle worker; the others sleep forever.
"""Idea: notify only one waiter in close."""

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
            while not self._jobs and not self._closed:
                self._cond.wait()
            if self._jobs:
                return self._jobs.popleft()
            return None

    def close(self):
        with self._cond:
            self._closed = True
            self._cond.notify()
