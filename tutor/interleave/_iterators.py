"""What a builtin iterator walks over: the containers whose contents each of its steps reads.

A loop over ``enumerate(self.items)``, ``zip(a, b)`` or ``reversed(self.items)``, and the
hidden ``.0`` argument of a comprehension or generator expression (``sum(v for v in
self.counts.values())``), steps an *iterator*, not the container; each step still reads the
container, which another thread may change meanwhile ("dictionary changed size during
iteration", or a list read half before and half after another thread's update).
``gc.get_referents`` names what a C object holds without running any Python code (its
``tp_traverse``), so the container is found even through nested iterators, and learner
code never runs. ``itertools.chain`` is followed only into the iterable it is on: those it
has not reached are in a tuple with the learner's other values.
"""

from __future__ import annotations

import collections
import gc
import itertools

#: what another thread can change in place while an iterator walks it
CHANGEABLE = (list, dict, set, bytearray, collections.deque)


def _types_of(*objects) -> frozenset:
    return frozenset(type(obj) for obj in objects)


_d = {0: 0}
_dq = collections.deque([0])
_od = collections.OrderedDict(a=0)
#: a dict's views are live: 3.15 hands a generator expression the iterable itself (``sum(v for
#: v in d.values())``: its ``.0`` is the view), earlier versions an iterator
_VIEWS = _types_of(_d.keys(), _d.values(), _d.items(), _od.keys(), _od.values(), _od.items())
#: the builtin iterators (and views) whose steps read what they were made from (``range``'s,
#: ``str``'s and ``tuple``'s read nothing that can change, and have no container to find)
ITERATORS = _types_of(
    iter([]), reversed([]), iter(_d), iter(_d.values()), iter(_d.items()), reversed(_d),
    reversed(_d.values()), reversed(_d.items()), iter(set()), iter(bytearray()), iter(_dq),
    reversed(_dq), iter(_od), iter(_od.values()), iter(_od.items()), reversed(_od),
    enumerate([]), zip(), map(abs, []), filter(None, []),
    itertools.chain(), itertools.islice([], 0), itertools.zip_longest(),
    itertools.starmap(abs, []), itertools.compress([], []),
) | _VIEWS
#: iterators that a step moves on: a loop over one that another thread holds too, or
#: ``next()`` of it, changes what that thread gets next (``self._ids = itertools.count()``,
#: ``next(self._ids)``): the step writes the iterator itself (a dict's view does not move)
ADVANCED = (ITERATORS - _VIEWS) | _types_of(
    iter(range(1)), iter(range(2**64)), iter(()), iter(""), iter(b""), iter(abs, 0),
    itertools.count(), itertools.cycle(()), itertools.repeat(0), itertools.accumulate(()),
    itertools.takewhile(abs, ()), itertools.dropwhile(abs, ()), itertools.groupby(()),
    itertools.filterfalse(abs, ()), itertools.product(), itertools.permutations(()),
    itertools.combinations((), 0), itertools.combinations_with_replacement((), 0),
    itertools.tee(())[0], *((itertools.pairwise(()),) if hasattr(itertools, "pairwise") else ()),
    *((itertools.batched((), 1),) if hasattr(itertools, "batched") else ()),
)
del _d, _dq, _od

#: how deep and how many iterators ``walked`` follows; past either, it cannot say what the
#: step reads, and says so (None): the step then counts as reading anything
_DEPTH = 4
_MOST = 64


class _TooDeep(Exception):
    pass


def walked(value) -> tuple | None:
    """The changeable containers the builtin iterator ``value`` reads at its next step
    (through nested iterators: ``enumerate(zip(a, b))``); () for anything else, or an
    iterator that is exhausted (it has let go of its container); None when the iterators are
    nested deeper than ``_DEPTH`` or more than ``_MOST`` of them (the step may read anything)."""
    if type(value) not in ITERATORS:
        return ()
    found: dict[int, object] = {}
    try:
        _collect(value, found, 0, [0])
    except _TooDeep:
        return None
    return tuple(found.values())


def _collect(iterator, found: dict, depth: int, visited: list[int]) -> None:
    visited[0] += 1
    if depth > _DEPTH or visited[0] > _MOST:
        raise _TooDeep
    for held in gc.get_referents(iterator):
        kind = type(held)
        if issubclass(kind, CHANGEABLE):
            found.setdefault(id(held), held)
        elif kind in ITERATORS:
            _collect(held, found, depth + 1, visited)
        elif kind is tuple and type(iterator) in _HOLD_A_TUPLE_OF_ITERATORS:
            for inner in held:  # only the iterators: the tuple of last values is the learner's
                if type(inner) in ITERATORS:
                    _collect(inner, found, depth + 1, visited)


#: iterators that keep the iterators of their arguments in a tuple (its other tuples, the last
#: values produced, are passed over: they are the learner's values, not what the loop walks)
_HOLD_A_TUPLE_OF_ITERATORS = _types_of(zip(), map(abs, []), itertools.zip_longest())
