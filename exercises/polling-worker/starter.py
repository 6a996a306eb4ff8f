"""A background worker that runs jobs stored through a database connection pool.

Web requests call `runner.submit(job)`, which needs a connection from the pool to store the
job. A worker thread loops on `runner.work_one()`: take the next job (waiting until there is
one), run it with a connection, record it in `done`. The pool is small (`connections`, one by
default): connections are expensive.

What is wrong: if the worker starts waiting before any job was submitted, the service hangs:
requests block in `submit()` and the worker polls forever.

Fixed means: however the threads interleave, every submitted job is run exactly once; a waiting
worker holds no connection, sleeps until a job arrives instead of polling, and is woken by
`submit()`.
"""

import threading


class JobRunner:
    def __init__(self, connections=1):
        self._pool = threading.BoundedSemaphore(connections)
        self._pending = []
        self.done = []

    def submit(self, job):
        """Store a job (this needs a connection)."""
        with self._pool:
            self._pending.append(job)

    def work_one(self):
        """Wait for the next job, then run it (this needs a connection)."""
        with self._pool:
            while not self._pending:
                continue  # check again until a job shows up
            job = self._pending.pop(0)
            self.done.append(job)
