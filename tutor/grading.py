"""Grade one submission against an exercise's hidden tests, in the sandbox.

``grade`` copies the hidden tests (read into memory here, so the course files are never handed
to the learner's code) and the learner's file into a fresh scratch directory, runs pytest there
through ``tutor.runner.run_sandboxed`` with the grading plugin, and turns the plugin's signed
records into a ``Verdict``. Only those records count: the learner's output, exit status and
files never do, and anything short of a complete, consistent set of records is ``error``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import secrets
import shutil
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from tutor.runner import RunResult, run_sandboxed
from tutor.runner.channel import ChannelError, read_records
from tutor.verdict import Failure, TestResult, Verdict

DEFAULT_TIMEOUT_S = 10.0
TEST_FILE = "test_hidden.py"
SUBMISSION_FILE = "submission.py"
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[1])
_RESULTS_CAP = 4 * 1024 * 1024
_STACKS_CAP = 256 * 1024


class Gradable(Protocol):
    """What ``grade`` needs of an exercise (``tutor.course.Exercise`` has it)."""

    id: str
    timeout_s: float

    @property
    def test_path(self) -> Path: ...


def grade(
    exercise: Gradable,
    path: Path | str,
    *,
    seed: int | None = None,
    timeout_s: float | None = None,
    cancel: threading.Event | None = None,
) -> Verdict:
    """Grade the learner's file ``path`` against ``exercise``'s hidden tests.

    ``seed`` sets ``TUTOR_SEED`` for the run (else the caller's ``TUTOR_SEED`` passes through);
    ``timeout_s`` overrides the exercise's wall limit. Thread-safe; each call uses its own
    child processes. Raises ``OSError`` if ``path`` or the hidden tests cannot be read.
    """
    tests = Path(exercise.test_path).read_bytes()
    submission = Path(path).read_bytes()
    limit = timeout_s if timeout_s is not None else (exercise.timeout_s or DEFAULT_TIMEOUT_S)
    verdict = grade_source(
        exercise.id, tests, submission, seed=seed, timeout_s=limit, cancel=cancel
    )
    return _in_terms_of_exercise(verdict, getattr(exercise, "kind", None))


def _in_terms_of_exercise(verdict: Verdict, exercise_kind: str | None) -> Verdict:
    """Name an interleaving's broken assertion after the exercise's kind of bug.

    The explorer reports a failed check as "assertion", which reads as a race; in a starvation
    exercise the check that failed is the one that caught a thread spinning or never served.
    """
    failure = verdict.failure
    if failure is not None and failure.kind == "race" and exercise_kind == "starvation":
        return dataclasses.replace(verdict, failure=dataclasses.replace(failure, kind="starvation"))
    return verdict


def grade_source(
    exercise_id: str,
    tests: bytes,
    submission: bytes,
    *,
    seed: int | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    cancel: threading.Event | None = None,
) -> Verdict:
    """``grade`` on in-memory file contents: the hidden tests and the learner's code."""
    scratch = Path(tempfile.mkdtemp(prefix="tutor-run-"))
    try:
        (scratch / TEST_FILE).write_bytes(tests)
        (scratch / SUBMISSION_FILE).write_bytes(submission)
        (scratch / "pytest.ini").write_text("[pytest]\n")
        writable = scratch / "tmp"
        writable.mkdir()
        key = secrets.token_bytes(32)
        env = {
            "PYTHONPATH": os.pathsep.join([str(scratch), _PACKAGE_PARENT]),
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "TMPDIR": str(writable),
            "HOME": str(writable),
        }
        if seed is not None:
            env["TUTOR_SEED"] = str(seed)
        run = run_sandboxed(
            _pytest_argv(scratch),
            cwd=scratch,
            timeout_s=timeout_s,
            env=env,
            writable=[writable],
            channels={"results": _RESULTS_CAP, "stacks": _STACKS_CAP},
            inputs={"key": key},
            cancel=cancel,
        )
    finally:
        _remove_tree(scratch)
    return verdict_from_run(exercise_id, _without_scratch_paths(run, scratch), key, timeout_s)


def _without_scratch_paths(run: RunResult, scratch: Path) -> RunResult:
    """Show ``File "submission.py"`` in tracebacks and stacks, not a temporary directory."""
    prefix = str(scratch) + os.sep
    stacks = run.channels.get("stacks")
    if stacks:
        run.channels["stacks"] = stacks.replace(prefix.encode(), b"")
    run.output = run.output.replace(prefix, "")
    return run


def _remove_tree(root: Path) -> None:
    """Remove the scratch directory, even where learner code took away our permissions."""

    def make_writable_and_retry(function: Any, path: str, _exc: Any) -> None:
        try:
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700)
            function(path)
        except OSError:
            pass

    shutil.rmtree(root, onerror=make_writable_and_retry)


