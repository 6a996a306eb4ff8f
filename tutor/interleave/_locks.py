"""Hybrid ``Lock``, ``RLock`` and ``Condition`` (see ``_hybrid`` for what a hybrid is)."""

from __future__ import annotations

import sys

from ._clock import monotonic
from ._dpor import lock_acquire, lock_given_up
from ._hybrid import OUTSIDE, Hybrid, call_site, context, want_controlled, would_block_forever
from ._points import untraced
from ._runtime import ACTIVE, MAIN, REAL

# --- locks ---------------------------------------------------------------------------------


class Lock(Hybrid):
    """``threading.Lock``."""

    kind = "Lock"

    def __new__(cls, *args, **kwargs):
        if cls is Lock and not want_controlled():
            return REAL.Lock()
        return object.__new__(cls)

    def __init__(self) -> None:
        self._real = REAL.Lock()
        self._note_creation()

    def _vreset(self) -> None:
        self._vowner = OUTSIDE if self._real.locked() else None
        self._vsite = None

    @untraced
    def acquire(self, blocking=True, timeout=-1):
        run = ACTIVE.run
        if run is not None:
            me = run.who()
            if me is not None:
                return _lock_acquire(run, me, self, blocking, timeout)
        return self._real.acquire(blocking, timeout)

    @untraced
    def __enter__(self):
        return self.acquire()

    @untraced
    def release(self) -> None:
        run = ACTIVE.run
        if run is not None:
            me = run.who()
            if me is not None:
                self._v(run)
                if self._vowner is None:
                    raise RuntimeError("release unlocked lock")
                _drop(run, me, self)
                return
        self._real.release()

    @untraced
    def __exit__(self, *exc) -> None:
        self.release()

    def locked(self) -> bool:
        run, me = context()
        if me is not None:
            return self._v(run)._vowner is not None
        return self._real.locked()

    def _owned_by(self, me) -> bool:
        return self._vowner is not None  # threading treats any holder of a plain Lock as owner

    def _v_release_all(self, run, me, quiet=False):
        _drop(run, me, self, quiet)
        return None

    def _v_restore(self, run, me, saved) -> None:
        _lock_take(run, me, self)

    def _at_fork_reinit(self) -> None:
        self._real._at_fork_reinit()

    # threading's deprecated aliases (still in 3.15)
    acquire_lock = acquire
    release_lock = release

    def locked_lock(self) -> bool:
        return self.locked()

    def __repr__(self) -> str:
        return f"<tutor.interleave Lock {'locked' if self.locked() else 'unlocked'}>"


class RLock(Lock):
    """``threading.RLock``: re-entrant, and only its owner may release it."""

    kind = "RLock"

    def __new__(cls, *args, **kwargs):
        if cls is RLock and not want_controlled():
            return REAL.RLock()
        return object.__new__(cls)

    def __init__(self) -> None:
        self._real = REAL.RLock()
        self._note_creation()

    def _vreset(self) -> None:
        self._vowner = None
        self._vcount = 0
        self._vsite = None

    @untraced
    def acquire(self, blocking=True, timeout=-1):
        run = ACTIVE.run
        if run is not None:
            me = run.who()
            if me is not None:
                self._v(run)
                if self._vowner is me:
                    if me is not MAIN:
                        run.sync_point(me, ("acquire", self))
                    self._vcount += 1
                    return True
                got = _lock_acquire(run, me, self, blocking, timeout)
                if got:
                    self._vcount = 1
                return got
        return self._real.acquire(blocking, timeout)

    @untraced
    def release(self) -> None:
        run = ACTIVE.run
        if run is not None:
            me = run.who()
            if me is not None:
                self._v(run)
                if self._vowner is not me:
                    raise RuntimeError("cannot release un-acquired lock")
                self._vcount -= 1
                if self._vcount == 0:
                    _drop(run, me, self)
                return
        self._real.release()

    def locked(self) -> bool:
        run, me = context()
        if me is not None:
            return self._v(run)._vowner is not None
        return "unlocked" not in repr(self._real)

    def _is_owned(self) -> bool:
        run, me = context()
        if me is not None:
            return self._v(run)._vowner is me
        return self._real._is_owned()

    def _owned_by(self, me) -> bool:
        return self._vowner is me

    def _recursion_count(self) -> int:
        """How many times the calling thread holds it (multiprocessing asks; 0 if not held)."""
        run, me = context()
        if me is not None:
            self._v(run)
            return self._vcount if self._vowner is me else 0
        return self._real._recursion_count()

    @untraced
    def _release_save(self):
        """Release completely, for ``Condition.wait`` (threading's protocol for RLock)."""
        run, me = context()
        if me is None:
            return self._real._release_save()
        self._v(run)
        if self._vowner is not me:
            raise RuntimeError("cannot release un-acquired lock")
        return (self._v_release_all(run, me), me)

    @untraced
    def _acquire_restore(self, state) -> None:
        run, me = context()
        if me is None:
            return self._real._acquire_restore(state)
        self._v(run)
        self._v_restore(run, me, state[0])
        return None

    def _v_release_all(self, run, me, quiet=False):
        count = self._vcount
        self._vcount = 0
        _drop(run, me, self, quiet)
        return count

    def _v_restore(self, run, me, saved) -> None:
        _lock_take(run, me, self)
        self._vcount = saved

    def __repr__(self) -> str:
        return f"<tutor.interleave RLock {'locked' if self.locked() else 'unlocked'}>"


