"""Hybrid ``Semaphore``, ``BoundedSemaphore``, ``Event`` and ``Barrier``."""

from __future__ import annotations

import threading

from ._hybrid import Hybrid, call_site, context, want_controlled, would_block_forever
from ._points import untraced
from ._runtime import MAIN, REAL

# --- semaphores ----------------------------------------------------------------------------


class Semaphore(Hybrid):
    """``threading.Semaphore``."""

    kind = "Semaphore"

    def __new__(cls, value=1):
        if cls is Semaphore and not want_controlled():
            return REAL.Semaphore(value)
        return object.__new__(cls)

    def __init__(self, value: int = 1) -> None:
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._real = self._make_real(value)
        self._initial = value
        self._note_creation()

    def _make_real(self, value):
        return REAL.Semaphore(value)

    def _vreset(self) -> None:
        self._vvalue = self._real._value
        self._vsite = None

    @untraced
    def acquire(self, blocking=True, timeout=None) -> bool:
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        run, me = context()
        if me is None:
            return self._real.acquire(blocking, timeout)
        self._v(run)
        if me is MAIN:
            if self._vvalue > 0:
                self._vvalue -= 1
                return True
            if not blocking or timeout is not None:
                return False
            raise would_block_forever("a Semaphore at 0")
        untimed = blocking and timeout is None
        run.sync_point(me, ("acquire", self), ("semaphore", self) if untimed else None)
        if self._vvalue == 0:
            if not blocking or (timeout is not None and timeout <= 0):
                return False
            deadline = None if timeout is None else run.clock + timeout
            while self._vvalue == 0:
                run.block(me, self, deadline, ("waits for", self))
                if me.timed_out and self._vvalue == 0:
                    return False
        self._vvalue -= 1
        me.held.append(self)  # a semaphore has no owner; for messages, its holders
        self._vsite = call_site()
        run.record(me, ("acquired", self))
        return True

    __enter__ = acquire

    @untraced
    def release(self, n: int = 1) -> None:
        if n < 1:
            raise ValueError("n must be one or more")
        run, me = context()
        if me is None:
            return self._real.release(n)
        self._v(run)
        self._check_release(n)
        self._vvalue += n
        _forget_holder(run, me, self)
        run.wake(self)
        if me is not MAIN:
            run.record(me, ("release", self))
        return None

    def _check_release(self, n) -> None:
        pass

    @property
    def _value(self) -> int:
        run, me = context()
        if me is None:
            return self._real._value
        return self._v(run)._vvalue

    @untraced
    def __exit__(self, *exc) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<tutor.interleave {self.kind}>"


def _forget_holder(run, me, sem) -> None:
    """The releasing thread if it took it, else whoever did first."""
    for t in ([me] if me is not MAIN else []) + list(run.threads):
        if sem in t.held:
            t.held.remove(sem)
            return


def _real_bounded(value):
    """A real BoundedSemaphore (its __init__ calls the patched ``Semaphore`` name, so not that)."""
    if value < 0:
        raise ValueError("semaphore initial value must be >= 0")
    sem = REAL.Semaphore(value)
    sem.__class__ = REAL.BoundedSemaphore
    sem._initial_value = value
    return sem


class BoundedSemaphore(Semaphore):
    """``threading.BoundedSemaphore``: releasing above the initial value is a ValueError."""

    kind = "BoundedSemaphore"

    def __new__(cls, value=1):
        if cls is BoundedSemaphore and not want_controlled():
            return _real_bounded(value)
        return object.__new__(cls)

    def _make_real(self, value):
        return _real_bounded(value)

    def _check_release(self, n) -> None:
        if self._vvalue + n > self._initial:
            raise ValueError("Semaphore released too many times")

    @property
    def _initial_value(self) -> int:
        return self._initial


# --- event ---------------------------------------------------------------------------------


