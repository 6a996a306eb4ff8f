"""The grading plugin, loaded into the sandboxed pytest with ``-p tutor.runner.pytest_plugin``.

It reports collection, each test's outcome and a final record through signed records on a pipe
the tutor created (see ``channel.py``); the key arrives on a pipe that is read and closed here,
before any learner code is imported, and the environment variables naming the pipes are
removed. It also arms a faulthandler watchdog that dumps every thread's stack shortly before the
wall deadline (a C thread: it fires even if learner code never releases the GIL), shrinks the
default thread stack so thousands of threads fit in the address-space limit, and makes
``threading`` scheduler-aware through ``tutor.interleave.install()`` when that exists.

Learner code runs in this interpreter, so nothing here is a module global it could look up:
the writer (and so the key) lives in the closure of a plugin object that is registered with
pytest and then dropped, along with this module, from ``sys.modules``. A test counts as run
only if this plugin's own wrapper saw the test function return (a hook that skips the call or
a forged report does not), and the test function's code object is the one collected. These
raise the bar; the integrity policy (``tutor/integrity.py``) flags the introspection any
bypass needs, and docs/sandbox.md says what remains. Nothing here decides a verdict: the tutor
does (``tutor.grading``), from these records and its own reading of the hidden tests.
"""

from __future__ import annotations

import ast
import faulthandler
import functools
import os
import sys
import threading
import time
import traceback
from typing import Any

import pytest

from tutor.names import SUBMISSION_FILE, TEST_FILE
from tutor.runner.channel import RecordWriter

_THREAD_STACK_SIZE = 512 * 1024
_DETAIL_CAP = 16_000


def _take_fd(name: str) -> int | None:
    value = os.environ.pop(f"TUTOR_FD_{name}", None)
    return int(value) if value is not None else None


def _read_key(fd: int | None) -> bytearray:
    key = bytearray()
    if fd is None:
        return key
    while chunk := os.read(fd, 4096):
        key += chunk
    os.close(fd)
    return key


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


def structured_interleaving(exc: BaseException) -> dict[str, Any] | None:
    """The explorer's structured failure: ``exc.to_dict()``, else the same keys from its
    attributes (older explorers). None for any other exception."""
    if not isinstance(exc, AssertionError) or getattr(exc, "kind", None) is None:
        return None
    if not hasattr(exc, "schedule") or not hasattr(exc, "timeline"):
        return None
    to_dict = getattr(exc, "to_dict", None)
    if callable(to_dict):
        data = dict(to_dict())
    else:
        timeline = exc.timeline
        data = {
            "kind": exc.kind,
            "message": getattr(exc, "message", None),
            "schedule": None if exc.schedule is None else str(exc.schedule),
            "timeline": None if timeline is None else [_step(s) for s in timeline],
            "explanation": getattr(exc, "explanation", None),
        }
    data["kind"] = str(data.get("kind") or exc.kind)
    return data


def describe_exception(exc: BaseException) -> dict[str, Any]:
    """The failure fields of a result record: kind, one-line message, and, for the explorer's
    failures, its structured failure under ``interleaving`` (never its rendered text)."""
    interleaving = structured_interleaving(exc)
    if interleaving is not None:
        message = interleaving.get("headline") or interleaving.get("message") or exc.kind
        return {
            "kind": "interleaving",
            "message": str(message).strip().splitlines()[0] if str(message).strip() else exc.kind,
            "interleaving": interleaving,
        }
    if isinstance(exc, AssertionError):
        return {"kind": "assertion", "message": _assertion_line(exc)}
    return {"kind": "crash", "message": _exception_line(exc)}


class _TestState:
    def __init__(self) -> None:
        self.outcome = "passed"
        self.failure: dict[str, Any] = {}
        self.message = ""
        self.ran = "not called"  # what our own wrapper saw of the test function


