"""Scheduler-aware ``threading`` primitives: the shared machinery of hybrids.

Every object here is a *hybrid*: outside a schedule it delegates to a real primitive, so it
behaves exactly like ``threading``'s; inside a schedule (called from a controlled thread, or
from ``setup``/``check``) it works on virtual state that the scheduler owns, reset at the
start of each schedule from the real object's state. Blocking never blocks the OS thread:
it parks the controlled thread and lets the scheduler run another.
"""

from __future__ import annotations

import sys
import threading

from ._runtime import ACTIVE, learner_frame

_THREADING_GLOBALS = threading.__dict__
_TIMER_INIT = threading.Timer.__init__.__code__


class _Outside:
    """Holder of a lock that was already locked when the schedule began."""

    name = "a thread outside the explored ones"
    index = -2

    def __repr__(self) -> str:
        return "OUTSIDE"


OUTSIDE = _Outside()


def want_controlled() -> bool:
    """Should a constructor called right now return a hybrid (not a real) primitive?"""
    caller = sys._getframe(2)
    if caller.f_globals is _THREADING_GLOBALS and caller.f_code is not _TIMER_INIT:
        return False  # threading's own internals (Thread, real Condition...) need real ones
    if ACTIVE.installed:
        return True
    run = ACTIVE.run
    return run is not None and run.who() is not None


def context():
    """(the running schedule, who is calling: a ThreadState, MAIN or None), or (None, None)."""
    run = ACTIVE.run
    if run is None:
        return None, None
    return run, run.who()


def call_site():
    """(file, line) of the learner code that called the primitive, for messages."""
    frame = learner_frame(sys._getframe(2))
    if frame is None:
        return None
    return (frame.f_code.co_filename, frame.f_lineno)


def would_block_forever(what) -> RuntimeError:
    return RuntimeError(
        f"setup() or check() would wait forever on {what}: only the explored threads may block"
    )


class Hybrid:
    """Common bookkeeping: creation site and per-schedule virtual state."""

    kind = "object"
    _vrun = None

    def _note_creation(self) -> None:
        self._created = call_site()

    def _v(self, run):
        if self._vrun is not run:
            self._vrun = run
            run.primitives.append(self)  # see ``Run.primitives``
            self._vreset()
        return self

    def _vreset(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def __getattr__(self, name: str):
        """Other private helpers of the real primitive (``_at_fork_reinit``...) are its own.

        The standard library reaches into a few of them (issue 12); those that hold state
        the scheduler owns are properties of the subclasses instead.
        """
        real = self.__dict__.get("_real")
        if real is None or not name.startswith("_") or name.startswith("__"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(real, name)
