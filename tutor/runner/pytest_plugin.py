"""The grading plugin, loaded into the sandboxed pytest with ``-p tutor.runner.pytest_plugin``.

It reports collection, each test's outcome and a final record through signed records on a pipe
the tutor created (see ``channel.py``); the key arrives on a pipe that is read and closed here,
before any learner code is imported, and the environment variables naming the pipes are
removed. It also arms a faulthandler watchdog that dumps every thread's stack shortly before the
wall deadline (a C thread: it fires even if learner code never releases the GIL), shrinks the
default thread stack so thousands of threads fit in the address-space limit, and makes
``threading`` scheduler-aware through ``tutor.interleave.install()`` when that exists.

Only the grading side (``tutor.grading``) reads what this writes; nothing here decides a verdict.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import threading
import time
import traceback
from typing import Any

import pytest

from tutor.runner.channel import RecordWriter

SUBMISSION_FILE = "submission.py"
_THREAD_STACK_SIZE = 512 * 1024
_INTERLEAVE_KINDS = {"assertion": "race", "deadlock": "deadlock", "starvation": "starvation"}
_DETAIL_CAP = 16_000


def _take_fd(name: str) -> int | None:
    value = os.environ.pop(f"TUTOR_FD_{name}", None)
    return int(value) if value is not None else None


def _read_key(fd: int | None) -> bytes:
    if fd is None:
        return b""
    chunks = []
    while chunk := os.read(fd, 4096):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


_KEY = _read_key(_take_fd("KEY"))
_RESULTS_FD = _take_fd("RESULTS")
_STACKS_FD = _take_fd("STACKS")
_DEADLINE = os.environ.pop("TUTOR_SANDBOX_DEADLINE", None)
_writer = RecordWriter(_RESULTS_FD, _KEY) if _RESULTS_FD is not None else None
del _KEY
# pytest's terminal reporter writes to sys.stdout as it is when pytest configures it: hand it
# /dev/null (kept open for the whole run), so the run's stdout carries only the learner's output.
_REAL_STDOUT, sys.stdout = sys.stdout, open(os.devnull, "w")  # noqa: SIM115


def _record(record_type: str, /, **fields: Any) -> None:
    if _writer is not None:
        try:
            _writer.write(record_type, **fields)
        except OSError:
            pass  # the learner closed our pipe: the tutor will see missing records


def _arm_watchdog() -> None:
    if _DEADLINE is None or _STACKS_FD is None:
        return
    remaining = float(_DEADLINE) - time.monotonic()
    margin = min(0.4, 0.2 * max(remaining, 0.0))
    faulthandler.dump_traceback_later(max(remaining - margin, 0.05), file=_STACKS_FD)


def _install_interleave() -> None:
    try:
        from tutor import interleave
    except ImportError:
        return
    install = getattr(interleave, "install", None)
    if callable(install):
        install()


def _location(exc: BaseException) -> str:
    """Where in the learner's file (else the test file) an exception was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    for wanted in (SUBMISSION_FILE, None):
        for frame in reversed(frames):
            name = os.path.basename(frame.filename)
            if wanted is None and name.startswith("test_") or name == wanted:
                return f" ({name}, line {frame.lineno})"
    return ""


def _exception_line(exc: BaseException) -> str:
    """``Type: message (file, line N)`` on one line; SyntaxError already names its place."""
    text = str(exc).strip().splitlines()
    message = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    if isinstance(exc, SyntaxError):
        return message
    return message + _location(exc)


def _assertion_line(exc: BaseException) -> str:
    lines = [line for line in str(exc).strip().splitlines() if line.strip()]
    if not lines:
        return "AssertionError" + _location(exc)
    if lines[0].startswith("assert "):
        return lines[0]
    if len(lines) > 1 and lines[1].startswith("assert "):
        return f"{lines[0]} ({lines[1]})"
    return lines[0]


def _step(step: Any) -> dict[str, Any]:
    if isinstance(step, dict):
        return step
    for convert in (lambda s: s._asdict(), lambda s: dict(vars(s))):
        try:
            return convert(step)
        except (AttributeError, TypeError):
            continue
    return {"event": str(step)}


