# Wrong: locking start() and finish() keeps the moves apart, but status() and count() still read without the lock and can see a job in the middle of a move.
"""Idea: lock only start and finish."""

import threading


class JobBoard:
    def __init__(self, job_ids=()):
        self.queued = {job_id: {"id": job_id} for job_id in job_ids}
        self.running = {}
        self.done = {}
        self._lock = threading.Lock()

    def start(self, job_id):
        with self._lock:
            job = self.queued.pop(job_id)
            self.running[job_id] = job

    def finish(self, job_id):
        with self._lock:
            job = self.running.pop(job_id)
            self.done[job_id] = job

    def status(self, job_id):
        if job_id in self.queued:
            return "queued"
        if job_id in self.running:
            return "running"
        if job_id in self.done:
            return "done"
        return "unknown"

    def count(self):
        return len(self.queued) + len(self.running) + len(self.done)
