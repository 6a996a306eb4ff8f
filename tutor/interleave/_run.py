"""One schedule: real threads that run one at a time, handing a baton to each other.

Each controlled thread parks on its own raw ``_thread`` lock (its gate). The thread that
reaches a scheduling point asks the strategy who runs next; if that is another thread it
releases that thread's gate and parks on its own. There is no scheduler thread: when the
same thread goes on, a scheduling point costs one strategy call.

Time is virtual: computation takes no time, ``sleep`` and timed waits block until the
scheduler chooses to let their deadline pass (either because nothing else can run, or as
an explored outcome: "the other threads were slow").
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque

from ._diagnosis import deadlock_facts, describe_deadlock, describe_starvation
from ._dpor import (
    CLOCK,
    footprint,
    holds_nothing_shared,
    lock_acquire,
    retry_footprint,
    sync_footprint,
)
from ._policy import default_choice
from ._record import record_point, settle
from ._runtime import (
    ACTIVE,
    MAIN,
    Abort,
    allocate_lock,
    get_ident,
    is_learner_file,
    learner_frame,
    wall,
)
from ._stall import StallClock
from ._types import BLOCKED, FINISHED, RUNNABLE, SLEEP, Failure, Kind, ThreadState
from ._workers import STUCK_GRACE_S, Worker, async_raise

__all__ = ["BLOCKED", "FINISHED", "RUNNABLE", "SLEEP", "Run", "default_choice"]

#: how often the explorer's thread looks whether the running thread still makes progress
WATCH_INTERVAL_S = 0.25

#: a thread that runs this many points in a row while others could run yields (fairness)
FAIR_STEPS = 100
#: ... or this many points in a row that only read shared state (a spin loop, most likely)
SPIN_STEPS = 12
#: points in a row, over all threads, that only read shared state: everyone is spinning
QUIET_STEPS = 5_000


class Run:
    """Executes ``setup``, the threads under a strategy, and ``check``, exactly once."""

    def __init__(self, strategy, pool, *, max_steps, deadline, record=0, fair_steps=FAIR_STEPS):
        self.strategy = strategy
        self.pool = pool
        self.max_steps = max_steps
        self.deadline = deadline
        self.fair_steps = fair_steps
        self.threads: list[ThreadState] = []
        self.current: ThreadState | None = None
        self.current_ident = None
        self.main_ident = get_ident()
        self.clock = 0.0
        self.steps = 0
        self.quiet = 0  # points since any thread last wrote shared state or synchronised
        self.seq = 0
        self.decisions: list[int] = []
        self.defaults: list[int] = []  # what the default policy would have chosen
        self.failure: Failure | None = None
        self.aborted = False
        self.out_of_budget = False
        self.phase = "setup"
        self.state = None
        self.done = allocate_lock()
        self.done.acquire()
        self.ring = deque(maxlen=record) if record else None
        self.after_setup = None  # called with the state before any thread starts
        self.watchdog = True  # interrupt a thread stuck outside any point (off when stepping)
        self.dpor_state = None  # the partial-order reduction's bookkeeping, when it drives
        #: every primitive this run used, alive until it ends: the reduction names a primitive
        #: by its ``id()``, which a primitive made and dropped inside a call would otherwise
        #: hand on to the next one made (two locks taken for one, and a release of the first
        #: ordering an acquire of the second)
        self.primitives: list = []
        self.pruned = False  # abandoned as redundant (every choice asleep): not a failure
        #: the clock or a fairness rule, not the strategy, ruled a thread out somewhere
        self.narrowed = False
        self.leaked: list[Worker] = []

    # -- who is calling -------------------------------------------------------------------

    def who(self):
        """The calling thread's state, MAIN for setup/check, None for an unrelated thread."""
        ident = get_ident()
        if ident == self.current_ident:
            return self.current
        if ident == self.main_ident and self.phase != "threads":
            return MAIN
        return None

    # -- main thread: one whole execution ---------------------------------------------------

    def execute(self, setup, fns, check) -> None:
        ACTIVE.run = self
        try:
            try:
                self.state = setup() if setup is not None else None
            except BaseException:
                self.aborted = True
                self._unwind()  # threads that setup() started but never ran
                raise
            if self.after_setup is not None:
                self.after_setup(self.state)
            for i, fn in enumerate(fns):
                self.spawn(fn, (self.state,), f"T{i + 1}", False, None)
            self.phase = "threads"
            cands = self.candidates(None)
            if cands:
                first = self.decide(None, cands)
                if self.dpor_state is not None:
                    self.dpor_state.execute(first.index, self)
                self.activate(first)
                first.worker.gate.release()
                try:
                    self._wait_done()
                except BaseException:  # e.g. KeyboardInterrupt: still unwind every thread
                    self.aborted = True
                    self.done.acquire(timeout=STUCK_GRACE_S)
                    self._unwind()
                    raise
            self._unwind()
            self.phase = "check"
            if self.failure is None and not self.out_of_budget and not self.pruned and (
                    check is not None):  # a pruned schedule stopped halfway: nothing to check
                try:
                    check(self.state)
                except Abort:
                    raise
                except BaseException as exc:  # noqa: BLE001 - the learner's check decides
                    self.failure = Failure(Kind.ASSERTION, _check_message(exc), None, exc)
        finally:
            self.phase = "done"
            ACTIVE.run = None

    def _wait_done(self) -> None:
        """Wait for the schedule to end; interrupt a thread that stops reaching points.

        "Stops" is measured on the running thread's own time (``StallClock``), not the wall
        clock: on a loaded machine the OS may leave a runnable thread without a CPU for
        seconds, and that must not turn a correct program into a "starvation" verdict. The
        budget needs no check here: a thread that makes progress checks it itself.
        """
        last_progress = None
        clock = None
        while True:
            if self.done.acquire(timeout=WATCH_INTERVAL_S):
                return
            progress = (self.steps, self.seq, self.current)
            if progress != last_progress or not self.watchdog or clock is None:
                last_progress = progress
                ts = self.current
                clock = StallClock(ts.worker.native_id, ts.worker.cpu_clock) if ts else None
            elif clock.stalled() > STUCK_GRACE_S:
                self._stuck()
                return

    def _stuck(self) -> None:
        """The running thread no longer reaches scheduling points: interrupt it if we can."""
        ts = self.current
        where = _thread_location(ts) if ts is not None else "?"
        self.aborted = True
        if self.failure is None:
            self.failure = Failure(
                Kind.STARVATION,
                f"{ts.name if ts else 'a thread'} ran for more than {STUCK_GRACE_S:g} s without "
                f"reaching a point the scheduler controls (at {where}): an endless loop that "
                "touches no shared state, or a wait on something outside threading",
                ts,
            )
            self.failure.stuck = True
        if ts is not None:
            async_raise(ts.worker.ident, Abort)
            if self.done.acquire(timeout=STUCK_GRACE_S):
                return
            self._give_up(ts)

    def _unwind(self) -> None:
        """Let every unfinished thread unwind (raising Abort inside it), one at a time."""
        for ts in self.threads:
            if ts.status == FINISHED or ts.worker in self.leaked:
                continue
            self.aborted = True
            self.current = ts
            self.current_ident = ts.worker.ident
            ts.worker.gate.release()
            if not self.done.acquire(timeout=STUCK_GRACE_S):
                async_raise(ts.worker.ident, Abort)
                if not self.done.acquire(timeout=STUCK_GRACE_S):
                    self._give_up(ts)
        self.current = None
        self.current_ident = None

    def _give_up(self, ts: ThreadState) -> None:
        """Leave a thread that cannot be stopped; its OS thread ends if it ever gets free."""
        ts.worker.retired = True
        self.leaked.append(ts.worker)
        ts.status = FINISHED

    # -- threads ----------------------------------------------------------------------------

    def spawn(self, fn, args, name, daemon, thread) -> ThreadState:
        ts = ThreadState(self, len(self.threads), name, fn, args, daemon, thread)
        if self.dpor_state is not None:
            parent = self.current.index if self.current is not None else None
            self.dpor_state.spawned(parent, ts.index)
        ts.worker = self.pool.take(ts)
        if thread is None:
            ts.thread = self.pool.dummy_thread(ts.index, name)
        self.threads.append(ts)
        return ts

    def thread_body(self, ts: ThreadState, backend) -> None:
        """Runs in the worker once ``ts`` first gets the baton; ends by passing it on.

        Only the learner's function runs traced (``backend.thread_enter``): on 3.11 every
        Python call in a traced thread raises a 'call' event (about 1,500 instructions), and
        the bookkeeping before and after it made some 15 of them per thread and schedule."""
        ident = ts.worker.ident
        active = threading._active  # current_thread() must name the learner's thread
        active[ident] = ts.thread
        if ts.thread is not None and hasattr(ts.thread, "_ident"):
            ts.thread._ident = ident
        try:
            if not self.aborted:
                # set anew for each job: a tracer that raised Abort was unset by CPython
                backend.thread_enter()
                try:
                    ts.fn(*ts.args)
                finally:
                    backend.thread_exit()
        except (Abort, SystemExit):
            pass  # SystemExit ends a thread quietly, as in threading
        except BaseException as exc:  # noqa: BLE001 - any exception in a thread is a finding
            if not self.aborted:
                self.failure = Failure(Kind.ASSERTION, _thread_exception_message(ts, exc), ts,
                                       exc)
                self.failure.where = _exception_site(exc)
                self.aborted = True
        finally:
            if active.get(ident) is ts.thread:
                del active[ident]
        self._finish(ts)

    def _finish(self, ts: ThreadState) -> None:
        if ts.pending_write is not None:
            settle(ts)
        self.record(ts, "finished")
        state = self.dpor_state
        if state is not None:
            state.touch(ts.index, self, ("sync", id(ts)), True)  # joiners may go on
            state.pending.pop(ts.index, None)
        ts.status = FINISHED
        if ts.thread is not None and "_tutor_ts" in ts.thread.__dict__:
            _mark_thread_done(ts.thread)
        self.wake(ts)
        if not ts.worker.retired and not self.pool.closed:
            self.pool.idle.append(ts.worker)
        if not self.aborted:
            cands = self.candidates(ts)
            if cands:
                nxt = self.decide(ts, cands)
                if state is not None:
                    state.execute(nxt.index, self)
                self.activate(nxt)
                nxt.worker.gate.release()
                return
            if self._live_non_daemon():
                self._deadlock()
            else:
                self.aborted = True  # only daemon threads left: the program is over
        self.current = None
        self.current_ident = None
        self.done.release()

    def _live_non_daemon(self) -> bool:
        return any(t.status != FINISHED and not t.daemon for t in self.threads)

    # -- scheduling ---------------------------------------------------------------------

    def candidates(self, cur) -> list[ThreadState]:
        """Threads the strategy may pick next, in index order."""
        runnable = []
        timed = []
        for t in self.threads:
            if t.status == RUNNABLE:
                runnable.append(t)
            elif t.status == BLOCKED and t.deadline is not None:
                timed.append(t)
        if not runnable:
            if not timed:
                return []
            first = min(t.deadline for t in timed)
            earliest = [t for t in timed if t.deadline == first]
            if len(earliest) < len(timed):
                self._ruled_out()  # the clock, not a dependence, decided who may go
            return earliest
        cands = []
        for t in self.threads:
            if t.status == RUNNABLE or (t.status == BLOCKED and t.deadline is not None):
                if t.blocker is not None and _stalled(t.blocker):
                    continue  # it would block at once: disabled until a dependent step
                if self._deferred(t):
                    self._ruled_out()  # fairness, not a dependence, decided
                    continue
                cands.append(t)
        return cands or runnable

    def _ruled_out(self) -> None:
        """A rule of ours (fairness, the clock), not the strategy, kept a thread from running:
        this schedule cannot be the only one, nor count towards a proof."""
        self.narrowed = True
        if self.dpor_state is not None:
            self.dpor_state.fair = True

    def _deferred(self, t: ThreadState) -> bool:
        if not t.defer:
            return False
        for u in t.defer:
            if u.status == RUNNABLE and u.last_run < t.yield_seq:
                return True
        t.defer = ()
        return False

    def _defer(self, ts: ThreadState) -> None:
        """``ts`` yielded: it may not run again before every other runnable thread has."""
        ts.defer = tuple(t for t in self.threads if t is not ts and t.status == RUNNABLE)
        ts.yield_seq = self.seq

    def decide(self, cur, cands) -> ThreadState:
        """Ask the strategy when there is a choice; remember the choice and the default."""
        if len(cands) == 1:
            return cands[0]
        nxt = self.strategy.choose(self, cur, cands)
        self.decisions.append(nxt.index)
        self.defaults.append(default_choice(cur, cands).index)
        return nxt

    def activate(self, nxt: ThreadState) -> None:
        if nxt.status == BLOCKED:  # chosen while blocked with a deadline: it times out now
            if nxt.deadline > self.clock:
                self.clock = nxt.deadline
            nxt.timed_out = True
            nxt.status = RUNNABLE
            nxt.deadline = None
        self.seq += 1
        nxt.last_run = self.seq
        nxt.consecutive = 0
        self.current = nxt
        self.current_ident = nxt.worker.ident

    def _transfer(self, me: ThreadState, nxt: ThreadState) -> None:
        """``me`` hands the baton to ``nxt`` and parks until someone hands it back."""
        self.activate(nxt)
        if nxt is me:
            return
        nxt.worker.gate.release()
        me.worker.gate.acquire()
        if self.aborted:
            self._raise_abort(me)

    def _raise_abort(self, me: ThreadState) -> None:
        me.aborts += 1
        if me.aborts > 1000:  # the learner's code keeps swallowing Abort: park it for good
            self._give_up(me)
            self.done.release()
            forever = allocate_lock()
            forever.acquire()
            forever.acquire()
        raise Abort

    def point(self, code, where) -> None:
        """A preemption point in learner code (called by the tracing backend)."""
        ts = self.current
        if self.aborted:
            self._raise_abort(ts)
        access = where[3]
        if access is not None and access.target is not None and (
                access.target[0] == "contents") and holds_nothing_shared(
                    access, sys._getframe(2)):
            return  # an int or a str tested or added: nothing another thread can change
        if ts.pending_write is not None:
            settle(ts)
        if self.dpor_state is not None:
            # the learner's frame: below this method and the tracer/monitoring callback
            self.dpor_state.declare(
                ts.index, footprint(access, sys._getframe(2)) if access is not None else ())
        self.steps += 1
        ts.next = where[1]
        if where[2]:
            ts.reads = 0
            self.quiet = 0
        else:
            ts.reads += 1
            self.quiet += 1
        self._step(ts)
        if self.ring is not None and not self.aborted:  # recorded once it really runs
            access = where[3]
            rec = None
            if access is not None:
                # the learner's frame: below this method and the tracer/monitoring callback
                rec = record_point(ts, sys._getframe(2), access)
            self.ring.append((ts.index, code.co_filename, where[0], where[1], rec))

    def sync_point(self, ts: ThreadState, event, blocker=None) -> None:
        """A scheduling point before a synchronisation operation.

        ``blocker`` names the untimed blocking call about to be made (see ``_stalled``).
        """
        if self.aborted:
            self._raise_abort(ts)
        if ts.pending_write is not None:
            settle(ts)
        if self.dpor_state is not None:
            self.dpor_state.declare(ts.index, sync_footprint(ts, event, blocker is not None))
        self.steps += 1
        ts.reads = 0
        self.quiet = 0
        ts.next = event
        ts.blocker = blocker
        try:
            self._step(ts)
        finally:
            ts.blocker = None

    def _step(self, ts: ThreadState) -> None:
        if self.steps > self.max_steps or self.quiet > QUIET_STEPS:
            self._starvation(ts)
        if self.steps & 127 == 0 and wall() > self.deadline:
            self._out_of_budget()
        ts.consecutive += 1
        others = False
        for t in self.threads:
            if t is not ts and (
                t.status == RUNNABLE or (t.status == BLOCKED and t.deadline is not None)
            ):
                others = True
                break
        state = self.dpor_state
        if not others:
            if state is not None:
                state.execute(ts.index, self)
            return
        if ts.consecutive > self.fair_steps or ts.reads > SPIN_STEPS:
            self._defer(ts)
            ts.reads = 0
        cands = self.candidates(ts)
        nxt = self.decide(ts, cands)
        if state is not None:
            state.execute(nxt.index, self)
        if nxt is not ts:
            self._transfer(ts, nxt)

    def yield_now(self, ts: ThreadState) -> None:
        """``sleep(0)``: let every other runnable thread go first, at no preemption cost."""
        self._defer(ts)
        self._step(ts)

    def block(self, ts: ThreadState, obj, deadline, what: str) -> None:
        """Park ``ts`` until ``wake(obj)`` (or its deadline, if the scheduler lets it pass)."""
        if self.aborted:
            self._raise_abort(ts)
        ts.status = BLOCKED
        ts.waiting = obj
        ts.deadline = deadline
        ts.timed_out = False
        if deadline is not None:
            self._defer(ts)
        self.record(ts, what)
        state = self.dpor_state
        if state is not None:
            # when it runs again: a retry on ``obj`` (woken), or a timeout (moves the clock)
            if deadline is not None:
                state.touch(ts.index, self, CLOCK, False)
            state.pending[ts.index] = retry_footprint(obj, deadline is not None)
        cands = self.candidates(ts)
        if not cands:
            if self._live_non_daemon():
                self._deadlock()
            else:
                self.aborted = True
            self._raise_abort(ts)
        nxt = self.decide(ts, cands)
        if state is not None:
            state.execute(nxt.index, self)
        self._transfer(ts, nxt)
        ts.waiting = None

    def touch(self, ts, loc, write: bool = True) -> None:
        """A controlled thread's step accessed ``loc`` (a primitive, the clock) on the way."""
        state = self.dpor_state
        if state is not None and ts is not None and ts is not MAIN and self.phase == "threads":
            state.touch(ts.index, self, loc, write)

    def prune(self) -> None:
        """Abandon this schedule as redundant (it can only repeat one explored already)."""
        self.pruned = True
        self.aborted = True

    def wake(self, obj) -> None:
        """Make every thread blocked on ``obj`` runnable (it re-checks its condition)."""
        if self.dpor_state is not None:
            self.touch(self.current, ("sync", id(obj)), True)
        for t in self.threads:
            if t.status == BLOCKED and t.waiting is obj:
                t.status = RUNNABLE
                t.deadline = None

    def wake_one(self, t: ThreadState, by: ThreadState, lock) -> None:
        """``by`` notified ``t``, which waited on a condition over ``lock``: it may go on once
        it has the lock back, so until then it is no choice (see ``_stalled``)."""
        if t.status == BLOCKED:
            t.status = RUNNABLE
            t.deadline = None
            t.blocker = ("lock", lock)
            state = self.dpor_state
            if state is not None and by is not MAIN and self.phase == "threads":
                state.woken(t.index, by.index, lock_acquire(lock, True))

    def deviations(self) -> list[tuple[int, int]]:
        """(decision number, thread) wherever this run left the default policy."""
        pairs = enumerate(zip(self.decisions, self.defaults, strict=True))
        return [(k, chosen) for k, (chosen, default) in pairs if chosen != default]

    # -- failures -------------------------------------------------------------------------

    def _deadlock(self) -> None:
        if self.failure is None:
            facts = deadlock_facts(self)
            self.failure = Failure(Kind.DEADLOCK, describe_deadlock(self, facts))
            self.failure.facts = facts
        self.aborted = True

    def _starvation(self, ts: ThreadState) -> None:
        if self.failure is None:
            self.failure = Failure(Kind.STARVATION, describe_starvation(self), ts)
            frame = learner_frame(sys._getframe(1))
            if frame is not None:
                self.failure.where = (frame.f_code.co_filename, frame.f_lineno)
        self.aborted = True
        self._raise_abort(ts)

    def _out_of_budget(self) -> None:
        self.out_of_budget = True
        self.aborted = True
        self._raise_abort(self.current)

    # -- recording (only in the final, reported replay) -----------------------------------

    def record(self, ts, event) -> None:
        if self.ring is None or self.aborted:
            return
        if ts.pending_write is not None:
            settle(ts)
        frame = learner_frame(sys._getframe(1))
        if frame is None:
            self.ring.append((ts.index, "", 0, event, None))
        else:
            self.ring.append((ts.index, frame.f_code.co_filename, frame.f_lineno, event, None))


