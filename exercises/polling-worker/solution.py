"""A background worker that runs jobs stored through a database connection pool (reference fix).

The worker held the only connection while polling for a job, and storing a job needs a
connection: the producer could never get in (starvation), and the worker re-checked forever.
The worker now waits on a Condition with no connection held; submit() wakes it. Only once it
has a job does the worker take a connection to run it.
"""

import threading


class JobRunner:
    def __init__(self, connections=1):
        self._pool = threading.BoundedSemaphore(connections)
        self._pending = []
        self._has_jobs = threading.Condition()
        self.done = []

    def submit(self, job):
        """Store a job (this needs a connection)."""
        with self._pool:
            with self._has_jobs:
                self._pending.append(job)
                self._has_jobs.notify()

    def work_one(self):
        """Wait for the next job, then run it (this needs a connection)."""
        with self._has_jobs:
            while not self._pending:
                self._has_jobs.wait()
            job = self._pending.pop(0)
        with self._pool:
            self.done.append(job)
