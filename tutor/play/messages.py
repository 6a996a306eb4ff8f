"""What the sandboxed child of a play session may say, checked on the trusted side.

The child runs the learner's code, which can write anything to the events pipe. Every message
is therefore parsed here into frozen dataclasses, field by field: types, lengths, counts and
ranges are checked, control characters are made visible, and anything out of bounds is a
``Violation`` (the session is then stopped, never shown). The sandbox already drops lines
over 64 KiB and anything but a JSON object.

The parsers know the scenario (``Context``: the learner's and the hidden test's line counts,
the number of threads): a line number must exist in its file, and the source shown for a line
of either file is read from the parent's own copy, never taken from the child.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tutor.names import SUBMISSION_FILE, TEST_FILE

MAX_THREADS = 16
MAX_TEXT = 600
MAX_SHORT = 160
MAX_ROWS = 40
MAX_TIMELINE = 60
MAX_ACCESSES = 20
MAX_PLAN = 20_000
MAX_LINE = 1_000_000
THREAD_STATES = ("runnable", "blocked", "sleeping", "finished")
FAILURE_KINDS = ("assertion", "deadlock", "starvation", "timeout")
PATTERNS = ("lost-update", "check-then-act", "unprotected-invariant", "deadlock", "lost-wakeup",
            "wait-without-recheck", "starvation", "busy-wait", "exception", "other")  # fmt: skip

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class Violation(ValueError):
    """A message the child could not honestly have sent; the text says what was wrong."""


@dataclass(frozen=True)
class Context:
    """What the trusted side knows of the scenario, to check the child's claims against."""

    submission_lines: tuple[str, ...]
    test_lines: tuple[str, ...]
    threads: int | None = None  # from the hidden test's source, when it spells them out

    def source(self, file: str, line: int, claimed: str) -> str:
        """The text of ``line``: our own copy for the learner's file and the hidden tests."""
        lines = {SUBMISSION_FILE: self.submission_lines, TEST_FILE: self.test_lines}.get(file)
        if lines is None:
            return claimed
        if line == 0:
            return ""
        return lines[line - 1].strip()

    def check_line(self, file: str, line: int, where: str) -> None:
        lines = {SUBMISSION_FILE: self.submission_lines, TEST_FILE: self.test_lines}.get(file)
        limit = len(lines) if lines is not None else MAX_LINE
        if not 0 <= line <= limit:
            raise Violation(f"{where}: line {line} is not a line of {file or 'any file'}")


# -- field checks -----------------------------------------------------------------------------


