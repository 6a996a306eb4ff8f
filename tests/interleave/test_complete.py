"""Complete verdicts (issue 18): bugs that need three thread switches are found on every seed,
correct code is proved over every interleaving, and the budget is counted in schedules."""

from __future__ import annotations

import threading

import pytest
import seeded

from tutor.interleave import InterleavingFailure, explore
from tutor.interleave._explore import DEFAULT_MAX_STEPS, Session, _order_key
from tutor.interleave._strategy import BoundedSearch

pytestmark = pytest.mark.usefixtures("clean_process")


class JobQueue:
    """An instructor's wrong fix: ``get()`` clears the ready Event under a lock ``put()`` skips."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []
        self.ready = threading.Event()
        self.done = []

    def put(self, item):
        self.items.append(item)  # not under self.lock
        self.ready.set()

    def get(self):
        while True:
            self.ready.wait()
            with self.lock:
                if self.items:
                    item = self.items.pop(0)
                    if not self.items:
                        self.ready.clear()  # "empty now": put() may just have added one
                    return item


class FixedJobQueue(JobQueue):
    def put(self, item):
        with self.lock:
            self.items.append(item)
            self.ready.set()


def producer(q):
    q.put(1)
    q.put(2)


def worker(q):
    q.done.append(q.get())


def all_done(q):
    assert sorted(q.done) == [1, 2], q.done


def _bounded_finds(setup, bound: int) -> bool:
    """Does every schedule with at most ``bound`` departures include a failing one?"""
    with Session(setup, [producer, worker, worker], all_done, DEFAULT_MAX_STEPS) as session:
        search = BoundedSearch(bound, _order_key(0))
        while search.next_schedule():
            run = session.run(search, float("inf"))
            search.finished()
            if run.failure is not None:
                return True
    return False


def test_the_job_queue_bug_needs_three_switches():
    assert not _bounded_finds(JobQueue, 2)  # what explore used to stop at, with a pass


@pytest.mark.parametrize("seed", range(10))
def test_the_job_queue_bug_is_found_on_every_seed(seed):
    with pytest.raises(InterleavingFailure) as info:
        explore(JobQueue, [producer, worker, worker], all_done, seed=seed)
    assert info.value.kind == "deadlock"
    assert info.value.schedule.count(">") >= 3  # at least three departures from the default


def test_the_fixed_job_queue_is_proved():
    report = explore(FixedJobQueue, [producer, worker, worker], all_done, max_schedules=5000)
    assert report.complete and report.traces >= 2
    assert str(report) == f"proved: all {report.traces} interleavings checked"


def test_a_condition_with_several_waiters_is_proved():
    setup, threads, check, _ = seeded.FIXED["if_not_while"]  # 2 consumers wait, 1 producer
    report = explore(setup, threads, check, max_schedules=5000)
    assert report.complete, report


def test_code_that_polls_cannot_be_proved_and_says_what_it_covered():
    setup, threads, check, _ = seeded.FIXED["writer_starvation"]  # readers poll with sleeps
    report = explore(setup, threads, check, max_schedules=120)
    assert not report.complete and report.schedules == 120
    assert str(report).startswith("checked 120 schedules (all with up to ")
