"""Shared types of the explorer: thread states, failure kinds, and the records passed around.

A leaf module: it imports nothing from the package, so every other module can use it and no
two modules need to import each other. What travels to the grader and the screens is plain
data (the ``TypedDict`` shapes below), never rendered text.
"""

from __future__ import annotations

import enum
from typing import TypedDict


class ThreadStatus(enum.IntEnum):
    """Where a controlled thread stands, as the scheduler sees it."""

    RUNNABLE = 0  # may be picked to run
    BLOCKED = 1  # parked on a primitive (and maybe a deadline on the virtual clock)
    FINISHED = 2  # its function returned or raised


RUNNABLE, BLOCKED, FINISHED = ThreadStatus.RUNNABLE, ThreadStatus.BLOCKED, ThreadStatus.FINISHED


class Kind:
    """``InterleavingFailure.kind`` values (contract section 3, plus ``timeout``)."""

    ASSERTION = "assertion"  # a thread raised, or check(state) failed
    DEADLOCK = "deadlock"  # every live non-daemon thread blocked, no deadline pending
    STARVATION = "starvation"  # no progress within the step bounds, or a thread stuck
    TIMEOUT = "timeout"  # the wall-clock safety limit ran out before the search finished


#: explanation patterns (contract section 2)
PATTERNS = (
    "lost-update", "check-then-act", "unprotected-invariant", "deadlock", "lost-wakeup",
    "wait-without-recheck", "starvation", "busy-wait", "exception", "other",
)  # fmt: skip


class _Sleep:
    """What a sleeping thread waits for."""

    def __repr__(self) -> str:
        return "SLEEP"


SLEEP = _Sleep()


class Step(TypedDict, total=False):
    """One row of a timeline. The first five keys are the contract's; others may be added."""

    thread: str
    file: str
    line: int
    source: str
    event: str
    accesses: list[dict]  # {"op", "target", "value"} of shared state touched in this step
    conflict: bool  # one of the accesses that the explanation names


class AccessRecord(TypedDict):
    thread: str
    line: int
    op: str
    target: str
    value: str | None


class Explanation(TypedDict):
    pattern: str
    summary: str
    location: str | None
    line: int | None
    accesses: list[AccessRecord]


class ThreadState:
    """The scheduler's view of one controlled thread."""

    __slots__ = (
        "index", "name", "fn", "args", "run", "worker", "status", "waiting", "deadline",
        "timed_out", "notified", "daemon", "thread", "consecutive", "defer", "yield_seq",
        "last_run", "held", "aborts", "reads", "next", "blocker", "pending_write",
    )  # fmt: skip

    def __init__(self, run, index: int, name: str, fn, args, daemon: bool, thread) -> None:
        self.index = index
        self.name = name
        self.fn = fn
        self.args = args
        self.run = run
        self.worker = None
        self.status: ThreadStatus = RUNNABLE
        self.waiting = None  # the object it is blocked on
        self.deadline: float | None = None  # virtual time at which a timed wait gives up
        self.timed_out = False
        self.notified = False
        self.daemon = daemon
        self.thread = thread  # the threading.Thread object the learner sees
        self.consecutive = 0  # points run in a row (fairness)
        self.defer: tuple = ()  # threads that must run before it may run again
        self.yield_seq = 0
        self.last_run = 0
        self.held: list = []  # locks it holds, in acquisition order
        self.aborts = 0
        self.reads = 0  # read-only points in a row (a spin, most likely)
        self.next = ""  # what it does when it next runs (for the controller)
        self.blocker = None  # (kind, object) of the untimed blocking call it is about to make
        self.pending_write = None  # a recorded write whose value is read back at its next step

    def __repr__(self) -> str:
        return f"<{self.name} {self.status.name.lower()}>"


class Failure:
    """What went wrong in one schedule, before it becomes an InterleavingFailure."""

    __slots__ = ("kind", "message", "thread", "exception", "stuck", "where", "facts")

    def __init__(self, kind: str, message: str, thread: ThreadState | None = None,
                 exception: BaseException | None = None) -> None:
        self.kind = kind
        self.message = message
        self.thread = thread
        self.exception = exception
        self.stuck = False
        self.where: tuple[str, int] | None = None  # (file, line) of the learner code at fault
        self.facts: dict | None = None  # who waits for what, for a deadlock (``_diagnosis``)