def text(value: Any, where: str, cap: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise Violation(f"{where}: expected text, got {type(value).__name__}")
    if len(value) > cap:
        raise Violation(f"{where}: {len(value)} characters, more than {cap}")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def optional_text(value: Any, where: str, cap: int = MAX_TEXT) -> str:
    return "" if value is None else text(value, where, cap)


def integer(value: Any, where: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise Violation(f"{where}: expected a whole number from {low} to {high}, got {value!r}")
    return value


def optional_integer(value: Any, where: str, low: int, high: int) -> int | None:
    return None if value is None else integer(value, where, low, high)


def flag(value: Any, where: str) -> bool:
    if type(value) is not bool:
        raise Violation(f"{where}: expected true or false, got {value!r}")
    return value


def items(value: Any, where: str, cap: int) -> list[Any]:
    if not isinstance(value, list):
        raise Violation(f"{where}: expected a list, got {type(value).__name__}")
    if len(value) > cap:
        raise Violation(f"{where}: {len(value)} entries, more than {cap}")
    return value


def mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Violation(f"{where}: expected an object, got {type(value).__name__}")
    return value


# -- the shapes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadView:
    """One thread as the screen shows it."""

    index: int
    name: str
    state: str  # runnable | blocked | sleeping | finished
    file: str
    line: int
    source: str
    waiting_for: str
    holds: tuple[str, ...]
    next: str

    @property
    def in_submission(self) -> bool:
        return self.file == SUBMISSION_FILE


@dataclass(frozen=True)
class Access:
    op: str
    target: str
    value: str


@dataclass(frozen=True)
class TimelineStep:
    thread: str
    file: str
    line: int
    source: str
    event: str
    accesses: tuple[Access, ...] = ()
    conflict: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The contract's step dict (what the timeline widget takes)."""
        return {"thread": self.thread, "file": self.file, "line": self.line,
                "source": self.source, "event": self.event}  # fmt: skip


@dataclass(frozen=True)
class Explanation:
    pattern: str
    summary: str
    location: str
    line: int | None


@dataclass(frozen=True)
class Outcome:
    """How a finished run ended: the check passed, or what broke it."""

    passed: bool
    kind: str | None
    headline: str
    message: str
    explanation: Explanation | None
    schedule: str

    @property
    def line(self) -> int | None:
        """The learner's line to look at first, when the explanation names one."""
        return self.explanation.line if self.explanation is not None else None


@dataclass(frozen=True)
class Ready:
    threads: int
    functions: tuple[str, ...]
    root: str


@dataclass(frozen=True)
class State:
    """Where a run stands after a request: the threads, who may go next, what they share."""

    step: int
    chosen: int | None
    threads: tuple[ThreadView, ...]
    choices: tuple[int, ...]
    current: int | None
    finished: bool
    shared: tuple[tuple[str, str], ...]
    timeline: tuple[TimelineStep, ...]
    outcome: Outcome | None = None
    diverged: int | None = None
    timeline_first: int = 0  # how many earlier steps were left out of ``timeline``

    @property
    def line_to_show(self) -> int | None:
        """The learner's line to look at: the explanation's, else where a live thread is."""
        if self.outcome is not None and self.outcome.line is not None:
            return self.outcome.line
        for view in self.threads:
            if view.in_submission and view.line > 0 and view.state != "finished":
                return view.line
        return None


@dataclass(frozen=True)
class Plan:
    """The explorer's verdict on the scenario: its failing order, or None if it found none."""

    choices: tuple[int, ...] | None
    headline: str
    kind: str | None
    summary: str


@dataclass(frozen=True)
class Problem:
    """The child could not do what was asked (the code raised, the test never explored...)."""

    message: str


@dataclass
class Expectation:
    """What the parent asked for, so the reply can be checked against it."""

    seq: int
    op: str
    thread: int | None = None
    choices: tuple[int, ...] = ()
    previous: State | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# -- parsing ----------------------------------------------------------------------------------


def parse_ready(message: dict[str, Any], context: Context) -> Ready | Problem:
    kind = message.get("type")
    if kind == "problem" and message.get("seq") == 0:
        return Problem(text(message.get("message"), "problem"))
    if kind != "ready" or message.get("seq") != 0:
        raise Violation(f"expected the child to say it is ready, got {kind!r}")
    count = integer(message.get("threads"), "ready.threads", 1, MAX_THREADS)
    if context.threads is not None and count != context.threads:
        raise Violation(f"ready: {count} threads, but the hidden test starts {context.threads}")
    functions = tuple(
        text(name, "ready.functions", 40) for name in items(message.get("functions"), "ready",
                                                             count)
    )
    root = text(message.get("root"), "ready.root", 40)
    if not root.isidentifier():
        raise Violation(f"ready.root: {root!r} is not a name")
    return Ready(count, functions, root)


def _thread(raw: Any, position: int, context: Context) -> ThreadView:
    where = f"threads[{position}]"
    data = mapping(raw, where)
    index = integer(data.get("index"), f"{where}.index", position, position)
    state = text(data.get("state"), f"{where}.state", 20)
    if state not in THREAD_STATES:
        raise Violation(f"{where}.state: {state!r} is not a thread state")
    file = optional_text(data.get("file"), f"{where}.file", MAX_SHORT)
    line = integer(data.get("line"), f"{where}.line", 0, MAX_LINE)
    context.check_line(file, line, where)
    return ThreadView(
        index=index,
        name=text(data.get("name"), f"{where}.name", 40),
        state=state,
        file=file,
        line=line,
        source=context.source(file, line, optional_text(data.get("source"), where, MAX_SHORT)),
        waiting_for=optional_text(data.get("waiting_for"), f"{where}.waiting_for", MAX_SHORT),
        holds=tuple(text(h, f"{where}.holds", MAX_SHORT)
                    for h in items(data.get("holds") or [], f"{where}.holds", 16)),
        next=optional_text(data.get("next"), f"{where}.next", MAX_SHORT),
    )  # fmt: skip


def _timeline_step(raw: Any, position: int, context: Context, names: set[str]) -> TimelineStep:
    where = f"timeline[{position}]"
    data = mapping(raw, where)
    thread = text(data.get("thread"), f"{where}.thread", 40)
    if thread not in names:
        raise Violation(f"{where}.thread: {thread!r} is not one of the threads")
    file = optional_text(data.get("file"), f"{where}.file", MAX_SHORT)
    line = integer(data.get("line") or 0, f"{where}.line", 0, MAX_LINE)
    context.check_line(file, line, where)
    accesses = tuple(
        Access(*(text(mapping(a, where).get(k) or "", f"{where}.accesses", MAX_SHORT)
                 for k in ("op", "target", "value")))
        for a in items(data.get("accesses") or [], f"{where}.accesses", MAX_ACCESSES)
    )  # fmt: skip
    return TimelineStep(
        thread=thread,
        file=file,
        line=line,
        source=context.source(file, line, optional_text(data.get("source"), where, MAX_SHORT)),
        event=optional_text(data.get("event"), f"{where}.event", MAX_TEXT),
        accesses=accesses,
        conflict=flag(data.get("conflict", False), f"{where}.conflict"),
    )


def _explanation(raw: Any, context: Context) -> Explanation | None:
    if raw is None:
        return None
    data = mapping(raw, "explanation")
    pattern = text(data.get("pattern"), "explanation.pattern", 40)
    if pattern not in PATTERNS:
        raise Violation(f"explanation.pattern: {pattern!r} is not a pattern")
    line = optional_integer(data.get("line"), "explanation.line", 0, MAX_LINE)
    if line is not None and not 1 <= line <= len(context.submission_lines):
        line = None  # a line outside the learner's file cannot be shown in the editor
    return Explanation(
        pattern=pattern,
        summary=text(data.get("summary") or "", "explanation.summary"),
        location=optional_text(data.get("location"), "explanation.location", MAX_SHORT),
        line=line,
    )


def _outcome(raw: Any, context: Context) -> Outcome:
    data = mapping(raw, "outcome")
    passed = flag(data.get("passed"), "outcome.passed")
    kind = data.get("kind")
    if passed and kind is not None:
        raise Violation("outcome: a passed run with a failure kind")
    if not passed and kind not in FAILURE_KINDS:
        raise Violation(f"outcome.kind: {kind!r} is not a failure kind")
    return Outcome(
        passed=passed,
        kind=kind,
        headline=optional_text(data.get("headline"), "outcome.headline"),
        message=optional_text(data.get("message"), "outcome.message"),
        explanation=None if passed else _explanation(data.get("explanation"), context),
        schedule=optional_text(data.get("schedule"), "outcome.schedule", 4000),
    )


def parse_state(message: dict[str, Any], expected: Expectation, context: Context) -> State:
    """A ``state`` reply to ``expected``, checked against the request and the last state."""
    threads = tuple(
        _thread(raw, i, context)
        for i, raw in enumerate(items(message.get("threads"), "threads", MAX_THREADS))
    )
    count = len(threads)
    previous = expected.previous
    first = context.threads or 1
    if count < first or (previous is not None and expected.op == "step"
                         and count < len(previous.threads)):  # fmt: skip
        raise Violation(f"threads: {count} threads, fewer than the run started")
    choices = tuple(integer(c, "choices", 0, count - 1)
                    for c in items(message.get("choices"), "choices", MAX_THREADS))
    if len(set(choices)) != len(choices):
        raise Violation("choices: a thread is offered twice")
    if any(threads[c].state == "finished" for c in choices):
        raise Violation("choices: a finished thread is offered")
    finished = flag(message.get("finished"), "finished")
    if finished == bool(choices):
        raise Violation("choices: a finished run offers threads, or a live one offers none")
    step = integer(message.get("step"), "step", 0, MAX_PLAN)
    chosen = optional_integer(message.get("chosen"), "chosen", 0, count - 1)
    diverged = optional_integer(message.get("diverged"), "diverged", 0, MAX_PLAN)
    if expected.op == "step":
        assert previous is not None
        if step != previous.step + 1 or chosen is None or chosen not in previous.choices:
            raise Violation("step: the reply does not follow from the last state")
        if expected.thread is not None and chosen != expected.thread:
            raise Violation(f"step: T{expected.thread + 1} was asked to run, not T{chosen + 1}")
    elif expected.op == "goto":
        wanted = len(expected.choices)
        replayed = wanted if diverged is None else diverged
        if step != replayed or replayed > wanted:
            raise Violation(f"goto: {wanted} steps were asked to be replayed, the reply has {step}")
    names = {t.name for t in threads}
    timeline = tuple(
        _timeline_step(raw, i, context, names)
        for i, raw in enumerate(items(message.get("timeline") or [], "timeline", MAX_TIMELINE))
    )
    shared = tuple(
        (text(row[0], "shared", 80), text(row[1], "shared", 120))
        for row in items(message.get("shared") or [], "shared", MAX_ROWS)
        if isinstance(row, list) and len(row) == 2
    )
    if len(shared) != len(message.get("shared") or []):
        raise Violation("shared: every row must be [name, value]")
    outcome = _outcome(message.get("outcome"), context) if finished else None
    return State(
        step=step,
        chosen=chosen,
        threads=threads,
        choices=choices,
        current=optional_integer(message.get("current"), "current", 0, count - 1),
        finished=finished,
        shared=shared,
        timeline=timeline,
        outcome=outcome,
        diverged=diverged,
        timeline_first=integer(message.get("timeline_first", 0), "timeline_first", 0, MAX_PLAN),
    )


def parse_plan(message: dict[str, Any], threads: int) -> Plan:
    raw = message.get("choices")
    choices = None
    if raw is not None:
        choices = tuple(integer(c, "plan.choices", 0, MAX_THREADS - 1)
                        for c in items(raw, "plan.choices", MAX_PLAN))  # fmt: skip
    kind = message.get("kind")
    if kind is not None and kind not in FAILURE_KINDS:
        raise Violation(f"plan.kind: {kind!r} is not a failure kind")
    return Plan(
        choices=choices,
        headline=optional_text(message.get("headline"), "plan.headline"),
        kind=kind,
        summary=optional_text(message.get("summary"), "plan.summary"),
    )


def parse_reply(message: dict[str, Any], expected: Expectation, context: Context,
                threads: int) -> State | Plan | Problem:
    """The child's reply to ``expected``: a state, a plan or a problem, or a ``Violation``."""
    if message.get("seq") != expected.seq:
        raise Violation(f"a reply to request {message.get('seq')!r}, expected {expected.seq}")
    kind = message.get("type")
    if kind == "problem":
        return Problem(text(message.get("message"), "problem"))
    if kind == "state" and expected.op in ("step", "goto"):
        return parse_state(message, expected, context)
    if kind == "plan" and expected.op == "show":
        return parse_plan(message, threads)
    raise Violation(f"a {kind!r} message in reply to {expected.op!r}")


@dataclass
class ShowMe:
    """The explorer's failing order, being played: where in it the run is."""

    plan: Plan
    position: int = 0

    @property
    def next_choice(self) -> int | None:
        """The thread to run next to follow the order, or None when there is none left."""
        choices = self.plan.choices
        if choices is None or self.position >= len(choices):
            return None
        return choices[self.position]

    def follow(self, decisions: tuple[int, ...]) -> bool:
        """Catch up with the run's ``decisions``; False once they leave the order."""
        if decisions != (self.plan.choices or ())[: len(decisions)]:
            return False
        self.position = len(decisions)
        return True
