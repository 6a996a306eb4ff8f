"""Scheduler-aware ``threading`` primitives, ``time`` functions and ``Thread`` methods.

Every object here is a *hybrid*: outside a schedule it delegates to a real primitive, so it
behaves exactly like ``threading``'s; inside a schedule (called from a controlled thread, or
from ``setup``/``check``) it works on virtual state that the scheduler owns, reset at the
start of each schedule from the real object's state. Blocking never blocks the OS thread:
it parks the controlled thread and lets the scheduler run another.
"""

from __future__ import annotations

import sys
import threading

from ._run import SLEEP, Run
from ._runtime import ACTIVE, MAIN, REAL, learner_frame

_THREADING_GLOBALS = threading.__dict__
_TIMER_INIT = threading.Timer.__init__.__code__


class _Outside:
    """Holder of a lock that was already locked when the schedule began."""

    name = "a thread outside the explored ones"
    index = -2

    def __repr__(self) -> str:
        return "OUTSIDE"


OUTSIDE = _Outside()


def _want_controlled() -> bool:
    """Should a constructor called right now return a hybrid (not a real) primitive?"""
    caller = sys._getframe(2)
    if caller.f_globals is _THREADING_GLOBALS and caller.f_code is not _TIMER_INIT:
        return False  # threading's own internals (Thread, real Condition...) need real ones
    if ACTIVE.installed:
        return True
    run = ACTIVE.run
    return run is not None and run.who() is not None


def _ctx():
    run = ACTIVE.run
    if run is None:
        return None, None
    return run, run.who()


def _site():
    frame = learner_frame(sys._getframe(2))
    if frame is None:
        return None
    return (frame.f_code.co_filename, frame.f_lineno)


def _would_block_forever(what) -> RuntimeError:
    return RuntimeError(
        f"setup() or check() would wait forever on {what}: only the explored threads may block"
    )


