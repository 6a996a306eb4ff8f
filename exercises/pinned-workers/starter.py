"""Start one pinned worker process per CPU.

A trading service runs a CPU-heavy pricing loop in worker processes:
`start_workers(worker_main, inbox)` starts them, each running
`worker_main(inbox)`, and returns the list of started
`multiprocessing.Process` objects. For steady latency each worker must stay
on a CPU of its own, so that the OS never moves it between cores. (Linux:
`os.sched_getaffinity` and `os.sched_setaffinity`.)

What is wrong: in production the service runs in a container that may use 2
of the host's 64 CPUs. It starts 64 workers that fight over those 2 CPUs,
and none of them is pinned anywhere: the OS moves them around all the time.

Fixed means: one worker per CPU that this process may use (no more, no
less), each worker pinned to exactly one of those CPUs, no two workers on
the same CPU; the pinning happens in the worker, before `worker_main` runs.
"""

import multiprocessing
import os


def start_workers(worker_main, inbox):
    """Start one worker per CPU, each running worker_main(inbox); return them."""
    workers = [
        multiprocessing.Process(target=worker_main, args=(inbox,))
        for _ in range(os.cpu_count())
    ]
    for worker in workers:
        worker.start()
    return workers