def _check_lock_args(blocking, timeout) -> None:
    if not blocking and timeout != -1:
        raise ValueError("can't specify a timeout for a non-blocking call")
    if timeout < 0 and timeout != -1:
        raise ValueError("timeout value must be positive")


def _lock_acquire(run, me, lock, blocking, timeout) -> bool:
    _check_lock_args(blocking, timeout)
    lock._v(run)
    if me is MAIN:
        if lock._vowner is None:
            lock._vowner = MAIN
            return True
        if not blocking or timeout >= 0:
            return False
        raise would_block_forever(f"a {lock.kind} that is held")
    run.sync_point(me, ("acquire", lock), ("lock", lock) if blocking and timeout < 0 else None)
    if lock._vowner is not None:
        if not blocking or timeout == 0:
            return False
        deadline = None if timeout < 0 else run.clock + timeout
        while lock._vowner is not None:
            run.block(me, lock, deadline, ("waits for", lock))
            if me.timed_out and lock._vowner is not None:
                return False
    lock._vowner = me
    lock._vsite = call_site()
    me.held.append(lock)
    run.record(me, ("acquired", lock))
    return True


def _lock_take(run, me, lock) -> None:
    """Blocking re-acquire after a condition wait (no scheduling point of its own)."""
    for loc, write in lock_acquire(lock, True):
        run.touch(me, loc, write)
    while lock._vowner is not None:
        run.block(me, lock, None, ("waits for", lock))
    lock._vowner = me
    lock._vsite = call_site()
    if me is not MAIN:
        me.held.append(lock)


def _drop(run, me, lock, quiet=False) -> None:
    owner = lock._vowner
    if owner is not None and owner is not MAIN and owner is not OUTSIDE and lock in owner.held:
        owner.held.remove(lock)
    lock._vowner = None
    for loc, write in lock_given_up(lock):
        run.touch(me, loc, write)
    run.wake(lock)
    if me is not MAIN and not quiet:
        run.record(me, ("release", lock))


# --- condition -----------------------------------------------------------------------------


class Condition(Hybrid):
    """``threading.Condition`` (over a Lock or RLock; an RLock of its own by default)."""

    kind = "Condition"

    def __new__(cls, lock=None):
        if cls is Condition and not want_controlled():
            return REAL.Condition(lock._real if isinstance(lock, Lock) else lock)
        return object.__new__(cls)

    def __init__(self, lock=None) -> None:
        if lock is None:
            lock = object.__new__(RLock)
            lock.__init__()
            lock._condition = self  # reports name it after the condition, as the code does
        self._lock = lock
        self._controlled = isinstance(lock, Lock)
        self._real = REAL.Condition(lock._real if self._controlled else lock)
        self.acquire = lock.acquire
        self.release = lock.release
        self._note_creation()

    def _vreset(self) -> None:
        self._vwaiters = []

    @untraced
    def __enter__(self):
        return self._lock.__enter__()

    @untraced
    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)

    def _mode(self):
        run, me = context()
        if me is None or not self._controlled:
            return None, None
        self._v(run)
        self._lock._v(run)
        return run, me

    @untraced
    def wait(self, timeout=None) -> bool:
        run, me = self._mode()
        if run is None:
            return self._real.wait(timeout)
        if not self._lock._owned_by(me):
            raise RuntimeError("cannot wait on un-acquired lock")
        if me is MAIN:
            if timeout is None:
                raise would_block_forever("a Condition")
            return False
        saved = self._lock._v_release_all(run, me, quiet=True)  # "wait on" says it
        self._vwaiters.append(me)
        me.notified = False
        deadline = None if timeout is None else run.clock + max(timeout, 0)
        try:
            run.block(me, self, deadline, ("wait on", self))
        finally:
            me.blocker = None  # set by a notify (``Run.wake_one``)
            if me in self._vwaiters:
                self._vwaiters.remove(me)
        self._lock._v_restore(run, me, saved)
        return me.notified

    def wait_for(self, predicate, timeout=None):
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = monotonic() + waittime
                else:
                    waittime = endtime - monotonic()
                    if waittime <= 0:
                        break
            self.wait(waittime)
            result = predicate()
        return result

    @untraced
    def notify(self, n: int = 1) -> None:
        run, me = self._mode()
        if run is None:
            return self._real.notify(n)
        if not self._lock._owned_by(me):
            raise RuntimeError("cannot notify on un-acquired lock")
        run.touch(me, ("sync", id(self)), True)
        woken = self._vwaiters[:n]
        del self._vwaiters[:n]
        for t in woken:
            t.notified = True
            run.wake_one(t, me, self._lock)
        if me is not MAIN:
            run.record(me, ("notify", self))
        return None

    @untraced
    def notify_all(self) -> None:
        self.notify(len(self._vwaiters) if self._mode()[0] is not None else sys.maxsize)

    notifyAll = notify_all  # noqa: N815 - threading's alias

    def _is_owned(self) -> bool:
        run, me = self._mode()
        if run is None:
            return self._real._is_owned()
        return self._lock._owned_by(me)

    def locked(self) -> bool:
        """``Condition.locked()`` (3.14+): is the underlying lock held?"""
        return self._lock.locked()

    def _release_save(self):
        return self._lock._release_save()

    def _acquire_restore(self, state) -> None:
        return self._lock._acquire_restore(state)

    @property
    def _waiters(self):
        """The threads waiting (inside a schedule), else the real condition's waiter locks."""
        run, me = self._mode()
        if run is None:
            return self._real._waiters
        return tuple(self._vwaiters)

    def __repr__(self) -> str:
        return f"<tutor.interleave Condition({self._lock!r})>"