class _Hybrid:
    """Common bookkeeping: creation site and per-schedule virtual state."""

    kind = "object"
    _vrun = None

    def _note_creation(self) -> None:
        self._created = _site()

    def _v(self, run: Run):
        if self._vrun is not run:
            self._vrun = run
            run.objects.append(self)
            self._vreset()
        return self

    def _vreset(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError


# --- locks ---------------------------------------------------------------------------------


class Lock(_Hybrid):
    """``threading.Lock``."""

    kind = "Lock"

    def __new__(cls, *args, **kwargs):
        if cls is Lock and not _want_controlled():
            return REAL.Lock()
        return object.__new__(cls)

    def __init__(self) -> None:
        self._real = REAL.Lock()
        self._note_creation()

    def _vreset(self) -> None:
        self._vowner = OUTSIDE if self._real.locked() else None
        self._vsite = None

    def acquire(self, blocking=True, timeout=-1):
        run = ACTIVE.run
        if run is not None:
            me = run.who()
            if me is not None:
                return _lock_acquire(run, me, self, blocking, timeout)
        return self._real.acquire(blocking, timeout)

    def __enter__(self):
        return self.acquire()

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

    def __exit__(self, *exc) -> None:
        self.release()

    def locked(self) -> bool:
        run, me = _ctx()
        if me is not None:
            return self._v(run)._vowner is not None
        return self._real.locked()

    def _owned_by(self, me) -> bool:
        return self._vowner is not None  # threading treats any holder of a plain Lock as owner

    def _v_release_all(self, run, me):
        _drop(run, me, self)
        return None

    def _v_restore(self, run, me, saved) -> None:
        _lock_take(run, me, self)

    def _at_fork_reinit(self) -> None:
        self._real = REAL.Lock()

    def __repr__(self) -> str:
        return f"<tutor.interleave Lock {'locked' if self.locked() else 'unlocked'}>"


class RLock(Lock):
    """``threading.RLock``: re-entrant, and only its owner may release it."""

    kind = "RLock"

    def __new__(cls, *args, **kwargs):
        if cls is RLock and not _want_controlled():
            return REAL.RLock()
        return object.__new__(cls)

    def __init__(self) -> None:
        self._real = REAL.RLock()
        self._note_creation()

    def _vreset(self) -> None:
        self._vowner = None
        self._vcount = 0
        self._vsite = None

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
        run, me = _ctx()
        if me is not None:
            return self._v(run)._vowner is not None
        return "unlocked" not in repr(self._real)

    def _is_owned(self) -> bool:
        run, me = _ctx()
        if me is not None:
            return self._v(run)._vowner is me
        return self._real._is_owned()

    def _owned_by(self, me) -> bool:
        return self._vowner is me

    def _v_release_all(self, run, me):
        count = self._vcount
        self._vcount = 0
        _drop(run, me, self)
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
        raise _would_block_forever(f"a {lock.kind} that is held")
    run.sync_point(me, ("acquire", lock))
    if lock._vowner is not None:
        if not blocking or timeout == 0:
            return False
        deadline = None if timeout < 0 else run.clock + timeout
        while lock._vowner is not None:
            run.block(me, lock, deadline, ("waits for", lock))
            if me.timed_out and lock._vowner is not None:
                return False
    lock._vowner = me
    lock._vsite = _site()
    me.held.append(lock)
    run.record(me, ("acquired", lock))
    return True


def _lock_take(run, me, lock) -> None:
    """Blocking re-acquire after a condition wait (no scheduling point of its own)."""
    while lock._vowner is not None:
        run.block(me, lock, None, ("waits for", lock))
    lock._vowner = me
    lock._vsite = _site()
    if me is not MAIN:
        me.held.append(lock)


def _drop(run, me, lock) -> None:
    owner = lock._vowner
    if owner is not None and owner is not MAIN and owner is not OUTSIDE and lock in owner.held:
        owner.held.remove(lock)
    lock._vowner = None
    run.wake(lock)
    if me is not MAIN:
        run.record(me, ("release", lock))


# --- condition -----------------------------------------------------------------------------


class Condition(_Hybrid):
    """``threading.Condition`` (over a Lock or RLock; an RLock of its own by default)."""

    kind = "Condition"

    def __new__(cls, lock=None):
        if cls is Condition and not _want_controlled():
            return REAL.Condition(lock._real if isinstance(lock, Lock) else lock)
        return object.__new__(cls)

    def __init__(self, lock=None) -> None:
        if lock is None:
            lock = object.__new__(RLock)
            lock.__init__()
        self._lock = lock
        self._controlled = isinstance(lock, Lock)
        self._real = REAL.Condition(lock._real if self._controlled else lock)
        self.acquire = lock.acquire
        self.release = lock.release
        self._note_creation()

    def _vreset(self) -> None:
        self._vwaiters = []

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)

    def _mode(self):
        run, me = _ctx()
        if me is None or not self._controlled:
            return None, None
        self._v(run)
        self._lock._v(run)
        return run, me

    def wait(self, timeout=None) -> bool:
        run, me = self._mode()
        if run is None:
            return self._real.wait(timeout)
        if not self._lock._owned_by(me):
            raise RuntimeError("cannot wait on un-acquired lock")
        if me is MAIN:
            if timeout is None:
                raise _would_block_forever("a Condition")
            return False
        saved = self._lock._v_release_all(run, me)
        self._vwaiters.append(me)
        me.notified = False
        deadline = None if timeout is None else run.clock + max(timeout, 0)
        try:
            run.block(me, self, deadline, ("wait on", self))
        finally:
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

    def notify(self, n: int = 1) -> None:
        run, me = self._mode()
        if run is None:
            return self._real.notify(n)
        if not self._lock._owned_by(me):
            raise RuntimeError("cannot notify on un-acquired lock")
        woken = self._vwaiters[:n]
        del self._vwaiters[:n]
        for t in woken:
            t.notified = True
            run.wake_one(t)
        if me is not MAIN:
            run.record(me, ("notify", self))
        return None

    def notify_all(self) -> None:
        self.notify(len(self._vwaiters) if self._mode()[0] is not None else sys.maxsize)

    notifyAll = notify_all  # noqa: N815 - threading's alias

    def _is_owned(self) -> bool:
        run, me = self._mode()
        if run is None:
            return self._real._is_owned()
        return self._lock._owned_by(me)

    def __repr__(self) -> str:
        return f"<tutor.interleave Condition({self._lock!r})>"


