"""Reads and writes that no instruction of the learner's shows on its own (issue 18): a test
or loop over a container loaded without a point, a C or standard-library function given a
shared container. Each must be a step of its own that the reduction sees, or it "proves" a
race-prone program in one interleaving."""

from __future__ import annotations

import dis
import heapq

import pytest

from tutor.interleave import InterleavingFailure, explore
from tutor.interleave._bytecode import analyze

pytestmark = pytest.mark.usefixtures("clean_process")


class _Frontier:
    def __init__(self):
        self.todo = ["/"]  # assigned only here: loading it is no point of its own
        self.got = []

    def next_url(self):
        if self.todo:  # the test reads the list: another thread may empty it meanwhile
            self.got.append(self.todo.pop())

    def next_job(self):
        if self.todo:
            self.got.append(heapq.heappop(self.todo))  # C code changes the list


    def next_aliased(self):
        todo = self.todo  # a local alias: the test below is of the shared list
        if todo:
            self.got.append(todo.pop())


def _crawl_aliased(frontier):
    frontier.next_aliased()


def _crawl(frontier):
    frontier.next_url()


def _take(frontier):
    frontier.next_job()


@pytest.mark.parametrize("worker", [_crawl, _take, _crawl_aliased])
def test_a_check_then_take_on_a_shared_list_is_caught(worker):
    with pytest.raises(InterleavingFailure) as caught:
        explore(_Frontier, [worker, worker], minimize=False)
    assert isinstance(caught.value.__cause__, IndexError)  # from an empty list


class _Counter:
    def __init__(self):
        self.n = 0


def _bump(c):
    c.n += 1


def test_arithmetic_on_an_int_adds_no_step():
    report = explore(_Counter, [_bump], minimize=False)
    assert report.steps == 2  # the load and the store of c.n: the += on an int is none


def _sleepy_bump(c):
    delay = 0.001
    import time

    time.sleep(delay)  # a library function given an int: no step before the sleep's own
    c.n += 1


def test_a_library_call_on_plain_values_adds_no_step():
    report = explore(_Counter, [_sleepy_bump], minimize=False)
    assert report.steps == 3  # the sleep, the load and the store


class _Slots:
    def __init__(self):
        self.free = 1

    def take(self, field="free"):
        if getattr(self, field) > 0:  # a field named at run time: no attribute instruction
            setattr(self, field, getattr(self, field) - 1)


def test_getattr_and_setattr_are_steps_on_the_attribute_they_name():
    from tutor.interleave._points import points_for

    labels = sorted(where[1] for where in points_for(_Slots.take.__code__, globals()).values())
    assert labels == ["read self.<field>", "read self.<field>", "write self.<field>"]


class _Disguised:
    """Claims to be a list through ``__class__``: asking would run learner code in the tracer."""

    asked = 0

    @property
    def __class__(self):
        type(self).asked += 1
        return list


class _Holder:
    def __init__(self):
        self.box = _Disguised()
        self.seen = []

    def look(self):
        if self.box:  # a test of a learner's object: decided on its real type
            self.seen.append(1)


def _look(holder):
    holder.look()


def test_the_tested_value_is_judged_by_its_real_type():
    explore(_Holder, [_look, _look], minimize=False)
    assert _Disguised.asked == 0


class _Table:
    def __init__(self):
        self.counts = {"a": 1, "b": 2}  # assigned only here: loading it is no point

    def add(self, key):
        self.counts[key] = 0


def _sum_through_alias(table):
    counts = table.counts  # a local alias of the shared dict
    total = 0
    for _key in counts:  # each step reads the dict, which ``add`` may grow meanwhile
        total += 1


def _sum_over_view(table):
    total = 0
    for _key, value in table.counts.items():  # a view is live: each step reads the dict
        total += value


def _sum_parameter(counts):
    total = 0
    for _key in counts:  # the thread's argument is the shared dict itself
        total += 1


def _grow(table):
    table.add("c")


def _grow_parameter(counts):
    counts["c"] = 0


@pytest.mark.parametrize(("setup", "reader", "writer"), [
    (_Table, _sum_through_alias, _grow),
    (_Table, _sum_over_view, _grow),
    (lambda: {"a": 1, "b": 2}, _sum_parameter, _grow_parameter),
], ids=["alias", "view", "parameter"])
def test_a_loop_over_a_shared_dict_meets_the_insert(setup, reader, writer):
    with pytest.raises(InterleavingFailure) as caught:
        explore(setup, [reader, writer], minimize=False)
    # the insert ran between two steps of the loop
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert "changed size during iteration" in str(caught.value.__cause__)


def _fill_own_list(state):
    done = []
    for i in range(3):
        done.append(i)
    for item in done:  # a list of the thread's own: its loop steps are no points
        state.append(item)


def _loop_accesses(fn) -> list:
    code = fn.__code__
    accesses = analyze(code)
    return [accesses.get(ins.offset) for ins in dis.get_instructions(code)
            if ins.opname == "FOR_ITER"]


def test_a_loop_over_a_list_the_thread_built_itself_is_no_point():
    # ``range(3)`` and ``done`` (filled by the thread itself): every loop step a point
    # would only add steps to explore
    assert _loop_accesses(_fill_own_list) == [None, None]
    (alias,) = _loop_accesses(_sum_through_alias)
    assert (alias.op, alias.target) == ("read", ("contents", ("local", "counts")))
    (view,) = _loop_accesses(_sum_over_view)
    assert view.target[0] == "contents" and view.target[1][2] == "counts"
    (copied,) = _loop_accesses(_sum_through_two_aliases)
    assert copied.target == ("contents", ("local", "second"))


def _sum_through_two_aliases(table):
    first = table.counts
    second = first  # an alias of an alias is one too
    total = 0
    for _key in second:
        total += 1