def _explorer_names(test_file: str) -> dict[str, str]:
    """``{global name in the hidden tests: name in tutor.interleave}`` for what they import from
    the explorer, read from their source before any learner code runs."""
    try:
        with open(test_file, "rb") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return {}
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "tutor.interleave":
            for alias in node.names:
                names[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "tutor.interleave" and alias.asname:
                    names[alias.asname] = ""  # the module itself
    return names


def _make_plugin() -> Any:
    """Everything the learner must not reach, in one closure (see the module docstring)."""
    key = _read_key(_take_fd("KEY"))
    results_fd = _take_fd("RESULTS")
    stacks_fd = _take_fd("STACKS")
    deadline = os.environ.pop("TUTOR_SANDBOX_DEADLINE", None)
    ready_fd = _take_fd("READY")
    limit = os.environ.pop("TUTOR_SANDBOX_TIMEOUT", None)
    if ready_fd is not None:
        # pytest is up and no learner code has run: from now on the wall limit counts (the
        # reaper takes the first byte only, so nothing written later can move it).
        try:
            os.write(ready_fd, b"1")
            os.close(ready_fd)
        except OSError:
            pass
        if limit is not None and deadline is not None:
            deadline = repr(min(float(deadline), time.monotonic() + float(limit)))
    writer = RecordWriter(results_fd, bytes(key)) if results_fd is not None else None
    key[:] = bytes(len(key))  # the writer keeps only its keyed hash state
    del key
    # pytest's terminal reporter writes to sys.stdout as it is when pytest configures it: hand it
    # /dev/null (kept open for the whole run), so the run's stdout carries only the learner's
    # output.
    real_stdout, sys.stdout = sys.stdout, open(os.devnull, "w")  # noqa: SIM115
    tests: dict[str, _TestState] = {}
    thread_errors: list[str] = []  # unhandled exceptions in threads during the current test
    collected_code: dict[str, Any] = {}

    def record(record_type: str, /, **fields: Any) -> None:
        if writer is not None:
            try:
                writer.write(record_type, **fields)
            except OSError:
                pass  # the learner closed our pipe: the tutor will see missing records

    def arm_watchdog() -> None:
        if deadline is None or stacks_fd is None:
            return
        remaining = float(deadline) - time.monotonic()
        margin = min(0.4, 0.2 * max(remaining, 0.0))
        faulthandler.dump_traceback_later(max(remaining - margin, 0.05), file=stacks_fd)

    explorer: dict[str, tuple[Any, Any]] = {}  # global name -> (object, its code) at start

    def install_interleave() -> None:
        try:
            from tutor import interleave
        except ImportError:
            return
        install = getattr(interleave, "install", None)
        if callable(install):
            install()
        for global_name, name in _explorer_names(TEST_FILE).items():
            obj = getattr(interleave, name, None) if name else interleave
            if obj is not None:
                explorer[global_name] = (obj, getattr(obj, "__code__", None))
        for name in ("explore", "replay"):
            obj = getattr(interleave, name, None)
            if obj is not None:
                explorer[f"tutor.interleave.{name}"] = (obj, getattr(obj, "__code__", None))

    def explorer_replaced(test_globals: dict[str, Any]) -> str | None:
        """Which explorer function the learner's code swapped, if any."""
        for global_name, (obj, code) in explorer.items():
            if global_name.startswith("tutor.interleave."):
                module = sys.modules.get("tutor.interleave")
                current = getattr(module, global_name.rsplit(".", 1)[1], None)
            else:
                current = test_globals.get(global_name)
            if current is not obj or getattr(obj, "__code__", None) is not code:
                return global_name
        return None

    def thread_excepthook(args: Any) -> None:
        """Print as Python would, and remember the error for the current test's message."""
        if args.exc_value is not None:
            thread_errors.append(_exception_line(args.exc_value))
        threading.__excepthook__(args)

    def watched(nodeid: str, function: Any) -> Any:
        """``function`` as pytest will call it, noting whether it really ran to its end."""
        code = getattr(function, "__code__", None)
        collected_code[nodeid] = code

        test_globals = getattr(function, "__globals__", {})

        @functools.wraps(function)
        def run_test(*args: Any, **kwargs: Any) -> Any:
            state = tests.setdefault(nodeid, _TestState())
            if getattr(function, "__code__", None) is not code:
                state.ran = "replaced"
                raise AssertionError("the test function was replaced while the tests ran")
            swapped = explorer_replaced(test_globals)
            if swapped is not None:
                state.ran = "replaced"
                raise AssertionError(f"the hidden tests' {swapped} was replaced by other code")
            state.ran = "raised"
            result = function(*args, **kwargs)
            state.ran = "returned"
            return result

        return run_test

    class GradingPlugin:
        @pytest.hookimpl(trylast=True)
        def pytest_configure(self, config: Any) -> None:
            sys.stdout = real_stdout  # the terminal reporter has taken /dev/null by now
            arm_watchdog()
            threading.stack_size(_THREAD_STACK_SIZE)
            threading.excepthook = thread_excepthook
            install_interleave()
            record("start", pid=os.getpid())

        def pytest_exception_interact(self, node: Any, call: Any, report: Any) -> None:
            if report.when != "collect" or call.excinfo is None:
                return
            exc = call.excinfo.value
            exc = exc.__cause__ or exc
            fields = describe_exception(exc) | {"kind": "crash"}
            fields.pop("interleaving", None)
            record("collect_error", test=report.nodeid, **fields)

        def pytest_collectreport(self, report: Any) -> None:
            if report.failed:
                lines = [ln for ln in str(report.longrepr).splitlines() if ln.startswith("E ")]
                message = lines[-1][1:].strip() if lines else "the tests could not be collected"
                record("collect_failed", test=report.nodeid, message=message)

        @pytest.hookimpl(trylast=True)
        def pytest_collection_modifyitems(self, session: Any, config: Any, items: list) -> None:
            for item in items:
                function = getattr(item, "obj", None)
                if callable(function):
                    item.obj = watched(item.nodeid, function)

        def pytest_collection_finish(self, session: Any) -> None:
            record("collected", tests=[item.nodeid for item in session.items])

        def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
            tests[nodeid] = _TestState()
            thread_errors.clear()
            record("running", test=nodeid)

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(self, item: Any, call: Any) -> Any:
            outcome = yield
            report = outcome.get_result()
            state = tests.setdefault(item.nodeid, _TestState())
            if report.failed and call.excinfo is not None and not state.failure:
                state.failure = describe_exception(call.excinfo.value)

        def pytest_runtest_logreport(self, report: Any) -> None:
            state = tests.setdefault(report.nodeid, _TestState())
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
                wasxfail = getattr(report, "wasxfail", None)  # "" for an xfail without reason
                state.message = str(wasxfail or reason).removeprefix("Skipped: ")
                if wasxfail is not None:
                    state.outcome = "xfailed"

        def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
            state = tests.get(nodeid, _TestState())
            fields = dict(state.failure) if state.outcome in ("failed", "error") else {}
            fields.setdefault("message", state.message)
            if fields and thread_errors:
                others = len(thread_errors) - 1
                note = f" [a thread raised {thread_errors[0]}" + (
                    f"; {others} more thread error(s)]" if others else "]"
                )
                fields["message"] += note
            record("result", test=nodeid, outcome=state.outcome, ran=state.ran, **fields)

        @pytest.hookimpl(trylast=True)
        def pytest_sessionfinish(self, session: Any, exitstatus: int) -> None:
            record("finish", exitstatus=int(exitstatus))

    return GradingPlugin()


_PLUGIN: Any = _make_plugin()


@pytest.hookimpl(trylast=True)
def pytest_configure(config: Any) -> None:
    """Register the real plugin, then forget it and this module (before learner code runs)."""
    global _PLUGIN
    plugin, _PLUGIN = _PLUGIN, None
    if plugin is not None:
        config.pluginmanager.register(plugin, "tutor-grading")
    sys.modules.pop(__name__, None)
    package = sys.modules.get("tutor.runner")
    if package is not None and "pytest_plugin" in vars(package):
        delattr(package, "pytest_plugin")


__all__ = ["describe_exception", "pytest_configure", "structured_interleaving"]
