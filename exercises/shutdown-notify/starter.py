"""A job queue whose worker threads must stop when the queue is closed.

A thumbnail service runs a few worker threads. Each worker loops: `while
(job := queue.next_job()) is not None: job()`. `submit(job)` adds work;
`close()` says no more jobs will come: workers finish the jobs already
queued and then `next_job()` returns None.

What is wrong: the service never exits on shutdown. The last jobs were done,
but the worker threads are still sleeping inside `next_job()`.

Fixed means: after `close()`, every worker gets every queued job exactly
once and then None, whether it was idle or busy when close() was called;
`submit()` after `close()` raises `RuntimeError`.
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
            while not self._jobs:
                self._cond.wait()
            return self._jobs.popleft()

    def close(self):
        """No more jobs: workers drain the queue, then next_job() returns None."""
        self._closed = True
