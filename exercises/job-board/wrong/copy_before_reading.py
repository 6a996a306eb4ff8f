# Wrong: copying the dicts gives the reader private copies, but the three copies are taken at different moments, so a job moved in between is still missed (or counted twice).
"""Idea: copy the dicts first and read the copies."""


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

    def _snapshot(self):
        return dict(self.queued), dict(self.running), dict(self.done)

    def status(self, job_id):
        queued, running, done = self._snapshot()
        if job_id in queued:
            return "queued"
        if job_id in running:
            return "running"
        if job_id in done:
            return "done"
        return "unknown"

    def count(self):
        queued, running, done = self._snapshot()
        return len(queued) + len(running) + len(done)