# --- semaphores ----------------------------------------------------------------------------


class Semaphore(_Hybrid):
    """``threading.Semaphore``."""

    kind = "Semaphore"

    def __new__(cls, value=1):
        if cls is Semaphore and not _want_controlled():
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

    def acquire(self, blocking=True, timeout=None) -> bool:
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        run, me = _ctx()
        if me is None:
            return self._real.acquire(blocking, timeout)
        self._v(run)
        if me is MAIN:
            if self._vvalue > 0:
                self._vvalue -= 1
                return True
            if not blocking or timeout is not None:
                return False
            raise _would_block_forever("a Semaphore at 0")
        run.sync_point(me, ("acquire", self))
        if self._vvalue == 0:
            if not blocking or (timeout is not None and timeout <= 0):
                return False
            deadline = None if timeout is None else run.clock + timeout
            while self._vvalue == 0:
                run.block(me, self, deadline, ("waits for", self))
                if me.timed_out and self._vvalue == 0:
                    return False
        self._vvalue -= 1
        run.record(me, ("acquired", self))
        return True

    __enter__ = acquire

    def release(self, n: int = 1) -> None:
        if n < 1:
            raise ValueError("n must be one or more")
        run, me = _ctx()
        if me is None:
            return self._real.release(n)
        self._v(run)
        self._check_release(n)
        self._vvalue += n
        run.wake(self)
        if me is not MAIN:
            run.record(me, ("release", self))
        return None

    def _check_release(self, n) -> None:
        pass

    def __exit__(self, *exc) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<tutor.interleave {self.kind}>"


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
        if cls is BoundedSemaphore and not _want_controlled():
            return _real_bounded(value)
        return object.__new__(cls)

    def _make_real(self, value):
        return _real_bounded(value)

    def _check_release(self, n) -> None:
        if self._vvalue + n > self._initial:
            raise ValueError("Semaphore released too many times")


# --- event ---------------------------------------------------------------------------------


class Event(_Hybrid):
    """``threading.Event``."""

    kind = "Event"

    def __new__(cls):
        if cls is Event and not _want_controlled():
            return REAL.Event()
        return object.__new__(cls)

    def __init__(self) -> None:
        self._real = REAL.Event()
        self._note_creation()

    def _vreset(self) -> None:
        self._vflag = self._real.is_set()

    def is_set(self) -> bool:
        run, me = _ctx()
        if me is None:
            return self._real.is_set()
        return self._v(run)._vflag

    isSet = is_set  # noqa: N815 - threading's alias

    def set(self) -> None:
        run, me = _ctx()
        if me is None:
            return self._real.set()
        self._v(run)._vflag = True
        run.wake(self)
        if me is not MAIN:
            run.record(me, ("set", self))
        return None

    def clear(self) -> None:
        run, me = _ctx()
        if me is None:
            return self._real.clear()
        self._v(run)._vflag = False
        return None

    def wait(self, timeout=None) -> bool:
        run, me = _ctx()
        if me is None:
            return self._real.wait(timeout)
        self._v(run)
        if me is MAIN:
            if self._vflag or timeout is not None:
                return self._vflag
            raise _would_block_forever("an Event that is not set")
        run.sync_point(me, ("wait on", self))
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