def _pytest_argv(scratch: Path) -> list[str]:
    return [
        sys.executable, "-X", "faulthandler", "-B", "-P", "-m", "pytest",
        "-p", "tutor.runner.pytest_plugin",
        "-p", "no:cacheprovider", "-p", "no:threadexception",  # thread errors: see the plugin
        "--noconftest", "-c", str(scratch / "pytest.ini"), "--rootdir", str(scratch),
        "-s", "--basetemp", str(scratch / "tmp" / "pytest"),
        TEST_FILE,
    ]  # fmt: skip


def _test_name(nodeid: str) -> str:
    return nodeid.split("::", 1)[1] if "::" in nodeid else nodeid


class _Records:
    """The plugin's records, sorted by type."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.started = any(r["type"] == "start" for r in records)
        self.collect_errors = [
            r for r in records if r["type"] in ("collect_error", "collect_failed")
        ]
        collected = [r for r in records if r["type"] == "collected"]
        self.collected: list[str] | None = collected[-1]["tests"] if collected else None
        self.results = {r["test"]: r for r in records if r["type"] == "result"}
        running = [r["test"] for r in records if r["type"] == "running"]
        self.running = running[-1] if running and running[-1] not in self.results else None
        self.finished = any(r["type"] == "finish" for r in records)


def verdict_from_run(exercise_id: str, run: RunResult, key: bytes, timeout_s: float) -> Verdict:
    """Map a sandboxed pytest run to a verdict (see the module docstring for the rules)."""

    def verdict(status: str, tests: list[TestResult], failure: Failure | None) -> Verdict:
        return Verdict(
            exercise_id, status, run.duration_s, tests, failure, output=run.output  # type: ignore[arg-type]
        )

    def error(message: str, tests: list[TestResult] | None = None) -> Verdict:
        return verdict("error", tests or [], Failure("crash", message))

    if run.error:
        return error(f"the sandbox failed: {run.error}")
    if run.cancelled:
        return error("grading was cancelled")
    try:
        records = _Records(read_records(run.channels.get("results", b""), key))
    except ChannelError as exc:
        return error(f"the results channel was tampered with ({exc}); nothing was graded")
    if run.channel_overflow.get("results"):
        return error("the results channel was flooded; nothing was graded")
    tests = _test_results(records, run, timeout_s)
    if records.collect_errors and not run.timed_out:
        first = records.collect_errors[0]
        return error(first["message"], tests)
    if run.timed_out:
        return verdict("timeout", tests, _timeout_failure(records, run, timeout_s))
    if not records.started or records.collected is None or not records.finished:
        return error(_early_end_message(records, run), tests)
    if len(records.collected) == 0:
        return error("no tests were collected: the exercise's hidden tests are broken")
    if sorted(records.collected) != sorted(records.results):
        return error(
            f"{len(records.collected)} tests were collected but {len(records.results)} "
            "reported: the test run was interfered with",
            tests,
        )
    failing = [r for r in records.results.values() if r["outcome"] in ("failed", "error")]
    if not failing:
        return verdict("passed", tests, None)
    first = failing[0]
    failure = Failure(
        kind=first.get("kind") or "assertion",
        message=f"{_test_name(first['test'])}: {first.get('detail') or first.get('message', '')}",
        schedule=first.get("schedule"),
        timeline=first.get("timeline"),
    )
    return verdict("failed", tests, failure)


def _test_results(records: _Records, run: RunResult, timeout_s: float) -> list[TestResult]:
    """Every collected test in order; ones the run never finished say why."""
    order = list(records.collected or []) + [
        t for t in records.results if t not in (records.collected or [])
    ]
    if records.running and records.running not in order:
        order.append(records.running)
    tests = []
    for nodeid in order:
        result = records.results.get(nodeid)
        if result is not None:
            tests.append(
                TestResult(_test_name(nodeid), result["outcome"], result.get("message", ""))
            )
        elif nodeid == records.running:
            why = (
                f"did not finish within {timeout_s:g} s"
                if run.timed_out
                else (f"the test process ended during this test ({run.describe_end()})")
            )
            tests.append(TestResult(_test_name(nodeid), "error", why))
        else:
            tests.append(TestResult(_test_name(nodeid), "skipped", "not run: the run ended first"))
    return tests


def _early_end_message(records: _Records, run: RunResult) -> str:
    how = run.describe_end()
    if not records.started:
        detail = _last_output_line(run.output)
        return f"the test process ended before the tests started ({how})" + (
            f": {detail}" if detail else ""
        )
    if records.running:
        return f"the test process ended during {_test_name(records.running)} ({how})"
    if records.collected is None:
        return f"the test process ended while loading the tests ({how})"
    return f"the test process ended before reporting every result ({how})"


def _last_output_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1].strip()[:300] if lines else ""


_STACK_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+) in (?P<func>\S+)')


def summarize_stacks(stacks: str) -> list[str]:
    """One line per thread: where in the learner's code (else anywhere) it was stuck."""
    summary = []
    for block in re.split(r"\n(?=(?:Current thread|Thread) 0x)", stacks.strip()):
        lines = block.strip().splitlines()
        if not lines or "0x" not in lines[0]:
            continue
        frames = [m for m in map(_STACK_FRAME.search, lines[1:]) if m]
        if not frames:
            continue
        mine = [f for f in frames if os.path.basename(f["file"]) == SUBMISSION_FILE]
        where = (mine or frames)[0]  # faulthandler lists the most recent call first
        summary.append(
            f"{os.path.basename(where['file'])}, line {where['line']} in {where['func']}"
        )
    return summary


