"""``Thread.start``/``join``/``is_alive``: threads started from controlled code are controlled."""

from __future__ import annotations

from ._hybrid import context, would_block_forever
from ._points import untraced
from ._runtime import ACTIVE, MAIN, REAL


def _ts_of(thread):
    return thread.__dict__.get("_tutor_ts")


@untraced
def thread_start(self) -> None:
    """``Thread.start``: a thread started from controlled code is controlled too."""
    run, me = context()
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


@untraced
def thread_join(self, timeout=None) -> None:
    ts = _ts_of(self)
    if ts is None:
        return REAL.Thread_join(self, timeout)
    run, me = context()
    if run is None or ts.run is not run or me is None:
        return None  # a thread of a finished schedule: it is over
    if ts is me:
        raise RuntimeError("cannot join current thread")
    if me is MAIN:
        if ts.status == 2 or timeout is not None:
            return None
        raise would_block_forever(f"thread {ts.name} (join)")
    run.sync_point(me, ("join", ts), ("join", ts) if timeout is None else None)
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
