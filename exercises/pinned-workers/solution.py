"""Start one pinned worker process per CPU (reference fix).

os.cpu_count() is the machine's CPU count; the CPUs this process may run on
are os.sched_getaffinity(0), which a container or taskset restricts. One
worker per usable CPU avoids oversubscription, and each worker pins itself
to its CPU with os.sched_setaffinity(0, {cpu}) in its own process, before
its main loop starts.
"""

import multiprocessing
import os


def _pinned(cpu, worker_main, inbox):
    os.sched_setaffinity(0, {cpu})
    worker_main(inbox)


def start_workers(worker_main, inbox):
    """Start one worker per CPU, each running worker_main(inbox); return them."""
    workers = [
        multiprocessing.Process(target=_pinned, args=(cpu, worker_main, inbox))
        for cpu in sorted(os.sched_getaffinity(0))
    ]
    for worker in workers:
        worker.start()
    return workers
