"""A job board for a build farm: which builds are queued, running or done.

Build agents call `start(job_id)` when they pick a job up and
`finish(job_id)` when it is built. The farm's status page calls
`status(job_id)` and `count()` from its own threads. Every dict operation
used here is atomic in CPython: the GIL guarantees that a `pop()` or a store
is never seen half done.

What is wrong: now and then the status page shows a build as "unknown",
although it was queued long ago and is being built right now, and the count
of jobs on the board dips by one for a moment.

Fixed means: however the threads interleave, `status()` reports every job
that is on the board as "queued", "running" or "done" (never "unknown"), and
`count()` is always the number of jobs on the board, each counted once.
"""


class JobBoard:
    def __init__(self, job_ids=()):
        self.queued = {job_id: {"id": job_id} for job_id in job_ids}
        self.running = {}
        self.done = {}

    def start(self, job_id):
        """An agent picked the job up: move it from queued to running."""
        job = self.queued.pop(job_id)
        self.running[job_id] = job

    def finish(self, job_id):
        """The build is done: move the job from running to done."""
        job = self.running.pop(job_id)
        self.done[job_id] = job

    def status(self, job_id):
        """'queued', 'running', 'done', or 'unknown' for a job that is not on the board."""
        if job_id in self.queued:
            return "queued"
        if job_id in self.running:
            return "running"
        if job_id in self.done:
            return "done"
        return "unknown"

    def count(self):
        """How many jobs are on the board, whatever their state."""
        return len(self.queued) + len(self.running) + len(self.done)
