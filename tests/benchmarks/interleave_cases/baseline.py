"""The baseline the explorer must beat: a plain per-opcode ``settrace`` random scheduler.

Real threads, one baton (a raw ``_thread`` lock) each, so that exactly one runs at a time;
``sys.settrace`` with ``f_trace_opcodes`` in code outside the standard library; at every
opcode a uniformly random pick among the runnable threads. Blocking primitives are
cooperative stand-ins: a blocked thread is just not runnable until its condition holds, so
a deadlock is "nobody runnable". Deliberately plain: no choice of preemption points, no
search strategy, no thread reuse. ``install()`` patches ``threading``/``time.sleep`` for the
whole process, so run it in a process of its own.
"""

from __future__ import annotations

import _thread
import os
import random
import sys
import threading
import time

_STDLIB = os.path.dirname(os.__file__)
_HERE = os.path.dirname(os.path.abspath(__file__))
_TUTOR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(_HERE))), "tutor")
_SKIP = (_STDLIB, _HERE, _TUTOR, "<")


class _Abort(BaseException):
    """Unwinds a thread whose schedule has already failed."""


class _T:
    def __init__(self, index, fn, args):
        self.index, self.fn, self.args = index, fn, args
        self.baton = _thread.allocate_lock()
        self.baton.acquire()
        self.waiting = None  # a predicate while blocked
        self.timed = False  # a timed wait may be picked at any time: its timeout "fires"
        self.done = False


class Sched:
    """One schedule: start the threads, pass the baton at random, report the first failure."""

    current: Sched | None = None

    def __init__(self, rng, max_steps):
        self.rng, self.max_steps = rng, max_steps
        self.threads: list[_T] = []
        self.by_ident: dict[int, _T] = {}
        self.steps = 0
        self.failure: tuple[str, str] | None = None
        self.main = _thread.allocate_lock()
        self.main.acquire()

    def spawn(self, fn, args) -> _T:
        t = _T(len(self.threads), fn, args)
        self.threads.append(t)
        _thread.start_new_thread(self._body, (t,))
        return t

    def _body(self, t):
        self.by_ident[_thread.get_ident()] = t
        t.baton.acquire()
        try:
            if self.failure is None:
                sys.settrace(_trace)
                t.fn(*t.args)
        except BaseException as exc:  # noqa: BLE001 - every thread failure is a finding
            if self.failure is None and not isinstance(exc, _Abort):
                self.fail("exception", f"{type(exc).__name__}: {exc}")
        finally:
            sys.settrace(None)
            t.done = True
            self.switch(t)

    def fail(self, kind, message):
        if self.failure is None:
            self.failure = (kind, message)

    def runnable(self):
        return [
            t for t in self.threads if not t.done and (t.waiting is None or t.timed or t.waiting())
        ]

    def switch(self, me):
        """Hand the baton to a random runnable thread (maybe ``me``); return when ``me`` runs again."""
        if self.failure is None:
            self.steps += 1
            if self.steps > self.max_steps:
                self.fail("starvation", f"no end after {self.max_steps} steps")
        if self.failure is not None:  # unwind the others one at a time
            alive = [t for t in self.threads if not t.done and t is not me]
            nxt = alive[0] if alive else None
        else:
            cands = self.runnable()
            if not cands and any(not t.done for t in self.threads):
                self.fail("deadlock", "every live thread is blocked")
                return self.switch(me)
            nxt = self.rng.choice(cands) if cands else None
        if nxt is None:
            if not me.done:  # the last live thread: unwind it, and its end wakes the main thread
                raise _Abort
            self.main.release()
        elif nxt is not me:
            nxt.baton.release()
            if not me.done:
                me.baton.acquire()
        if not me.done and self.failure is not None:
            raise _Abort

    def block(self, pred, timed=False) -> bool:
        me = self.by_ident.get(_thread.get_ident())
        if me is None:  # setup or check, on the main thread
            if pred():
                return True
            raise RuntimeError("would block outside a schedule")
        me.waiting, me.timed = pred, timed
        try:
            self.switch(me)
        finally:
            me.waiting, me.timed = None, False
        return pred()


def _trace(frame, event, arg):
    if event == "call" and not frame.f_code.co_filename.startswith(_SKIP):
        frame.f_trace_opcodes = True
        frame.f_trace_lines = False
        return _opcode
    return None


def _opcode(frame, event, arg):
    if event == "opcode":
        sched = Sched.current
        sched.switch(sched.by_ident[_thread.get_ident()])
    return _opcode


def _block(pred, timed=False):
    return Sched.current.block(pred, timed)


class Lock:
    def __init__(self):
        self.owner = None

    def acquire(self, blocking=True, timeout=-1):
        if self.owner is not None and (
            not blocking or not _block(lambda: self.owner is None, timeout >= 0)
        ):
            return False
        self.owner = _thread.get_ident()
        return True

    def release(self):
        if self.owner is None:
            raise RuntimeError("release unlocked lock")
        self.owner = None

    def locked(self):
        return self.owner is not None

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()


