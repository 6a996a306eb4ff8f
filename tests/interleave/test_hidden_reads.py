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


# --- loops over an iterator: comprehensions, generator expressions, lazy builtins ---------------


def _sum_genexpr(table):
    return sum(value for value in table.counts.values())  # its own code object: ``.0``


def _dict_comprehension(table):
    return {key: 1 for key in table.counts}  # 3.12-3.13 build the dict with BUILD_MAP


def _enumerate_loop(table):
    for _index, _key in enumerate(table.counts):
        pass


def _zip_loop(table):
    for _key, _tag in zip(table.counts, "xyz", strict=False):
        pass


def _iterator_in_a_local(table):
    keys = iter(table.counts)  # a local given a walk of the shared dict
    for _key in keys:
        pass


@pytest.mark.parametrize("reader", [_sum_genexpr, _dict_comprehension, _enumerate_loop,
                                    _zip_loop, _iterator_in_a_local])
def test_a_loop_over_an_iterator_of_a_shared_dict_meets_the_insert(reader):
    # until stop 24 the last four were "proved" (in 1 or 3 interleavings) on some or all of
    # 3.11-3.13: each step reads the dict through an iterator, with no point of its own
    with pytest.raises(InterleavingFailure) as caught:
        explore(_Table, [reader, _grow], minimize=False)
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert "changed size during iteration" in str(caught.value.__cause__)


def _nested_enumerate_loop(table):
    walk = table.counts.items()
    for _ in range(8):  # deeper than ``_iterators.walked`` follows
        walk = enumerate(walk)
    for _step in walk:
        pass


def test_a_loop_over_iterators_nested_too_deep_to_follow_meets_the_insert():
    # each step may read anything: stop 24 followed four levels and then saw no read at all,
    # and with one that may read anything, it ordered the writer's later steps after it
    with pytest.raises(InterleavingFailure) as caught:
        explore(_Table, [_nested_enumerate_loop, _grow], minimize=False)
    assert isinstance(caught.value.__cause__, RuntimeError)


class _Sized:
    def __init__(self):
        self.items = []
        self.others = []  # read by the writer; nobody changes it
        self.seen = None

    def current(self):
        return self.items


def _size_of_a_call(sized):
    sized.seen = len(sized.current())  # ``len`` of a call's result: a read of anything


def _append_if_alone(sized):
    if not sized.others:  # a read that conflicts with nothing, before the write that races
        sized.items.append(1)


def test_a_step_that_may_read_anything_races_a_later_write():
    # stop 24 ordered the writer's test of ``others`` after the reader's unseen read (as if
    # two reads conflicted), so its append came "after" the read and one schedule "proved" it
    with pytest.raises(InterleavingFailure):
        explore(_Sized, [_size_of_a_call, _append_if_alone], lambda s: _assert_empty(s.seen),
                minimize=False)


def _assert_empty(seen):
    assert seen == 0, f"len saw {seen} items"


class _Pair:
    def __init__(self):
        self.items = [1, 2]  # assigned only here: loading it is no point
        self.seen = None

    def update(self):
        self.items[0] = 10
        self.items[1] = 20


def _not_torn(pair):
    # [1, 20] needs the update to run between the reader's two steps: with each step a read
    # of the list, the reduction must put it there; with none, it "proves" the reader
    assert pair.seen != [1, 20], pair.seen


def _copy_by_genexpr(pair):
    pair.seen = list(x for x in pair.items)


def _copy_by_comprehension(pair):
    pair.seen = [x for _i, x in enumerate(pair.items)]


def _own_generator(items):
    for x in items:  # noqa: UP028 - a generator: its frame starts with a value on the stack
        yield x


def _copy_by_generator(pair):
    pair.seen = list(_own_generator(pair.items))


def _copy_with_format(pair):
    out = []
    for x in pair.items:
        out.append(int(f"{x}"))  # an f-string in the body keeps the loop's iterator known
    pair.seen = out


def _update(pair):
    pair.update()


@pytest.mark.parametrize("reader", [_copy_by_genexpr, _copy_by_comprehension,
                                    _copy_by_generator, _copy_with_format])
def test_a_torn_read_through_an_iterator_is_found(reader):
    with pytest.raises(InterleavingFailure) as caught:
        explore(_Pair, [reader, _update], _not_torn, minimize=False)
    assert caught.value.kind == "assertion"


def _keys_reversed(pair):
    pair.seen = [x for x in reversed(pair.items)]


def test_an_iterator_over_a_list_nobody_changes_adds_points_but_proves():
    # reading the list in reverse, any outcome is one the update can give without a switch
    # in the middle: every interleaving is checked and passes
    report = explore(_Pair, [_keys_reversed, _update], lambda pair: None, minimize=False)
    assert report.complete
    assert report.traces > 3  # the reads are steps now (stop 23: 3 interleavings)


def _short_range(state):
    return [i * 2 for i in range(2)]  # a range's iterator holds nothing to change


def _long_range(state):
    return [i * 2 for i in range(40)]


def test_a_comprehension_over_a_range_adds_no_step():
    # (3.11 calls the comprehension as a function: that call may be a step, once)
    short = explore(lambda: None, [_short_range], minimize=False)
    long = explore(lambda: None, [_long_range], minimize=False)
    assert short.steps == long.steps <= 1


def test_the_analysis_names_what_a_loop_over_an_iterator_reads():
    (walk,) = _loop_accesses(_enumerate_loop)
    assert walk.target == ("contents", ("attr", ("local", "table"), "counts"))
    (both,) = _loop_accesses(_zip_loop)
    assert both.target == ("contents", ("attr", ("local", "table"), "counts"))
    (kept,) = _loop_accesses(_copy_with_format)  # the f-string did not lose the iterator
    assert kept.target == ("contents", ("attr", ("local", "pair"), "items"))
    (own,) = _loop_accesses(_own_generator)  # a generator's stack is counted from its start
    assert own.target == ("contents", ("local", "items"))


class _Ids:
    def __init__(self):
        self.ids = iter(range(10))  # one iterator both threads take from
        self.got = {}


def _next_into(key):
    def take(ids):
        ids.got[key] = next(ids.ids)
    return take


def _loop_into(key):
    def take(ids):
        for n in ids.ids:  # the loop's step moves the shared iterator on
            ids.got[key] = n
            break
    return take


def _enumerate_into(key):
    def take(ids):
        for _i, n in enumerate(ids.ids):  # the enumerate steps the shared iterator
            ids.got[key] = n
            break
    return take


@pytest.mark.parametrize("taker", [_next_into, _loop_into, _enumerate_into])
def test_taking_from_a_shared_iterator_is_a_write_of_it(taker):
    # stop 24 saw ``next(self.ids)`` and a loop's step over it as touching nothing: one
    # interleaving "proved" that the first thread always gets 0
    def first_thread_gets_zero(ids):
        assert ids.got["a"] == 0, ids.got

    with pytest.raises(InterleavingFailure):
        explore(_Ids, [taker("a"), taker("b")], first_thread_gets_zero, minimize=False)
    report = explore(_Ids, [taker("a"), taker("b")], lambda ids: _distinct(ids.got),
                     minimize=False)
    assert report.complete and report.traces > 1


def _distinct(got):
    assert sorted(got.values()) == [0, 1], got
