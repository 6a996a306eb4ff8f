"""``_iterators.walked``: the containers a builtin iterator reads at its next step, found
without running any learner code."""

from __future__ import annotations

import collections
import itertools

from tutor.interleave._iterators import walked


def _same(found, *expected) -> bool:
    return len(found) == len(expected) and all(a is b for a, b in zip(found, expected,
                                                                      strict=True))


def test_the_iterator_of_each_changeable_container_walks_it():
    items, table, tags, raw = [1], {"a": 1}, {"x"}, bytearray(b"ab")
    jobs = collections.deque([1])
    assert _same(walked(iter(items)), items)
    assert _same(walked(reversed(items)), items)
    assert _same(walked(iter(table)), table)
    assert _same(walked(iter(table.items())), table)
    assert _same(walked(iter(table.values())), table)
    assert _same(walked(reversed(table)), table)
    assert _same(walked(table.values()), table)  # a view (3.15 gives one to a genexpr's .0)
    assert _same(walked(iter(tags)), tags)
    assert _same(walked(iter(raw)), raw)
    assert _same(walked(iter(jobs)), jobs)


def test_lazy_builtins_walk_what_they_were_given():
    items, table = [1, 2], {"a": 1}
    assert _same(walked(enumerate(items)), items)
    assert _same(walked(zip(items, table, strict=False)), items, table)
    assert _same(walked(map(str, items)), items)
    assert _same(walked(filter(None, table.values())), table)
    assert _same(walked(enumerate(zip(items, iter(table), strict=False))), items, table)
    chained = itertools.chain(items, table)
    next(chained)
    assert _same(walked(chained), items)  # the one it is on (see the module's docstring)


def test_values_already_produced_are_not_what_the_loop_walks():
    rows = [[1], [2]]
    pairs = zip(rows, rows, strict=False)
    next(pairs)  # zip keeps its last result; the lists in it are values, not the source
    assert _same(walked(pairs), rows)


def test_nothing_changeable_or_nothing_left_walks_nothing():
    assert walked(iter(range(3))) == ()
    assert walked(iter((1, 2))) == ()
    assert walked(iter("ab")) == ()
    assert walked([1, 2]) == ()  # a container is not an iterator: the caller reads it itself
    done = iter([1])
    next(done, None)
    next(done, None)
    assert walked(done) == ()  # exhausted: it let go of its list


class _Sneaky:
    """A learner's iterator: walked() must not call anything of it."""

    touched = 0

    def __iter__(self):
        return self

    def __next__(self):
        _Sneaky.touched += 1
        raise StopIteration

    def __getattribute__(self, name):
        _Sneaky.touched += 1
        return object.__getattribute__(self, name)


def test_a_learners_iterator_is_not_run():
    assert walked(_Sneaky()) == ()
    assert walked(enumerate(_Sneaky())) == ()
    assert _Sneaky.touched == 0


def test_iterators_nested_too_deep_or_too_many_are_unknown():
    items = [1]
    walk = iter(items)
    for _ in range(3):
        walk = enumerate(walk)
    assert _same(walked(walk), items)  # four levels: followed
    for _ in range(8):
        walk = enumerate(walk)
    assert walked(walk) is None  # deeper: the step may read anything, and the caller says so
    many = zip(*[iter(items) for _ in range(200)], strict=False)
    assert walked(many) is None  # more iterators than it follows
    assert walked(zip(*[iter(items) for _ in range(20)], strict=False)) is not None
