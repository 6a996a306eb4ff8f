"""Each explanation pattern, from a seeded program that has exactly that bug (issue 14)."""

from __future__ import annotations

import json
import threading
import time
from types import SimpleNamespace as NS

import pytest
import seeded

from tutor.interleave import InterleavingFailure, explore
from tutor.interleave._failure import DICT_KEYS
from tutor.interleave._types import PATTERNS

pytestmark = pytest.mark.usefixtures("clean_process")


def _explain(setup, threads, check=None, **kw) -> InterleavingFailure:
    with pytest.raises(InterleavingFailure) as info:
        explore(setup, threads, check, max_steps=3000, **kw)
    exc = info.value
    assert exc.explanation is not None, str(exc)
    assert exc.explanation["pattern"] in PATTERNS
    return exc


def _seeded(name: str) -> InterleavingFailure:
    setup, threads, check, _ = seeded.BUGGY[name]
    return _explain(setup, threads, check)


def test_lost_update_names_both_threads_the_location_and_the_values():
    exc = _seeded("lost_update")
    x = exc.explanation
    assert x["pattern"] == "lost-update" and x["location"] == "s.n"
    import re

    found = re.match(r"T1 and T2 both read `s.n` as (\d) and both wrote (\d): one update", x[
        "summary"])
    assert found and int(found[2]) == int(found[1]) + 1, x["summary"]
    assert {(a["thread"], a["op"]) for a in x["accesses"]} == {
        ("T1", "read"), ("T2", "read"), ("T1", "write"), ("T2", "write")}
    assert x["line"] == next(a["line"] for a in x["accesses"])
    conflict = [s for s in exc.timeline if s.get("conflict")]
    assert conflict and all(s["accesses"] for s in conflict)  # marked, with their values


def test_check_then_act():
    x = _seeded("check_then_act").explanation
    assert x["pattern"] == "check-then-act" and x["location"] == "s.balance"
    assert "T1 checked `s.balance` (100), then T2 changed it to 40" in x["summary"]


def test_lazy_initialisation_is_check_then_act():
    x = _seeded("lazy_init").explanation
    assert x["pattern"] == "check-then-act" and x["location"] == "s.instance"
    assert "(None)" in x["summary"]


def test_unprotected_invariant():
    def setup():
        return NS(low=0, high=10, seen=[])

    def mover(s):
        s.low = 5  # the pair (low, high) must always differ by 10...
        s.high = 15

    def reader(s):
        s.seen.append(s.high - s.low)

    def check(s):
        assert s.seen == [10], f"the reader saw a width of {s.seen}"

    x = _explain(setup, [mover, reader], check).explanation
    assert x["pattern"] == "unprotected-invariant", x
    assert x["location"] in ("s.high", "s.low")
    assert "T2 read" in x["summary"] and "T1" in x["summary"]


def test_deadlock_names_the_cycle():
    x = _seeded("lock_order_deadlock").explanation
    assert x["pattern"] == "deadlock" and x["location"] == "s.b"
    assert x["summary"] == ("T1 holds `s.a` and waits for `s.b`; T2 holds `s.b` and waits for "
                            "`s.a`: each waits for the other, forever.")


def test_deadlock_through_a_semaphore_names_its_holder():
    x = _seeded("semaphore_under_mutex").explanation
    assert x["pattern"] == "deadlock"
    assert "holds `s.slots`" in x["summary"] and "holds `s.mutex`" in x["summary"]


def test_lost_wakeup():
    x = _seeded("notify_before_wait").explanation
    assert x["pattern"] == "lost-wakeup" and x["location"] == "s.cond"
    assert "before T1 waited on it" in x["summary"]


def test_wait_without_recheck():
    x = _seeded("if_not_while").explanation
    assert x["pattern"] == "wait-without-recheck" and x["location"] == "s.items"
    assert "was woken from `s.cond.wait()`" in x["summary"] and "changed `s.items` to []" in (
        x["summary"])


def test_busy_wait():
    x = _seeded("busy_wait_forever").explanation
    assert x["pattern"] == "busy-wait" and x["location"] == "s.ready"
    assert "keeps re-reading `s.ready` (False)" in x["summary"]


def test_starvation():
    def setup():
        return NS(lock=threading.Lock(), turns=0)

    def greedy(s):
        while True:  # always takes the lock back first; never waits
            with s.lock:
                s.turns += 1

    def polite(s):
        with s.lock:
            pass

    x = _explain(setup, [greedy, polite]).explanation
    assert x["pattern"] in ("starvation", "busy-wait")


