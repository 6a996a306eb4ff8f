# Wrong: a pause before reading only changes when the status page looks; a move can still be half done at that moment.
"""Idea: sleep a moment before reading the board."""

import time


class JobBoard:
    def __init__(self, job_ids=()):
        self.queued = {job_id: {"id": job_id} for job_id in job_ids}
        self.running = {}
        self.done = {}

    def start(self, job_id):
        job = self.queued.pop(job_id)
        self.running[job_id] = job

    def finish(self, job_id):
        job = self.running.pop(job_id)
        self.done[job_id] = job

    def status(self, job_id):
        time.sleep(0.01)
        if job_id in self.queued:
            return "queued"
        if job_id in self.running:
            return "running"
        if job_id in self.done:
            return "done"
        return "unknown"

    def count(self):
        time.sleep(0.01)
        return len(self.queued) + len(self.running) + len(self.done)