class Event(Hybrid):
    """``threading.Event``."""

    kind = "Event"

    def __new__(cls):
        if cls is Event and not want_controlled():
            return REAL.Event()
        return object.__new__(cls)

    def __init__(self) -> None:
        self._real = REAL.Event()
        self._note_creation()

    def _vreset(self) -> None:
        self._vflag = self._real.is_set()

    def is_set(self) -> bool:
        run, me = context()
        if me is None:
            return self._real.is_set()
        return self._v(run)._vflag

    isSet = is_set  # noqa: N815 - threading's alias

    @property
    def _flag(self) -> bool:
        return self.is_set()

    @untraced
    def set(self) -> None:
        run, me = context()
        if me is None:
            return self._real.set()
        self._v(run)._vflag = True
        run.wake(self)
        if me is not MAIN:
            run.record(me, ("set", self))
        return None

    def clear(self) -> None:
        run, me = context()
        if me is None:
            return self._real.clear()
        run.touch(me, ("sync", id(self)), True)
        self._v(run)._vflag = False
        return None

    @untraced
    def wait(self, timeout=None) -> bool:
        run, me = context()
        if me is None:
            return self._real.wait(timeout)
        self._v(run)
        if me is MAIN:
            if self._vflag or timeout is not None:
                return self._vflag
            raise would_block_forever("an Event that is not set")
        run.sync_point(me, ("wait on", self), ("event", self) if timeout is None else None)
        if self._vflag:
            return True
        if timeout is not None and timeout <= 0:
            return False
        deadline = None if timeout is None else run.clock + timeout
        run.block(me, self, deadline, ("wait on", self))
        return not me.timed_out

    def __repr__(self) -> str:
        return f"<tutor.interleave Event {'set' if self.is_set() else 'unset'}>"


# --- barrier -------------------------------------------------------------------------------


class Barrier(Hybrid):
    """``threading.Barrier``: parties, an optional action, timeouts, broken state, reset."""

    kind = "Barrier"

    def __new__(cls, parties, action=None, timeout=None):
        if cls is Barrier and not want_controlled():
            return REAL.Barrier(parties, action, timeout)
        return object.__new__(cls)

    def __init__(self, parties: int, action=None, timeout=None) -> None:
        if parties < 1:
            raise ValueError("parties must be >= 1")
        self._real = REAL.Barrier(parties, action, timeout)
        self._parties = parties
        self._action = action
        self._timeout = timeout
        self._note_creation()

    def _vreset(self) -> None:
        self._vcount = 0
        self._vgen = 0
        self._vbroken = self._real.broken

    @untraced
    def wait(self, timeout=None) -> int:
        run, me = context()
        if me is None:
            return self._real.wait(timeout)
        self._v(run)
        if me is MAIN:
            raise would_block_forever("a Barrier")
        run.sync_point(me, ("wait on", self))
        if self._vbroken:
            raise threading.BrokenBarrierError
        if timeout is None:
            timeout = self._timeout
        index = self._vcount
        self._vcount += 1
        if self._vcount == self._parties:
            if self._action is not None:
                try:
                    self._action()
                except BaseException:
                    self._break(run)
                    raise
            self._vcount = 0
            self._vgen += 1
            run.wake(self)
            return index
        generation = self._vgen
        deadline = None if timeout is None else run.clock + timeout
        while generation == self._vgen and not self._vbroken:
            run.block(me, self, deadline, ("wait on", self))
            if me.timed_out and generation == self._vgen and not self._vbroken:
                self._break(run)
        if generation == self._vgen:
            raise threading.BrokenBarrierError
        return index

    def _break(self, run) -> None:
        self._vbroken = True
        self._vcount = 0
        run.wake(self)

    def reset(self) -> None:
        run, me = context()
        if me is None:
            return self._real.reset()
        self._v(run)
        if self._vcount > 0:
            self._break(run)
        self._vbroken = False
        self._vgen += 1
        self._vcount = 0
        return None

    def abort(self) -> None:
        run, me = context()
        if me is None:
            return self._real.abort()
        self._break(self._v(run)._vrun)
        return None

    @property
    def parties(self) -> int:
        return self._parties

    @property
    def n_waiting(self) -> int:
        run, me = context()
        if me is None:
            return self._real.n_waiting
        return self._v(run)._vcount

    @property
    def _count(self) -> int:
        return self.n_waiting

    @property
    def _state(self) -> int:
        """threading's encoding: 0 filling, -2 broken (draining/resetting are instantaneous)."""
        run, me = context()
        if me is None:
            return self._real._state
        return -2 if self._v(run)._vbroken else 0

    @property
    def broken(self) -> bool:
        run, me = context()
        if me is None:
            return self._real.broken
        return self._v(run)._vbroken
