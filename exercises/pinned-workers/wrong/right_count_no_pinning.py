# Wrong: one worker per usable CPU stops the oversubscription, but no worker is pinned, so the OS still moves them between cores.
"""Idea: start one worker per CPU in os.sched_getaffinity(0)."""

import multiprocessing
import os


def start_workers(worker_main, inbox):
    workers = [
        multiprocessing.Process(target=worker_main, args=(inbox,))
        for _ in os.sched_getaffinity(0)
    ]
    for worker in workers:
        worker.start()
    return workers
