"""Step through one schedule by hand ("you are the scheduler").

    with Controller(setup, [t1, t2], check) as c:
        while not c.finished:
            print(c.threads)          # where each thread stands
            c.step(c.choices[0])      # pick who runs next
        print(c.failure)              # an InterleavingFailure, or None if all went well

The schedule runs on a driver thread of its own; ``step`` returns once the next decision is
needed (or the schedule is over), so the caller (a UI, a test) stays in control.
"""

from __future__ import annotations

import linecache
import math
import os
import sys

from ._explore import DEFAULT_MAX_STEPS, TIMELINE_RING, Report, Session, failure_from
from ._naming import describe, event_text
from ._policy import default_choice
from ._runtime import allocate_lock, learner_frame, start_thread
from ._schedule import encode
from ._timeline import build_timeline
from ._types import BLOCKED, FINISHED, SLEEP


class _Handoff:
    """The strategy side: parks the deciding thread until the caller picks."""

    name = "controller"

    def __init__(self) -> None:
        self.ready = allocate_lock()
        self.ready.acquire()
        self.answer = allocate_lock()
        self.answer.acquire()
        self.pending = None
        self.choice = None

    def begin(self) -> None:
        pass

    def choose(self, run, cur, cands):
        self.pending = (cur, list(cands))
        self.ready.release()
        self.answer.acquire()
        choice = self.choice
        self.pending = None
        if choice is None or choice not in cands:
            return default_choice(cur, cands)
        return choice


class Controller:
    """Drive one schedule decision by decision, and see where every thread stands."""

    def __init__(self, setup, threads, check=None, *, max_steps: int | None = None):
        self._session = Session(setup, list(threads), check, max_steps or DEFAULT_MAX_STEPS)
        self._handoff = _Handoff()
        self._run = None
        self._ended = allocate_lock()
        self._ended.acquire()
        self._started = False
        self.finished = False
        self.error: BaseException | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> Controller:
        if self._started:
            return self
        self._started = True
        self._session.__enter__()
        start_thread(self._drive, ())
        self._wait_for_decision()
        return self

    def _drive(self) -> None:
        try:
            run = self._session.new_run(self._handoff, math.inf, record=TIMELINE_RING)
            run.watchdog = False  # a person may think for minutes between two steps
            self._run = run
            run.execute(self._session.setup, self._session.threads, self._session.check)
        except BaseException as exc:  # noqa: BLE001 - reported to the caller
            self.error = exc
        finally:
            self.finished = True
            self._handoff.ready.release()
            self._ended.release()

    def _wait_for_decision(self) -> None:
        self._handoff.ready.acquire()
        if self.finished:
            self._ended.acquire()
            self._ended.release()
            self._close_session()
        if self.error is not None:
            raise self.error

    def step(self, thread: int | None = None) -> None:
        """Let thread number ``thread`` (an entry of ``choices``) run to the next decision."""
        if not self._started:
            self.start()
        if self.finished:
            raise RuntimeError("the schedule is over")
        cur, cands = self._handoff.pending
        chosen = None
        if thread is None:
            chosen = default_choice(cur, cands)
        else:
            for t in cands:
                if t.index == thread:
                    chosen = t
            if chosen is None:
                raise ValueError(f"thread {thread} cannot run now; choose one of {self.choices}")
        self._handoff.choice = chosen
        self._handoff.answer.release()
        self._wait_for_decision()

    def run_to_end(self) -> None:
        """Finish the schedule with the default policy."""
        while not self.finished:
            self.step()

    def close(self) -> None:
        """Abandon the schedule (its threads unwind) and undo the patches."""
        if self._started and not self.finished:
            self._run.aborted = True
            self._handoff.choice = None
            self._handoff.answer.release()
            self._wait_for_decision()

    def _close_session(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            session.__exit__(None, None, None)

    def __enter__(self) -> Controller:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what the caller sees -------------------------------------------------------------

    @property
    def choices(self) -> list[int]:
        """Threads that may run next (empty once finished)."""
        if self.finished or self._handoff.pending is None:
            return []
        return [t.index for t in self._handoff.pending[1]]

    @property
    def current(self) -> int | None:
        if self.finished or self._handoff.pending is None:
            return None
        cur = self._handoff.pending[0]
        return cur.index if cur is not None else None

    @property
    def threads(self) -> list[dict]:
        """Each thread: index, name, state, file, line, source, waiting_for, holds, next.

        After a deadlock, the threads as they stood when it was found (blocked, holding).
        """
        run = self._run
        if run is None:
            return []
        frames = sys._current_frames()
        stuck = {}
        if self.finished and run.failure is not None and run.failure.facts:
            stuck = {row["thread"]: row for row in run.failure.facts["rows"]}
        out = []
        for t in run.threads:
            row = stuck.get(t)
            if row is not None:
                file, line = row["where"] or ("", 0)
                out.append({
                    "index": t.index, "name": t.name, "state": "blocked",
                    "file": os.path.basename(file), "line": line,
                    "source": linecache.getline(file, line).strip() if file else "",
                    "waiting_for": describe(run, row["waits"]),
                    "holds": [describe(run, lock) for lock in row["held"]], "next": "",
                })  # fmt: skip
                continue
            frame = learner_frame(frames.get(t.worker.ident)) if t.status != FINISHED else None
            if t.status == FINISHED:
                state = "finished"
            elif t.status == BLOCKED:
                state = "sleeping" if t.waiting is SLEEP else "blocked"
            else:
                state = "runnable"
            if frame is None and t.status != FINISHED:
                code = getattr(t.fn, "__code__", None)
                file, line = (code.co_filename, code.co_firstlineno) if code else ("", 0)
            elif frame is not None:
                file, line = frame.f_code.co_filename, frame.f_lineno
            else:
                file, line = "", 0
            out.append({
                "index": t.index,
                "name": t.name,
                "state": state,
                "file": os.path.basename(file),
                "line": line,
                "source": linecache.getline(file, line).strip() if file else "",
                "waiting_for": describe(run, t.waiting) if state in ("blocked", "sleeping") else "",
                "holds": [describe(run, lock) for lock in t.held],
                "next": event_text(run, t.next) if t.next and state == "runnable" else "",
            })
        return out

    @property
    def timeline(self) -> list[dict]:
        run = self._run
        if run is None:
            return []
        return build_timeline(run, [t.name for t in run.threads])

    @property
    def decisions(self) -> list[int]:
        """The thread chosen at each decision so far (``step`` arguments that replay them)."""
        run = self._run
        return list(run.decisions) if run is not None else []

    @property
    def state(self):
        """What ``setup()`` returned for this schedule (None before it ran)."""
        run = self._run
        return run.state if run is not None else None

    @property
    def schedule(self) -> str:
        """The choices so far, as a string ``replay`` accepts."""
        run = self._run
        return encode(run.deviations()) if run is not None else encode([])

    @property
    def failure(self):
        """The InterleavingFailure this schedule ended in, or None."""
        run = self._run
        if not self.finished or run is None or run.failure is None:
            return None
        return failure_from(run, Report(1, 0.0, False))
