"""A job queue whose worker threads must stop when the queue is closed
(reference fix).

A waiting worker wakes only when notified, and then re-checks its loop
condition. close() changed state without notifying anyone, and the loop did
not test that state. The fix: the loop waits while there is no job *and* the
queue is open; close() sets the flag under the condition's lock and calls
notify_all(), because every idle worker must see it, not just one.
"""

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
        """The next job; blocks while there is none; None once closed and drained."""
        with self._cond:
            while not self._jobs and not self._closed:
                self._cond.wait()
            if self._jobs:
                return self._jobs.popleft()
            return None

    def close(self):
        """No more jobs: workers drain the queue, then next_job() returns None."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