class RLock(Lock):
    count = 0

    def acquire(self, blocking=True, timeout=-1):
        if self.owner == _thread.get_ident():
            self.count += 1
            return True
        if not super().acquire(blocking, timeout):
            return False
        self.count = 1
        return True

    __enter__ = acquire

    def release(self):
        if self.owner != _thread.get_ident():
            raise RuntimeError("cannot release un-acquired lock")
        self.count -= 1
        if self.count == 0:
            self.owner = None


class Condition:
    def __init__(self, lock=None):
        self._lock = lock if lock is not None else RLock()
        self.acquire, self.release = self._lock.acquire, self._lock.release
        self._waiters: list[list[bool]] = []

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc):
        self._lock.release()

    def wait(self, timeout=None):
        token = [False]
        self._waiters.append(token)
        count = getattr(self._lock, "count", 1)
        self._lock.owner, self._lock.count = None, 0
        _block(lambda: token[0], timeout is not None)
        if not token[0]:
            self._waiters.remove(token)
        self._lock.acquire()
        self._lock.count = count
        return token[0]

    def wait_for(self, predicate, timeout=None):
        result = predicate()
        while not result:
            if not self.wait(timeout) and timeout is not None:
                return predicate()
            result = predicate()
        return result

    def notify(self, n=1):
        for token in self._waiters[:n]:
            token[0] = True
        del self._waiters[:n]

    def notify_all(self):
        self.notify(len(self._waiters))


class Semaphore:
    def __init__(self, value=1):
        self._value = self._initial = value

    def acquire(self, blocking=True, timeout=None):
        if self._value == 0 and (
            not blocking or not _block(lambda: self._value > 0, timeout is not None)
        ):
            return False
        self._value -= 1
        return True

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()

    def release(self, n=1):
        self._value += n


class BoundedSemaphore(Semaphore):
    def release(self, n=1):
        if self._value + n > self._initial:
            raise ValueError("Semaphore released too many times")
        self._value += n


class Event:
    def __init__(self):
        self._flag = False

    def is_set(self):
        return self._flag

    def set(self):
        self._flag = True

    def clear(self):
        self._flag = False

    def wait(self, timeout=None):
        return self._flag or _block(lambda: self._flag, timeout is not None)


class Barrier:
    def __init__(self, parties, action=None, timeout=None):
        self.parties, self._action = parties, action
        self._count = self._generation = 0

    def wait(self, timeout=None):
        generation, index = self._generation, self._count
        self._count += 1
        if self._count == self.parties:
            if self._action is not None:
                self._action()
            self._count, self._generation = 0, generation + 1
        else:
            _block(lambda: self._generation != generation)
        return index


def _thread_start(self):
    self._bench_t = Sched.current.spawn(self.run, ())


def _thread_join(self, timeout=None):
    _block(lambda: self._bench_t.done, timeout is not None)


def _thread_is_alive(self):
    t = getattr(self, "_bench_t", None)
    return t is not None and not t.done


def install() -> None:
    """Swap in the cooperative primitives for the whole process (before importing cases)."""
    for name, value in [
        ("Lock", Lock),
        ("RLock", RLock),
        ("Condition", Condition),
        ("Semaphore", Semaphore),
        ("BoundedSemaphore", BoundedSemaphore),
        ("Event", Event),
        ("Barrier", Barrier),
    ]:
        setattr(threading, name, value)
    threading.Thread.start = _thread_start
    threading.Thread.join = _thread_join
    threading.Thread.is_alive = _thread_is_alive
    time.sleep = lambda seconds: _block(lambda: True, True)


def run_once(setup, threads, check, rng, max_steps=20_000, hang_s=10.0):
    """One random schedule: None when it passed, else (kind, message)."""
    sched = Sched.current = Sched(rng, max_steps)
    try:
        state = setup()
        for fn in threads:
            sched.spawn(fn, (state,))
        sched.rng.choice(sched.threads).baton.release()
        if not sched.main.acquire(timeout=hang_s):
            return ("hang", f"schedule still running after {hang_s} s")
        if sched.failure is None and check is not None:
            check(state)
    except AssertionError as exc:
        sched.fail("assertion", str(exc))
    return sched.failure


def explore(setup, threads, check, *, seed=0, budget_s=1.0, max_schedules=None):
    """Random schedules until one fails or the budget is spent: (failure, schedules, seconds)."""
    start = time.perf_counter()
    schedules = 0
    while time.perf_counter() - start < budget_s and (
        max_schedules is None or schedules < max_schedules
    ):
        failure = run_once(setup, threads, check, random.Random(seed * 1_000_003 + schedules))
        schedules += 1
        if failure is not None:
            return failure, schedules, time.perf_counter() - start
    return None, schedules, time.perf_counter() - start
