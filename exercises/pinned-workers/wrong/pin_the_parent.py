# Wrong: pinning the parent before starting the workers puts every worker on that same CPU, since a child inherits its parent's affinity.
"""Idea: pin the parent process before starting the workers."""

import multiprocessing
import os


def start_workers(worker_main, inbox):
    cpus = sorted(os.sched_getaffinity(0))
    workers = []
    for cpu in cpus:
        os.sched_setaffinity(0, {cpu})
        workers.append(multiprocessing.Process(target=worker_main, args=(inbox,)))
    for worker in workers:
        worker.start()
    os.sched_setaffinity(0, cpus)
    return workers
