# Wrong: giving the connection back between polls ends the starvation, but it is still polling: the worker wakes up on a timer, not when a job arrives.
"""A background worker that runs jobs stored through a database connection pool."""

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
        while True:
            with self._pool:
                if self._pending:
                    job = self._pending.pop(0)
                    self.done.append(job)
                    return
            time.sleep(0.05)
