"""A job board for a build farm: which builds are queued, running or done
(reference fix).

Each dict operation is atomic, but a move takes two of them, and in between
the job is in neither dict. The invariant ("every job is in exactly one
dict") spans the dicts, so one lock must cover each whole move and each read
that relies on the invariant.
"""

import threading


class JobBoard:
    def __init__(self, job_ids=()):
        self.queued = {job_id: {"id": job_id} for job_id in job_ids}
        self.running = {}
        self.done = {}
        self._lock = threading.Lock()

    def start(self, job_id):
        """An agent picked the job up: move it from queued to running."""
        with self._lock:
            job = self.queued.pop(job_id)
            self.running[job_id] = job

    def finish(self, job_id):
        """The build is done: move the job from running to done."""
        with self._lock:
            job = self.running.pop(job_id)
            self.done[job_id] = job

    def status(self, job_id):
        """'queued', 'running', 'done', or 'unknown' for a job that is not on the board."""
        with self._lock:
            if job_id in self.queued:
                return "queued"
            if job_id in self.running:
                return "running"
            if job_id in self.done:
                return "done"
            return "unknown"

    def count(self):
        """How many jobs are on the board, whatever their state."""
        with self._lock:
            return len(self.queued) + len(self.running) + len(self.done)
