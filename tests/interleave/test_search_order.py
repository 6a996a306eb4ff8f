"""The order of ``explore``'s search (issue 18): the default schedule first, without the
reduction's bookkeeping; random walks once the 1-preemption level is done; the bookkeeping off
for a schedule that fairness shaped. None of it may cost a proof or change a verdict."""

from __future__ import annotations

import threading
import time
import types

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


def test_the_two_waiter_mailbox_is_found_and_proved_by_the_reduction_alone():
    # a consumer woken from its wait races the other consumer for the lock: the race between
    # their acquires is reversed like any other, so the stolen item is found within the
    # reduction's first few schedules on every seed, before any walk (it took 47 when a
    # release and a notify raced with every thread waiting for them)
    for seed in range(10):
        with pytest.raises(InterleavingFailure) as caught:
            _run("if_not_while", seeded.BUGGY, seed=seed)
        report = caught.value.report
        assert report.schedules <= 10, (seed, report)
        assert "random" not in report.strategies
    # the fix: proved in 26 interleavings on 3.11-3.15 (it was 469). Its critical sections can
    # be ordered 24 ways (both consumers take the lock and wait or not, the producer takes it
    # twice: counted in the test below)
    report = _run("if_not_while", seeded.FIXED, max_schedules=5000)
    assert report.complete and report.traces == 26, report


def _philosophers(n, ordered):
    def setup():
        return types.SimpleNamespace(forks=[threading.Lock() for _ in range(n)])

    def diner(i):
        first, second = i, (i + 1) % n
        if ordered:
            first, second = min(first, second), max(first, second)

        def eat(s):
            with s.forks[first]:
                with s.forks[second]:
                    pass

        return eat

    return setup, [diner(i) for i in range(n)]


def test_early_walks_find_five_philosophers_each_holding_a_fork_and_keep_the_proof():
    # the deadlock needs every philosopher to have taken its first fork: the reduction's
    # 2-preemption level is large, and the walks that run before it find it first
    dpor_runs = set()
    for seed in range(5):
        setup, diners = _philosophers(5, ordered=False)
        with pytest.raises(InterleavingFailure) as caught:
            explore(setup, diners, None, minimize=False, seed=seed)
        assert caught.value.kind == "deadlock"
        strategies = caught.value.report.strategies
        assert 1 <= strategies.get("random", 0) <= 30, strategies
        dpor_runs.add(strategies["dpor"])
    assert len(dpor_runs) == 1  # every seed: the whole 1-preemption level, then a walk found it
    setup, diners = _philosophers(5, ordered=True)
    report = explore(setup, diners, None, minimize=False, max_schedules=5000)
    assert report.complete


def test_the_mailbox_orders_counted_by_hand():
    # the 24 of the test above: every order in which the critical sections can take the lock
    def orders(pcs, items, waiters):
        nexts = []
        for t in (0, 1):  # consumers: 0 wants the lock, 1 waits, 2 woken, 3 done
            if pcs[t] in (0, 2):
                if items:
                    nexts.append((pcs[:t] + (3,) + pcs[t + 1:], items - 1, waiters))
                else:
                    nexts.append((pcs[:t] + (1,) + pcs[t + 1:], items, waiters + (t,)))
        if pcs[2] < 2:  # the producer: two sections, each adds an item and notifies one
            woken = list(pcs[:2]) + [pcs[2] + 1]
            if waiters:
                woken[waiters[0]] = 2
            nexts.append((tuple(woken), items + 1, waiters[1:]))
        return sum(orders(*n) for n in nexts) if nexts else 1

    assert orders((0, 0, 0), 0, ()) == 24


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
