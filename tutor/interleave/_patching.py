"""Putting the scheduler-aware primitives in place of ``threading``'s and ``time``'s.

``explore`` patches for its own duration (reference counted) and puts everything back;
``install()`` makes the patch permanent, so that primitives created at import time by the
learner's module are hybrids too (real outside a schedule, controlled inside one).
"""

from __future__ import annotations

import queue
import sys
import threading
import time
import types

from . import _clock, _locks, _sync, _threads
from ._points import HOOK_SETTERS, keeping_points
from ._runtime import ACTIVE, REAL


class _PySimpleQueue(queue._PySimpleQueue):
    """``queue.SimpleQueue`` in pure Python: its Semaphore is then a controlled one."""


class ThreadsInOrder(set):
    """``ThreadPoolExecutor._threads``, iterated in the order the threads were added.

    ``shutdown(wait=True)`` joins the pool's threads by iterating this set. A plain set of
    threads iterates in the order of their memory addresses, which differ from one process
    to the next: the same submission was then explored in another order in each process
    (polite-fetcher's solution: 56 to 60 interleavings from run to run). In insertion order,
    one of the orders a real run can have, the search is the same everywhere.
    """

    def __init__(self, items=()) -> None:
        super().__init__()
        self._order: list = []
        for item in items:
            self.add(item)

    def add(self, item) -> None:
        if item not in self:
            self._order.append(item)
        super().add(item)

    def discard(self, item) -> None:
        super().discard(item)
        self._order = [x for x in self._order if x is not item]

    def remove(self, item) -> None:
        super().remove(item)
        self._order = [x for x in self._order if x is not item]

    def __iter__(self):
        return iter([item for item in self._order if item in self])


def _pool_threads_in_order(init):
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        if type(getattr(self, "_threads", None)) is set:
            self._threads = ThreadsInOrder(self._threads)

    __init__.__wrapped__ = init
    return __init__


def _targets():
    out = [
        (threading, "Lock", _locks.Lock), (threading, "RLock", _locks.RLock),
        (threading, "Condition", _locks.Condition), (threading, "Semaphore", _sync.Semaphore),
        (threading, "BoundedSemaphore", _sync.BoundedSemaphore),
        (threading, "Event", _sync.Event), (threading, "Barrier", _sync.Barrier),
        (threading.Thread, "start", _threads.thread_start),
        (threading.Thread, "join", _threads.thread_join),
        (threading.Thread, "is_alive", _threads.thread_is_alive),
        (time, "sleep", _clock.sleep), (time, "monotonic", _clock.monotonic),
        (time, "time", _clock.time), (time, "perf_counter", _clock.perf_counter),
        (queue, "SimpleQueue", _PySimpleQueue), (queue, "time", _clock.monotonic),
    ]
    if sys.version_info >= (3, 12):  # the sys.monitoring backend (``_points``)
        out += [(sys, name, keeping_points(getattr(sys, name)))
                for name in HOOK_SETTERS if hasattr(sys, name)]
    return out


_saved: list[tuple[object, str, object]] = []
_extra: list[tuple[object, str, object]] = []


def _apply() -> None:
    for owner, name, value in _targets():
        _saved.append((owner, name, owner.__dict__.get(name)))
        setattr(owner, name, value)
    futures = sys.modules.get("concurrent.futures.thread")
    if futures is not None and not isinstance(futures._global_shutdown_lock, _locks.Lock):
        _saved.append((futures, "_global_shutdown_lock", futures._global_shutdown_lock))
        hybrid = object.__new__(_locks.Lock)
        hybrid._real = futures._global_shutdown_lock
        hybrid._created = None
        futures._global_shutdown_lock = hybrid
    _order_pool_threads()


def _order_pool_threads() -> None:
    """Make ``ThreadPoolExecutor`` keep its threads in order (see ``ThreadsInOrder``). Its
    module is loaded here if it was not yet, so that a pool the learner's code imports only
    later, while it is explored, is the patched one too."""
    from concurrent.futures import thread as futures

    pool = futures.ThreadPoolExecutor
    init = pool.__dict__["__init__"]
    _saved.append((pool, "__init__", init))
    pool.__init__ = _pool_threads_in_order(init)


def _restore() -> None:
    while _saved:
        owner, name, value = _saved.pop()
        setattr(owner, name, value)


def acquire_patch() -> None:
    if ACTIVE.patched == 0 and not ACTIVE.installed:
        _apply()
    ACTIVE.patched += 1


def release_patch() -> None:
    ACTIVE.patched -= 1
    if ACTIVE.patched == 0 and not ACTIVE.installed:
        _restore()


def install() -> None:
    """Make the patch permanent (idempotent). Call before importing the learner's code."""
    if ACTIVE.installed:
        return
    if ACTIVE.patched == 0:
        _apply()
    ACTIVE.installed = True


