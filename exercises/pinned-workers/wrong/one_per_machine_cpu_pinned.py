# Wrong: pinning is right, but os.cpu_count() counts the machine's CPUs: in a container that may use fewer, there are too many workers (and some are pinned to CPUs the process may not use).
"""Idea: start os.cpu_count() workers and pin worker i to CPU i."""

import multiprocessing
import os


def _pinned(cpu, worker_main, inbox):
    try:
        os.sched_setaffinity(0, {cpu})
    except OSError:
        pass
    worker_main(inbox)


def start_workers(worker_main, inbox):
    workers = [
        multiprocessing.Process(target=_pinned, args=(cpu, worker_main, inbox))
        for cpu in range(os.cpu_count())
    ]
    for worker in workers:
        worker.start()
    return workers
