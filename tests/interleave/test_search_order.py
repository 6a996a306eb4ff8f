"""The order of ``explore``'s search (issue 18): the default schedule first, without the
reduction's bookkeeping; random walks once the 1-preemption level is done; the bookkeeping off
for a schedule that fairness shaped. None of it may cost a proof or change a verdict."""

from __future__ import annotations

import time

import pytest
import seeded

from tutor.interleave import InterleavingFailure, _dpor, explore

pytestmark = pytest.mark.usefixtures("clean_process")


def _run(name, table, **limits):
    setup, threads, check, _ = table[name]
    return explore(setup, threads, check, minimize=False, **limits)


def test_a_bug_on_the_default_schedule_is_found_by_the_first_run():
    with pytest.raises(InterleavingFailure) as caught:
        _run("self_deadlock", seeded.BUGGY)
    report = caught.value.report
    assert report.schedules == 1 and report.strategies == {"default": 1}
    assert caught.value.schedule == "v1:"


@pytest.mark.parametrize("name", ["lost_update", "lazy_init", "notify_before_wait"])
def test_the_rerun_of_the_default_schedule_is_not_counted(name):
    # the reduction's first schedule repeats the default one: one schedule, two runs
    report = _run(name, seeded.FIXED)
    assert report.complete
    assert report.schedules == report.traces > 1
    assert report.strategies["default"] == 1
    assert report.strategies["dpor"] == report.traces - 1


def test_the_rerun_fits_a_budget_of_one_schedule():
    # two threads that share nothing: one interleaving, proved within one schedule
    def setup():
        return {}

    def alone(_):
        x = [1]
        x.append(2)

    report = explore(setup, [alone, alone], max_schedules=1)
    assert report.complete and report.schedules == 1 and report.traces == 1


def test_a_single_thread_needs_no_reduction():
    report = explore(list, [lambda out: out.append(1)])
    assert report.complete and report.schedules == report.traces == 1
    assert report.strategies == {"default": 1}


def test_early_walks_find_the_two_waiter_mailbox_and_keep_the_proof():
    # the bug needs two preemptions: behind 47 reduction schedules, found by a walk first on
    # most seeds (a walk finds it with a few percent chance; the 30 walks may all miss)
    found = []
    for seed in range(10):
        with pytest.raises(InterleavingFailure) as caught:
            _run("if_not_while", seeded.BUGGY, seed=seed)
        found.append(caught.value.report.schedules)
        assert caught.value.report.strategies.get("random", 0) > 0
    assert sorted(found)[len(found) // 2] < 47, found
    assert sum(n < 47 for n in found) >= 5, found
    # the fix: the same proof as without the walks (469 interleavings), plus the 30 walks
    report = _run("if_not_while", seeded.FIXED, max_schedules=5000)
    assert report.complete and report.traces == 469
    assert report.strategies["random"] == 30


def test_no_walks_when_the_reduction_has_few_alternatives_left():
    report = _run("lazy_init", seeded.FIXED)
    assert report.complete and "random" not in report.strategies


class _Counter:
    def __init__(self):
        self.n = 0


def _count(s):
    for _ in range(300):
        s.n += 1


def _poll(s):
    while s.n < 300:
        time.sleep(0.001)  # polls: fairness lets the counter run meanwhile


def test_the_bookkeeping_stops_once_fairness_shaped_the_schedule(monkeypatch):
    states = []
    real = _dpor.RunState.__init__

    def keep(self, dpor):
        real(self, dpor)
        states.append(self)

    monkeypatch.setattr(_dpor.RunState, "__init__", keep)
    report = explore(_Counter, [_poll, _count], lambda s: None, max_schedules=3,
                     minimize=False)
    assert not report.complete  # polling: the clock and fairness shaped the schedules
    assert report.steps > 3 * 600
    assert len(states) == 1 and states[0].fair
    # the reduction's schedule ran 600-odd steps, but its events stop once fairness stepped in
    assert len(states[0].events) < 50, len(states[0].events)
