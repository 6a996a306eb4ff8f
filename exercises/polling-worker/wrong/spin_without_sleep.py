# Wrong: checking under a lock without sleeping is still a busy-wait: it burns a CPU (and the GIL) while waiting.
"""Idea: check for jobs under the lock in a loop without sleeping."""

import threading


class JobRunner:
    def __init__(self, connections=1):
        self._pool = threading.BoundedSemaphore(connections)
        self._lock = threading.Lock()
        self._pending = []
        self.done = []

    def submit(self, job):
        with self._pool:
            with self._lock:
                self._pending.append(job)

    def work_one(self):
        while True:
            with self._lock:
                if self._pending:
                    job = self._pending.pop(0)
                    break
        with self._pool:
            self.done.append(job)
