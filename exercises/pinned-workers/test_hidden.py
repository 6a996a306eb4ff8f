"""Hidden tests for pinned-workers: how many workers, and on which CPUs.

No timing: each worker reports, from its own process, its PID and the CPUs it may run on
when worker_main starts. The test restricts its own process to fewer CPUs than the machine
has (as a container does) and restores them afterwards. Linux only (os.sched_setaffinity).
"""

import multiprocessing
import os

import pytest

import submission

MARGIN_S = 60.0

pytestmark = pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity"), reason="needs os.sched_setaffinity (Linux)"
)


def report_where_i_run(inbox):
    inbox.put((os.getpid(), sorted(os.sched_getaffinity(0))))


@pytest.fixture
def allowed():
    """The CPUs the test may use; restored after the test."""
    cpus = os.sched_getaffinity(0)
    yield sorted(cpus)
    os.sched_setaffinity(0, cpus)


def _start_and_collect():
    inbox = multiprocessing.Queue()
    workers = submission.start_workers(report_where_i_run, inbox)
    try:
        reports = [inbox.get(timeout=MARGIN_S) for _ in workers]
    finally:
        for worker in workers:
            worker.join(MARGIN_S)
            if worker.is_alive():
                worker.kill()
    return workers, reports


def _check(usable, workers, reports):
    assert len(workers) == len(usable), (
        f"{len(workers)} workers for {len(usable)} usable CPU(s) (os.cpu_count() is "
        f"{os.cpu_count()})"
    )
    assert sorted(pid for pid, _ in reports) == sorted(w.pid for w in workers)
    for pid, cpus in reports:
        assert len(cpus) == 1, f"worker {pid} may run on CPUs {cpus}: it is not pinned"
        assert set(cpus) <= set(usable), f"worker {pid} runs on CPU {cpus}, not a usable one"
    pinned = [cpus[0] for _, cpus in reports]
    assert len(set(pinned)) == len(pinned), f"two workers share a CPU: {sorted(pinned)}"


def test_one_pinned_worker_per_usable_cpu(allowed):
    workers, reports = _start_and_collect()
    _check(allowed, workers, reports)


def test_in_a_container_with_fewer_cpus(allowed):
    usable = allowed[-1:]  # one CPU, like a container or `taskset -c`
    os.sched_setaffinity(0, usable)
    workers, reports = _start_and_collect()
    _check(usable, workers, reports)
