"""A background worker that runs jobs stored through a database connection
pool (reference fix).

The worker re-checked for jobs in a loop: a busy-wait that stays runnable,
so it competes for the CPU and the GIL with the threads doing real work
(time.sleep(0) only offers to switch). The worker now blocks on a Condition
until submit() notifies it, holding no connection while it waits; only once
it has a job does it take a connection to run it.
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
