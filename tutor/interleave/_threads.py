"""``Thread.start``/``join``/``is_alive``: threads started from controlled code are controlled."""

from __future__ import annotations

from ._hybrid import context, would_block_forever
from ._points import untraced
from ._runtime import ACTIVE, MAIN, REAL
from ._types import FINISHED


class _VirtualHandle:
    """Stands for the OS thread handle (3.13+) of a Thread that only ever ran virtually.

    The real handle was never started: joined after the schedule (``concurrent.futures``
    joins its workers at exit) it would raise "thread not started".
    """

    __slots__ = ("ts",)

    def __init__(self, ts) -> None:
        self.ts = ts

    @property
    def ident(self):
        return None

    def is_done(self) -> bool:
        return self.ts.status == FINISHED or self.ts.run.phase == "done"

    def join(self, timeout=None) -> None:
        return None  # a virtual thread never blocks a real joiner

    def _set_done(self) -> None:
        pass


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
    for attr in ("_os_thread_handle", "_handle"):  # 3.14+, 3.13
        if attr in self.__dict__:
            self.__dict__[attr] = _VirtualHandle(ts)
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
        if ts.status == FINISHED or timeout is not None:
            return None
        raise would_block_forever(f"thread {ts.name} (join)")
    run.sync_point(me, ("join", ts), ("join", ts) if timeout is None else None)
    deadline = None if timeout is None else run.clock + max(timeout, 0)
    while ts.status != FINISHED:
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
    return ts.status != FINISHED
