"""A background worker that runs jobs stored through a database connection
pool.

Web requests call `runner.submit(job)`, which takes a connection from the
pool to store the job. A worker thread loops on `runner.work_one()`: wait
until there is a job, then take it and run it with a connection, and record
it in `done`. The pool is small (`connections`, one by default): connections
are expensive.

What is wrong: when there is no work, the worker keeps one CPU core at 100%,
and every web request in the same process gets slower: the idle worker
competes with them for the CPU and the GIL all the time.

Fixed means: however the threads interleave, every submitted job is run
exactly once; a waiting worker holds no connection and sleeps until
`submit()` wakes it: it does not keep re-checking, with or without short
sleeps.
"""

import threading
import time


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
        while not self._pending:
            time.sleep(0)  # give the other threads a turn
        with self._pool:
            job = self._pending.pop(0)
            self.done.append(job)