class _Slots:
    """Hands out ``count`` slots at once; a newcomer may overtake a waiting caller (the bug)."""

    def __init__(self, free):
        self.free = free
        self.cond = threading.Condition()

    def take(self, count):
        with self.cond:
            while self.free < count:
                self.cond.wait()
            self.free -= count

    def give(self, count):
        with self.cond:
            self.free += count
            self.cond.notify_all()


def test_a_newcomer_overtaking_a_waiter_is_starvation():
    def setup():
        s = NS(slots=_Slots(2), order=[], arrived_while_waiting=False)
        s.slots.take(1)  # one slot is busy at the start
        return s

    def big(s):
        s.slots.take(2)
        s.order.append("big")
        s.slots.give(2)

    def small(s):
        with s.slots.cond:
            s.arrived_while_waiting = s.slots.free < 2
        s.slots.take(1)
        s.order.append("small")
        s.slots.give(1)

    def busy_ends(s):
        s.slots.give(1)

    def check(s):
        if s.arrived_while_waiting and s.order[0] == "small":
            raise AssertionError("the small request overtook the big one")

    exc = _explain(setup, [big, small, busy_ends], check)
    x = exc.explanation
    assert x["pattern"] == "starvation" and x["location"] == "self.free", x
    assert x["summary"].startswith("T1 checked `self.free` (1) and waited; T2 arrived later"), x
    assert x["summary"].endswith("so T1 starves."), x
    assert {(a["thread"], a["op"]) for a in x["accesses"]} == {
        ("T1", "read"), ("T2", "read"), ("T2", "write")}


def test_exception():
    def setup():
        return NS(jobs=[])

    def worker(s):
        s.jobs.pop()  # nobody ever put a job there: no race, just a bug

    exc = _explain(setup, [worker])
    x = exc.explanation
    assert x["pattern"] == "exception"
    assert x["summary"].startswith("T1 raised IndexError: pop from empty list at line")


def test_other():
    def setup():
        return NS(log=[])

    def a(s):
        s.log.append("a")

    def b(s):
        s.log.append("b")

    def check(s):
        assert s.log == ["a", "b"], s.log  # an ordering the code never promised

    x = _explain(setup, [a, b], check).explanation
    assert x["pattern"] == "other"


def test_every_pattern_has_a_test_here():
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    missing = [p for p in PATTERNS if f'"{p}"' not in source]
    assert missing == []


def test_to_dict_is_json_safe_and_complete():
    exc = _seeded("lost_update")
    data = exc.to_dict()
    assert tuple(data) == DICT_KEYS
    assert json.loads(json.dumps(data)) == data
    assert data["headline"] == exc.explanation["summary"] and "check(state)" not in (
        data["headline"])
    assert data["message"].startswith("check(state) failed")  # the details keep it
    assert data["coverage"]["schedules"] >= 1
    assert data["explanation"]["pattern"] == "lost-update"


def test_the_headline_of_a_run_instead_of_start_speaks_of_the_learner_code():
    class Network:
        def __init__(self):
            self.all_started = threading.Barrier(2)

        def fetch(self, url):
            self.all_started.wait()  # the test's machinery: all downloads in flight at once
            return url

    def fetch_all(net, urls):  # the learner's bug: run() instead of start()
        pages = {}

        def download(url):
            pages[url] = net.fetch(url)

        for t in [threading.Thread(target=download, args=(u,)) for u in urls]:
            t.run()
        return pages

    with pytest.raises(InterleavingFailure) as info:
        explore(Network, [lambda net: fetch_all(net, ["a", "b"])])
    head = info.value.headline
    assert head.startswith("download() ran in the thread that called it"), head
    assert "calls run(), not start()" in head and "Barrier" not in head
    # The explanation points at the learner's run() call, never at the test's barrier.
    explanation = info.value.explanation
    run_line = next(n for n, text in enumerate(_source_lines(fetch_all), 1) if "t.run()" in text)
    assert explanation["line"] == run_line and explanation["location"] is None
    assert explanation["summary"] == head
    time.sleep(0)


def _source_lines(function) -> list[str]:
    """The lines of this file, for finding a line number by its text."""
    import inspect

    lines, _ = inspect.findsource(function)
    return lines