def describe_exception(exc: BaseException) -> dict[str, Any]:
    """The failure fields of a result record: kind, one-line message, detail, schedule..."""
    if isinstance(exc, AssertionError) and getattr(exc, "kind", None) in _INTERLEAVE_KINDS:
        timeline = getattr(exc, "timeline", None)
        return {
            "kind": _INTERLEAVE_KINDS[exc.kind],
            "message": (str(exc).strip().splitlines() or [exc.kind])[0],
            "detail": str(exc)[:_DETAIL_CAP],
            "schedule": None if exc.schedule is None else str(exc.schedule),
            "timeline": None if timeline is None else [_step(s) for s in timeline],
        }
    if isinstance(exc, AssertionError):
        line = _assertion_line(exc)
        return {"kind": "assertion", "message": line, "detail": line}
    line = _exception_line(exc)
    return {"kind": "crash", "message": line, "detail": line}


class _TestState:
    def __init__(self) -> None:
        self.outcome = "passed"
        self.failure: dict[str, Any] = {}
        self.message = ""


_tests: dict[str, _TestState] = {}
_thread_errors: list[str] = []  # unhandled exceptions in threads during the current test


def _thread_excepthook(args: Any) -> None:
    """Print as Python would, and remember the error for the current test's message."""
    if args.exc_value is not None:
        _thread_errors.append(_exception_line(args.exc_value))
    threading.__excepthook__(args)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: Any) -> None:
    sys.stdout = _REAL_STDOUT  # the terminal reporter has taken /dev/null by now
    _arm_watchdog()
    threading.stack_size(_THREAD_STACK_SIZE)
    threading.excepthook = _thread_excepthook
    _install_interleave()
    _record("start", pid=os.getpid())


def pytest_exception_interact(node: Any, call: Any, report: Any) -> None:
    if report.when != "collect" or call.excinfo is None:
        return
    exc = call.excinfo.value
    exc = exc.__cause__ or exc
    _record("collect_error", test=report.nodeid, **describe_exception(exc) | {"kind": "crash"})


def pytest_collectreport(report: Any) -> None:
    if report.failed:
        lines = [ln for ln in str(report.longrepr).splitlines() if ln.startswith("E ")]
        message = lines[-1][1:].strip() if lines else "the tests could not be collected"
        _record("collect_failed", test=report.nodeid, message=message)


def pytest_collection_finish(session: Any) -> None:
    _record("collected", tests=[item.nodeid for item in session.items])


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    _tests[nodeid] = _TestState()
    _thread_errors.clear()
    _record("running", test=nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    outcome = yield
    report = outcome.get_result()
    state = _tests.setdefault(item.nodeid, _TestState())
    if report.failed and call.excinfo is not None and not state.failure:
        state.failure = describe_exception(call.excinfo.value)


def pytest_runtest_logreport(report: Any) -> None:
    state = _tests.setdefault(report.nodeid, _TestState())
    if report.failed:
        if report.when == "call":
            state.outcome = "failed"
        elif state.outcome != "failed":
            state.outcome = "error"
        if not state.failure:
            state.failure = {"kind": "crash", "message": f"failed during {report.when}"}
    elif report.skipped and state.outcome == "passed":
        state.outcome = "skipped"
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else ""
        state.message = str(getattr(report, "wasxfail", "") or reason).removeprefix("Skipped: ")


def pytest_runtest_logfinish(nodeid: str, location: Any) -> None:
    state = _tests.get(nodeid, _TestState())
    fields = dict(state.failure) if state.outcome in ("failed", "error") else {}
    fields.setdefault("message", state.message)
    if fields and _thread_errors:
        others = len(_thread_errors) - 1
        note = f" [a thread raised {_thread_errors[0]}" + (
            f"; {others} more thread error(s)]" if others else "]"
        )
        fields["message"] += note
        fields["detail"] = fields.get("detail", fields["message"]) + note
    _record("result", test=nodeid, outcome=state.outcome, **fields)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    _record("finish", exitstatus=int(exitstatus))