def _timeout_failure(records: _Records, run: RunResult, timeout_s: float) -> Failure:
    stacks = run.channels.get("stacks", b"").decode("utf-8", errors="replace").strip()
    if records.finished and not records.results:
        head = (
            f"no test could run (collection failed), and the run did not end within "
            f"{timeout_s:g} s"
        )
    elif records.finished:
        head = (
            f"all {len(records.results)} tests finished, but the program did not exit within "
            f"{timeout_s:g} s: a non-daemon thread kept running after them, or they finished "
            "only at the limit"
        )
    elif records.running:
        head = f"timed out after {timeout_s:g} s in {_test_name(records.running)}"
    else:
        head = f"timed out after {timeout_s:g} s before the tests started (stuck at import?)"
    places = summarize_stacks(stacks)
    if places:
        counts: dict[str, int] = {}
        for place in places:
            counts[place] = counts.get(place, 0) + 1
        where = "; ".join(f"{p}" + (f" ({n} threads)" if n > 1 else "") for p, n in counts.items())
        head += f"; {len(places)} thread(s) were at: {where}"
    return Failure("timeout", head, stacks=stacks or None)


def verdict_json(verdict: Verdict) -> Mapping[str, Any]:
    """The contract's ``check --json`` object."""
    return verdict.to_dict()
