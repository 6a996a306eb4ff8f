"""The trusted side of a play session: start the sandboxed child, ask, check every answer.

``PlaySession`` copies the hidden tests and the learner's file into a scratch directory exactly
as grading does (same sandbox, limits, environment and ``install()`` of the hybrids; in strict
mode the integrity policy refuses the code before anything runs), starts pytest on the
scenario's test with the play driver (``tutor.play.driver``) through
``tutor.runner.start_sandboxed``, and then answers the screen's requests one at a time: run a
thread to its next decision, go back to an earlier step, restart, fetch the explorer's failing
order. Every reply is checked against the request (``tutor.play.messages``); one that could
not be honest stops the child. Each call blocks until the answer arrives or a time limit ends
it, so a screen calls them from a worker thread.

The session keeps its own record of the decisions taken and who took them (the learner's
keys, the default policy, or "show me"); ``found_it`` decides from that record and from the
starter's identity, never from the child's word alone.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tutor import integrity
from tutor.grading import escape_control, remove_tree
from tutor.names import SUBMISSION_FILE, TEST_FILE
from tutor.play.messages import (
    Context,
    Expectation,
    Plan,
    Problem,
    Ready,
    State,
    Violation,
    parse_ready,
    parse_reply,
)
from tutor.play.scenario import Scenario, find_scenario, same_program
from tutor.runner import Limits

SESSION_LIMIT_S = 3600.0  # a person may think for a long time; the child idles meanwhile
SESSION_CPU_S = 600  # CPU seconds for the whole session (stepping costs milliseconds)
START_LIMIT_S = 60.0  # pytest, the hidden tests and the learner's module, on a loaded machine
STEP_LIMIT_S = 15.0  # one thread to its next decision
SHOW_LIMIT_S = 90.0  # the explorer's search and shrinking, at the test's own budget
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
HAND, DEFAULT, PLAN = "hand", "default", "plan"


class Playable(Protocol):
    """What a session needs of an exercise (``tutor.course.Exercise`` has it)."""

    id: str
    play: str | None
    allow_imports: tuple[str, ...]

    @property
    def test_path(self) -> Path: ...

    @property
    def starter_path(self) -> Path: ...


class PlayError(Exception):
    """The session is over (or never started); the message is one line for the learner."""


class Refused(PlayError):
    """Strict mode: the integrity policy refused the code; ``findings`` say why."""

    def __init__(self, findings: list[str]) -> None:
        super().__init__("the integrity policy refused this code: " + "; ".join(findings[:3]))
        self.findings = findings


@dataclass(frozen=True)
class Decision:
    """One decision of the current run: the thread that ran, and who chose it."""

    thread: int
    origin: str  # HAND (a number key), DEFAULT (space) or PLAN ("show me")


class PlaySession:
    """One scenario of one exercise, played on one file, in one sandboxed child."""

    def __init__(
        self,
        exercise: Playable,
        path: Path | str,
        *,
        strict: bool = False,
        step_limit_s: float = STEP_LIMIT_S,
        session_limit_s: float = SESSION_LIMIT_S,
    ) -> None:
        self.exercise = exercise
        self.path = Path(path)
        self.strict = strict
        self.step_limit_s = step_limit_s
        self.session_limit_s = session_limit_s
        self.submission = self.path.read_bytes()
        self.tests = Path(exercise.test_path).read_bytes()
        self.scenario: Scenario = find_scenario(self.tests, exercise.play)
        self.findings = integrity.scan(self.submission, getattr(exercise, "allow_imports", ()))
        self.is_starter = same_program(self.submission, Path(exercise.starter_path).read_bytes())
        self.context = Context(
            submission_lines=tuple(_lines(self.submission)),
            test_lines=tuple(_lines(self.tests)),
            threads=self.scenario.threads,
        )
        self.ready: Ready | None = None
        self.state: State | None = None
        self.decisions: list[Decision] = []
        self.ended: str | None = None  # why the child is gone, once it is
        self._process: Any = None
        self._outer: str | None = None
        self._seq = 0
        self._lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> State:
        """Start the child on the scenario and return the first state (nothing run yet)."""
        if self.findings and self.strict:
            raise Refused(self.findings)
        from tutor.runner import start_sandboxed

        scratch = self._scratch()
        writable = scratch / "tmp"
        env = {
            "PYTHONPATH": os.pathsep.join([str(scratch), _PACKAGE_PARENT]),
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "TMPDIR": str(writable),
            "HOME": str(writable),
        }
        try:
            process = start_sandboxed(
                _pytest_argv(scratch, self.scenario.test),
                cwd=scratch,
                timeout_s=self.session_limit_s,
                env=env,
                writable=[writable],
                limits=Limits(cpu_s=SESSION_CPU_S),
                messages=True,
            )
        except OSError as exc:
            self.close()
            raise PlayError(f"the scheduler could not start the sandbox: {exc}") from None
        with self._lock:
            self._process = process
        first = self._receive(START_LIMIT_S, "start")
        reply = self._checked(lambda: parse_ready(first, self.context))
        if isinstance(reply, Problem):
            self._stop(reply.message)
            raise PlayError(reply.message)
        self.ready = reply
        state = self.goto([])
        if isinstance(state, Problem):
            self._stop(state.message)
            raise PlayError(state.message)
        return state

    def _scratch(self) -> Path:
        """A private scratch directory, as grading makes one (the sandbox shares it)."""
        scratch = Path(tempfile.mkdtemp(prefix="tutor-play-"))
        self._outer = str(scratch)
        (scratch / TEST_FILE).write_bytes(self.tests)
        (scratch / SUBMISSION_FILE).write_bytes(self.submission)
        (scratch / "pytest.ini").write_text("[pytest]\n")
        (scratch / "tmp").mkdir()
        return scratch

    @property
    def alive(self) -> bool:
        process = self._process
        return process is not None and process.running and self.ended is None

    def close(self) -> None:
        """End the child and remove the scratch directory (safe to call twice, from any
        thread)."""
        with self._lock:
            process, self._process = self._process, None
            outer, self._outer = self._outer, None
        if process is not None:
            if process.running:
                process.send({"op": "quit"})
                try:
                    process.wait(timeout=1.0)
                except TimeoutError:
                    process.kill()
            try:
                process.wait(timeout=10.0)
            except TimeoutError:
                pass
        if self.ended is None:
            self.ended = "the session was closed"
        if outer is not None:
            remove_tree(outer)

    def _stop(self, why: str) -> None:
        self.ended = why
        process = self._process
        if process is not None:
            process.kill()

    # -- requests -------------------------------------------------------------------------

    def step(self, thread: int | None, origin: str = HAND) -> State | Problem:
        """Run ``thread`` (None: the default policy's pick) to its next decision."""
        state = self._need_state()
        if state.finished:
            return Problem("this run is over: u undoes the last step, r restarts")
        if thread is not None and thread not in state.choices:
            return Problem(self.why_not(thread))
        expected = Expectation(self._next_seq(), "step", thread=thread, previous=state)
        reply = self._ask({"op": "step", "seq": expected.seq, "thread": thread}, expected,
                          self.step_limit_s)  # fmt: skip
        if isinstance(reply, State):
            self.decisions.append(Decision(reply.chosen, origin))  # type: ignore[arg-type]
            self.state = reply
        return reply  # type: ignore[return-value]

    def goto(self, decisions: Iterable[Decision]) -> State | Problem:
        """A fresh run with ``decisions`` replayed: restart (none) and undo (one fewer)."""
        wanted = list(decisions)
        choices = tuple(d.thread for d in wanted)
        expected = Expectation(self._next_seq(), "goto", choices=choices, previous=self.state)
        limit = self.step_limit_s + 0.05 * len(choices)
        reply = self._ask({"op": "goto", "seq": expected.seq, "choices": list(choices)},
                          expected, limit)  # fmt: skip
        if isinstance(reply, State):
            self.decisions = wanted[: reply.step]
            self.state = reply
        return reply  # type: ignore[return-value]

    def undo(self) -> State | Problem:
        if not self.decisions:
            return Problem("nothing to undo: no thread has run yet")
        return self.goto(self.decisions[:-1])

    def restart(self) -> State | Problem:
        return self.goto([])

    def show_me(self) -> Plan | Problem:
        """Ask the explorer for its failing order of this scenario (on the learner's code)."""
        expected = Expectation(self._next_seq(), "show")
        reply = self._ask({"op": "show", "seq": expected.seq}, expected, SHOW_LIMIT_S)
        self.state = None  # the child closed its run to explore: goto next
        return reply  # type: ignore[return-value]

    def _need_state(self) -> State:
        if self.state is None:
            raise PlayError("no run is in progress")
        return self.state

    def why_not(self, thread: int) -> str:
        """Why thread number ``thread`` (from 0) cannot be chosen now, in one line."""
        state = self._need_state()
        if thread >= len(state.threads):
            return f"there is no T{thread + 1}: this scenario has {len(state.threads)} threads"
        view = state.threads[thread]
        if view.state == "finished":
            return f"{view.name} has finished"
        if view.state == "blocked":
            return f"{view.name} is blocked: it waits for {view.waiting_for}"
        if view.next:
            return f"{view.name} cannot run now: its next step ({view.next}) would only block"
        return f"{view.name} cannot run now"

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _ask(self, request: dict[str, Any], expected: Expectation,
             limit_s: float) -> State | Plan | Problem:  # fmt: skip
        process = self._process
        if process is None or self.ended is not None:
            raise PlayError(self.ended or "the session is not running")
        if not process.send(request):
            raise PlayError(self._end_reason("the program stopped listening"))
        message = self._receive(limit_s, request["op"])
        return self._checked(
            lambda: parse_reply(message, expected, self.context, self._threads())
        )

    def _threads(self) -> int:
        return self.ready.threads if self.ready is not None else 1

    def _checked(self, parse: Any) -> Any:
        try:
            return parse()
        except Violation as exc:
            why = (f"the program sent a state it could not have reached ({exc}); "
                   "the session was stopped")  # fmt: skip
            self._stop(why)
            raise PlayError(why) from None

    def _receive(self, limit_s: float, what: str) -> dict[str, Any]:
        process = self._process
        if process is None:
            raise PlayError(self.ended or "the session is not running")
        deadline = time.monotonic() + limit_s
        while True:
            message = process.receive(timeout=max(0.0, deadline - time.monotonic()))
            if message is not None:
                return message
            if not process.running:
                raise PlayError(self._end_reason("the program ended"))
            if time.monotonic() >= deadline:
                why = _too_slow(what, limit_s, self.state)
                self._stop(why)
                raise PlayError(why)

    def _end_reason(self, default: str) -> str:
        process = self._process
        why = default
        if process is not None:
            try:
                result = process.wait(timeout=5.0)
            except (TimeoutError, OSError):
                result = None
            if result is not None:
                why = _describe_end(result, self.session_limit_s, default)
        self.ended = why
        return why

    # -- what the trusted side decides ----------------------------------------------------

    def found_it(self) -> bool:
        """Did the learner break the starter by hand in this run?

        Only the starter counts (then the code in the sandbox is the course's own, so its
        report is believable), only a run that ended in a failure, with at least one thread
        chosen by the learner and none by "show me".
        """
        state = self.state
        if not self.is_starter or state is None or not state.finished or state.outcome is None:
            return False
        if state.outcome.passed:
            return False
        origins = {d.origin for d in self.decisions}
        return HAND in origins and PLAN not in origins


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines()


def _too_slow(what: str, limit_s: float, state: State | None) -> str:
    if what == "start":
        return f"the scenario did not start within {limit_s:g} s; the session was stopped"
    if what == "show":
        return f"the explorer did not finish within {limit_s:g} s; the session was stopped"
    return (
        f"no answer within {limit_s:g} s: the thread may be looping without touching shared "
        "state or any lock; the session was stopped (r starts a new one)"
    )


def _describe_end(result: Any, limit_s: float, default: str) -> str:
    if result.timed_out:
        return f"the session reached its time limit ({limit_s / 60:g} min); r starts a new one"
    if result.error:
        return f"the sandbox failed: {result.error}"
    if result.killed_by_limit or result.signal is not None:
        return f"the program was {result.describe_end()}"
    lines = [ln for ln in escape_control(result.output).splitlines() if ln.strip()]
    last = f": {lines[-1].strip()[:200]}" if lines else ""
    return f"{default} ({result.describe_end()}){last}"


def _pytest_argv(scratch: Path, test: str) -> list[str]:
    return [
        sys.executable, "-X", "faulthandler", "-B", "-P", "-m", "pytest",
        "-p", "tutor.play.driver",
        "-p", "no:cacheprovider", "-p", "no:threadexception",
        "--noconftest", "-c", str(scratch / "pytest.ini"), "--rootdir", str(scratch),
        "-s", "-q", "--basetemp", str(scratch / "tmp" / "pytest"),
        f"{TEST_FILE}::{test}",
    ]  # fmt: skip