def _mark_thread_done(thread) -> None:
    """The real side of a Thread object we only started virtually: it is over (3.11, 3.12;
    3.13+ read it from the handle that ``thread_start`` gave the object)."""
    if hasattr(thread, "_is_stopped"):
        thread._is_stopped = True


def _stalled(blocker) -> bool:
    """Would this pending call block at once? Running such a thread changes nothing but its
    status, so it is not offered as a choice (a sound reduction: fewer, equivalent schedules)."""
    kind, obj = blocker
    if kind == "lock":
        return obj._vowner is not None
    if kind == "semaphore":
        return obj._vvalue == 0
    if kind == "event":
        return not obj._vflag
    return obj.status != FINISHED  # "join"


def _check_message(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, AssertionError):
        return f"check(state) failed: {text}" if text else "check(state) failed"
    return f"check(state) raised {type(exc).__name__}: {text}" if text else (
        f"check(state) raised {type(exc).__name__}")


def _exception_site(exc: BaseException) -> tuple[str, int] | None:
    """(file, line) of the innermost learner frame the exception went through."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        if is_learner_file(tb.tb_frame.f_code.co_filename):
            last = tb
        tb = tb.tb_next
    return (last.tb_frame.f_code.co_filename, last.tb_lineno) if last is not None else None


def _thread_exception_message(ts: ThreadState, exc: BaseException) -> str:
    site = _exception_site(exc)
    where = f" at {os.path.basename(site[0])}:{site[1]}" if site else ""
    text = str(exc).strip()
    return f"{ts.name} raised {type(exc).__name__}{': ' + text if text else ''}{where}"


def _thread_location(ts: ThreadState) -> str:
    frame = sys._current_frames().get(ts.worker.ident)
    frame = learner_frame(frame)
    if frame is None:
        return "?"
    return f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno}"