class Barrier(_Hybrid):
    """``threading.Barrier``: parties, an optional action, timeouts, broken state, reset."""

    kind = "Barrier"

    def __new__(cls, parties, action=None, timeout=None):
        if cls is Barrier and not _want_controlled():
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

    def wait(self, timeout=None) -> int:
        run, me = _ctx()
        if me is None:
            return self._real.wait(timeout)
        self._v(run)
        if me is MAIN:
            raise _would_block_forever("a Barrier")
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
        run, me = _ctx()
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
        run, me = _ctx()
        if me is None:
            return self._real.abort()
        self._break(self._v(run)._vrun)
        return None

    @property
    def parties(self) -> int:
        return self._parties

    @property
    def n_waiting(self) -> int:
        run, me = _ctx()
        if me is None:
            return self._real.n_waiting
        return self._v(run)._vcount

    @property
    def broken(self) -> bool:
        run, me = _ctx()
        if me is None:
            return self._real.broken
        return self._v(run)._vbroken


# --- time ----------------------------------------------------------------------------------

_BASE = {"monotonic": REAL.monotonic(), "time": REAL.time(), "perf": REAL.perf_counter()}


def set_time_base() -> None:
    """Virtual clocks read as (real clock at the start of ``explore``) + virtual time."""
    _BASE["monotonic"] = REAL.monotonic()
    _BASE["time"] = REAL.time()
    _BASE["perf"] = REAL.perf_counter()


def sleep(secs) -> None:
    """``time.sleep``: in a controlled thread, a yield that lets virtual time pass."""
    run = ACTIVE.run
    if run is not None:
        me = run.who()
        if me is not None:
            if secs < 0:
                raise ValueError("sleep length must be non-negative")
            if me is MAIN:
                run.clock += secs
                return
            if secs == 0:
                run.record(me, ("sleep", 0))
                run.yield_now(me)
            else:
                run.block(me, SLEEP, run.clock + secs, ("sleep", secs))
            return
    REAL.sleep(secs)


def monotonic() -> float:
    run = ACTIVE.run
    if run is not None and run.who() is not None:
        return _BASE["monotonic"] + run.clock
    return REAL.monotonic()


def time() -> float:
    run = ACTIVE.run
    if run is not None and run.who() is not None:
        return _BASE["time"] + run.clock
    return REAL.time()


def perf_counter() -> float:
    run = ACTIVE.run
    if run is not None and run.who() is not None:
        return _BASE["perf"] + run.clock
    return REAL.perf_counter()


# --- Thread methods ------------------------------------------------------------------------


def _ts_of(thread):
    return thread.__dict__.get("_tutor_ts")


def thread_start(self) -> None:
    """``Thread.start``: a thread started from controlled code is controlled too."""
    run, me = _ctx()
    if me is None:
        return REAL.Thread_start(self)
    if not getattr(self, "_initialized", False):
        raise RuntimeError("thread.__init__() not called")
    if self._started.is_set() or _ts_of(self) is not None:
        raise RuntimeError("threads can only be started once")
    self._started.set()
    ts = run.spawn(self.run, (), self.name, self.daemon, self)
    self.__dict__["_tutor_ts"] = ts
    if me is not MAIN:
        run.record(me, ("start", ts))
    return None


def thread_join(self, timeout=None) -> None:
    ts = _ts_of(self)
    if ts is None:
        return REAL.Thread_join(self, timeout)
    run, me = _ctx()
    if run is None or ts.run is not run or me is None:
        return None  # a thread of a finished schedule: it is over
    if ts is me:
        raise RuntimeError("cannot join current thread")
    if me is MAIN:
        if ts.status == 2 or timeout is not None:
            return None
        raise _would_block_forever(f"thread {ts.name} (join)")
    run.sync_point(me, ("join", ts))
    deadline = None if timeout is None else run.clock + max(timeout, 0)
    while ts.status != 2:
        run.block(me, ts, deadline, ("join", ts))
        if me.timed_out:
            break
    return None


def thread_is_alive(self) -> bool:
    ts = _ts_of(self)
    if ts is None:
        return REAL.Thread_is_alive(self)
    run = ACTIVE.run
    if run is None or ts.run is not run:
        return False
    return ts.status != 2