def uninstall() -> None:
    """Undo ``install()`` (for tests); objects already created stay hybrids, which is harmless."""
    if not ACTIVE.installed:
        return
    ACTIVE.installed = False
    if ACTIVE.patched == 0:
        _restore()


def is_installed() -> bool:
    return ACTIVE.installed


# --- learner modules imported before install(): swap their real primitives for hybrids ----

_REAL_TYPES: dict[type, str] = {
    type(REAL.Lock()): "Lock",
    type(REAL.RLock()): "RLock",
    REAL.Condition: "Condition",
    REAL.Semaphore: "Semaphore",
    REAL.BoundedSemaphore: "BoundedSemaphore",
    REAL.Event: "Event",
    REAL.Barrier: "Barrier",
}
_REAL_FUNCS = {
    id(REAL.sleep): _clock.sleep, id(REAL.monotonic): _clock.monotonic,
    id(REAL.time): _clock.time, id(REAL.perf_counter): _clock.perf_counter,
}


def _hybrid_of(obj, memo: dict):
    """A hybrid that wraps the real primitive ``obj`` (same object for the same input)."""
    key = id(obj)
    if key in memo:
        return memo[key]
    kind = _REAL_TYPES.get(type(obj))
    h = None
    if kind in ("Lock", "RLock"):
        h = object.__new__(_locks.Lock if kind == "Lock" else _locks.RLock)
        h._real = obj
    elif kind == "Condition":
        h = object.__new__(_locks.Condition)
        inner = _hybrid_of(obj._lock, memo)
        h._lock = inner if inner is not None else obj._lock
        h._controlled = isinstance(h._lock, _locks.Lock)
        h._real = obj
        h.acquire = h._lock.acquire
        h.release = h._lock.release
    elif kind in ("Semaphore", "BoundedSemaphore"):
        h = object.__new__(_sync.Semaphore if kind == "Semaphore" else _sync.BoundedSemaphore)
        h._real = obj
        h._initial = getattr(obj, "_initial_value", obj._value)
    elif kind == "Event":
        h = object.__new__(_sync.Event)
        h._real = obj
    elif kind == "Barrier":
        h = object.__new__(_sync.Barrier)
        h._real = obj
        h._parties = obj.parties
        h._action = obj._action
        h._timeout = obj._timeout
    if h is not None:
        h._created = None
    memo[key] = h
    return h


class GlobalsSwap:
    """Replace real primitives reachable from the learner's module globals, then restore."""

    def __init__(self, functions):
        self.changes: list[tuple[object, str, object, bool]] = []
        self.memo: dict = {}
        seen_modules = set()
        for fn in functions:
            g = _globals_of(fn)
            if g is None or id(g) in seen_modules:
                continue
            seen_modules.add(id(g))
            from ._runtime import is_learner_file

            if not is_learner_file(g.get("__file__") or "<unknown>"):
                continue
            self._swap_mapping(g)

    def _swap_value(self, value):
        if id(value) in _REAL_FUNCS and callable(value):
            return _REAL_FUNCS[id(value)]
        if type(value) in _REAL_TYPES:
            return _hybrid_of(value, self.memo)
        return None

    def _swap_mapping(self, g: dict) -> None:
        for name, value in list(g.items()):
            new = self._swap_value(value)
            if new is not None:
                self.changes.append((g, name, value, True))
                g[name] = new
                continue
            if isinstance(value, (types.ModuleType, types.FunctionType)) or name.startswith("__"):
                continue
            if value is REAL or type(value).__module__.startswith("tutor.interleave"):
                continue  # the engine's own table of originals (a test module may import it)
            target = value if isinstance(value, type) else getattr(value, "__dict__", None)
            if isinstance(value, type):
                if value.__module__ != g.get("__name__"):
                    continue
                attrs = dict(vars(value))
            elif isinstance(target, dict):
                attrs = target
            else:
                continue
            for attr, inner in list(attrs.items()):
                new = self._swap_value(inner)
                if new is not None:
                    self.changes.append((value, attr, inner, False))
                    try:
                        setattr(value, attr, new)
                    except (AttributeError, TypeError):
                        self.changes.pop()

    def restore(self) -> None:
        while self.changes:
            owner, name, value, is_dict = self.changes.pop()
            if is_dict:
                owner[name] = value
            else:
                setattr(owner, name, value)


def controlled_factory(setup):
    """``explore(threading.Event, ...)`` passes the real class, looked up before patching."""
    for name in ("Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "Event", "Barrier"):
        if setup is getattr(REAL, name):
            return getattr(_locks, name, None) or getattr(_sync, name)
    return setup


def _globals_of(fn):
    seen = 0
    while fn is not None and seen < 5:
        seen += 1
        g = getattr(fn, "__globals__", None)
        if g is not None:
            return g
        fn = getattr(fn, "__func__", None) or getattr(fn, "func", None)
    return None
