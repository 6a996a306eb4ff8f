"""Grade one submission against an exercise's hidden tests, in the sandbox.

``grade`` scans the learner's file with the integrity policy (``tutor.integrity``), copies the
hidden tests (read into memory here, so the course files are never handed to the learner's
code) and the learner's file into a fresh scratch directory, runs pytest there through
``tutor.runner.run_sandboxed`` with the grading plugin, and turns the plugin's signed records
into a ``Verdict``. Only those records count, checked against the test names this process read
from the hidden tests itself: a pass needs a ``passed`` record, from a test function the plugin
saw return, for every one of them. The learner's output, exit status and files never count,
and anything short of a complete, consistent set of records is ``error``. A failure of the
grader itself is an ``error`` verdict with its message, never an exception.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import re
import secrets
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from tutor import integrity
from tutor.names import SUBMISSION_FILE, TEST_FILE
from tutor.runner import RunResult, run_sandboxed
from tutor.runner.channel import ChannelError, read_records
from tutor.runner.isolation import missing
from tutor.verdict import Failure, TestResult, Verdict

DEFAULT_TIMEOUT_S = 10.0
# pytest's own start-up is not the learner's time: the wall limit counts from when the plugin
# is loaded (before any learner code), and start-up may take this long on a loaded machine.
STARTUP_S = 30.0
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[1])
_RESULTS_CAP = 4 * 1024 * 1024
_STACKS_CAP = 256 * 1024
_MESSAGE_CAP = 2000  # one test's message, in characters


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
    strict: bool = False,
) -> Verdict:
    """Grade the learner's file ``path`` against ``exercise``'s hidden tests.

    ``seed`` sets ``TUTOR_SEED`` for the run (else the caller's ``TUTOR_SEED`` passes through);
    ``timeout_s`` overrides the exercise's wall limit. ``strict`` (``--strict``, or the course's
    ``strict = true``) refuses a submission the integrity policy flags, without running it;
    otherwise the findings only flag the verdict. Thread-safe; each call uses its own child
    processes. Raises ``OSError`` if ``path`` or the hidden tests cannot be read.
    """
    tests = Path(exercise.test_path).read_bytes()
    submission = Path(path).read_bytes()
    limit = timeout_s if timeout_s is not None else (exercise.timeout_s or DEFAULT_TIMEOUT_S)
    return grade_source(
        exercise.id,
        tests,
        submission,
        seed=seed,
        timeout_s=limit,
        cancel=cancel,
        strict=strict,
        allow_imports=getattr(exercise, "allow_imports", ()),
        exercise_kind=getattr(exercise, "kind", None),
    )


def grade_source(
    exercise_id: str,
    tests: bytes,
    submission: bytes,
    *,
    seed: int | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    cancel: threading.Event | None = None,
    strict: bool = False,
    allow_imports: Iterable[str] = (),
    exercise_kind: str | None = None,
) -> Verdict:
    """``grade`` on in-memory file contents: the hidden tests and the learner's code."""
    findings = integrity.scan(submission, allow_imports)
    if findings and strict:
        return Verdict(exercise_id, "refused", 0.0, integrity=findings)
    try:
        verdict = _run_and_judge(
            exercise_id, tests, submission, seed, timeout_s, cancel, exercise_kind
        )
    except Exception as exc:  # noqa: BLE001 - the grader's own failure is a verdict, not a crash
        verdict = Verdict(
            exercise_id,
            "error",
            0.0,
            failure=Failure("crash", f"the grader failed: {type(exc).__name__}: {exc}"),
        )
    if findings:
        verdict = _with(verdict, integrity=findings)
    return verdict


def _with(verdict: Verdict, **changes: Any) -> Verdict:
    return dataclasses.replace(verdict, **changes)


def _run_and_judge(
    exercise_id: str,
    tests: bytes,
    submission: bytes,
    seed: int | None,
    timeout_s: float,
    cancel: threading.Event | None,
    exercise_kind: str | None,
) -> Verdict:
    expected = expected_tests(tests)
    scratch = Path(tempfile.mkdtemp(prefix="tutor-run-"))  # private: 0700, or 0750 (see below)
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
            startup_s=STARTUP_S,
        )
    finally:
        remove_tree(scratch)
    run = _without_scratch_paths(run, scratch)
    verdict = verdict_from_run(exercise_id, run, key, timeout_s, expected, exercise_kind)
    return _with(verdict, output=escape_control(run.output), isolation=missing(run.sandbox))


def expected_tests(source: bytes) -> list[str] | None:
    """The hidden tests' names as pytest collects them by default (``test*`` functions and
    ``Test*`` classes' ``test*`` methods), read here, never from the run. None if the source
    does not parse (the run reports that)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(
            "test"
        ):
            names.append(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                    item.name.startswith("test")
                ):
                    names.append(f"{node.name}::{item.name}")
    return names


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape_control(text: str) -> str:
    """Control characters (ANSI escapes included) as visible ``\\x1b``; newlines and tabs stay."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _without_scratch_paths(run: RunResult, scratch: Path) -> RunResult:
    """Show ``File "submission.py"`` in tracebacks and stacks, not a temporary directory."""
    prefix = str(scratch) + os.sep
    stacks = run.channels.get("stacks")
    if stacks:
        run.channels["stacks"] = stacks.replace(prefix.encode(), b"")
    run.output = run.output.replace(prefix, "")
    return run


def remove_tree(root: str | Path) -> None:
    """Remove a directory tree of any depth, even where learner code took our permissions away.

    Iterative and relative to open directory descriptors: a tree deeper than the recursion
    limit or longer than ``PATH_MAX`` (a 2,500-level ``tmp/a/a/a/...``) is removed all the same.
    Symlinks are removed, never followed.
    """
    root = os.fspath(root)
    try:
        top = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    # Each entry: a directory's descriptor, the names left to remove in it, its own name.
    stack: list[tuple[int, list[str], str]] = [(top, _entries(top), "")]
    try:
        while stack:
            fd, names, own_name = stack[-1]
            if not names:
                stack.pop()
                os.close(fd)
                if stack:
                    _quietly(os.rmdir, own_name, dir_fd=stack[-1][0])
                continue
            name = names.pop()
            try:
                is_dir = stat.S_ISDIR(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
            except OSError:
                continue
            if not is_dir:
                _quietly(os.unlink, name, dir_fd=fd)
                continue
            try:
                child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError:
                _quietly(os.chmod, name, 0o700, dir_fd=fd, follow_symlinks=False)
                try:
                    child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                except OSError:
                    continue
            stack.append((child, _entries(child), name))
    finally:
        for fd, _, _ in stack:
            os.close(fd)
    _quietly(os.rmdir, root)


def _entries(fd: int) -> list[str]:
    """The names in an open directory, after making it ours to empty."""
    _quietly(os.fchmod, fd, 0o700)
    try:
        return os.listdir(fd)
    except OSError:
        return []


def _quietly(function: Any, *args: Any, **kwargs: Any) -> None:
    try:
        function(*args, **kwargs)
    except (OSError, NotImplementedError):
        pass


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


def _base_name(nodeid: str) -> str:
    """``Class::test_x`` or ``test_x``, without a parametrization's ``[...]``."""
    return _test_name(nodeid).split("[", 1)[0]


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


def verdict_from_run(
    exercise_id: str,
    run: RunResult,
    key: bytes,
    timeout_s: float,
    expected: list[str] | None = None,
    exercise_kind: str | None = None,
) -> Verdict:
    """Map a sandboxed pytest run to a verdict (see the module docstring for the rules).

    ``expected``: the hidden tests' names as this process read them (``expected_tests``);
    every one needs a ``passed`` record for a pass. ``exercise_kind`` names explorer failures.
    """

    def verdict(status: str, tests: list[TestResult], failure: Failure | None) -> Verdict:
        return Verdict(
            exercise_id,
            status,
            run.duration_s,
            tests,
            failure,
            output=run.output,  # type: ignore[arg-type]
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
    except (ValueError, KeyError, TypeError) as exc:
        return error(f"the results channel held a malformed record ({exc}); nothing was graded")
    if run.channel_overflow.get("results"):
        return error("the results channel was flooded; nothing was graded")
    tests = _test_results(records, run, timeout_s)
    if records.collect_errors and not run.timed_out:
        first = records.collect_errors[0]
        return error(_clip(first.get("message", "")), tests)
    if run.timed_out:
        return verdict("timeout", tests, _timeout_failure(records, run, timeout_s))
    if not records.started or records.collected is None or not records.finished:
        return error(_early_end_message(records, run), tests)
    if len(records.collected) == 0:
        if expected:  # the hidden tests do define tests (read here, from their source)
            return error(
                f"none of the {len(expected)} hidden tests could be collected: the run ended "
                "while importing your code (does it call sys.exit() or end the process at "
                "import?)"
            )
        return error("no tests were collected: the exercise's hidden tests are broken")
    if sorted(records.collected) != sorted(records.results):
        return error(
            f"{len(records.collected)} tests were collected but {len(records.results)} "
            "reported: the test run was interfered with",
            tests,
        )
    failing = [r for r in records.results.values() if r.get("outcome") in ("failed", "error")]
    if failing:
        return _failed(verdict, failing[0], tests, exercise_kind)
    not_passed = _not_passed(records, expected)
    if not_passed:
        return verdict("failed", tests, Failure("assertion", not_passed))
    return verdict("passed", tests, None)


def _not_passed(records: _Records, expected: list[str] | None) -> str | None:
    """Why the run is no pass although nothing failed: a hidden test that did not pass, or
    whose function the plugin did not see return. None when every expected test passed."""
    by_name: dict[str, list[dict[str, Any]]] = {}
    for nodeid, record in records.results.items():
        by_name.setdefault(_base_name(nodeid), []).append(record)
    names = expected if expected is not None else sorted(by_name)
    if not names:
        return "the hidden tests define no test function"
    for name in names:
        results = by_name.get(name)
        if not results:
            return (
                f"{name} did not run (it was not collected or was deselected): "
                "a pass needs every hidden test to pass"
            )
        for record in results:
            outcome = record.get("outcome")
            if outcome != "passed":
                why = {"skipped": "was skipped", "xfailed": "was marked as an expected failure"}
                reason = f" ({_clip(record['message'], 200)})" if record.get("message") else ""
                return (
                    f"{_test_name(record['test'])} {why.get(outcome, f'ended {outcome}')}"
                    f"{reason}: a pass needs every hidden test to pass"
                )
            if record.get("ran") != "returned":
                return (
                    f"{_test_name(record['test'])} was reported passed, but its test function "
                    "did not run to its end: the test run was interfered with"
                )
    return None


def _failed(
    verdict: Any, first: Mapping[str, Any], tests: list[TestResult], exercise_kind: str | None
) -> Verdict:
    name = _test_name(first["test"])
    structured = first.get("interleaving")
    if isinstance(structured, dict):
        failure = Failure(
            kind=learner_kind(str(structured.get("kind")), exercise_kind),  # type: ignore[arg-type]
            message=f"{name}: {_clip(first.get('message', ''))}",
            schedule=_str_or_none(structured.get("schedule")),
            timeline=_list_or_none(structured.get("timeline")),
            explanation=structured.get("explanation")
            if isinstance(structured.get("explanation"), dict)
            else None,
        )
        status = "timeout" if failure.kind == "timeout" else "failed"
        return verdict(status, tests, failure)
    kind = first.get("kind") if first.get("kind") in ("assertion", "crash") else "crash"
    return verdict("failed", tests, Failure(kind, f"{name}: {_clip(first.get('message', ''))}"))


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _list_or_none(value: Any) -> list[dict[str, Any]] | None:
    if not isinstance(value, list):
        return None
    return [step for step in value if isinstance(step, dict)]


def learner_kind(explorer_kind: str, exercise_kind: str | None) -> str:
    """The one place an explorer failure's kind is named for the learner (``Failure.kind``).

    The explorer's failed check (``assertion``) is a race, except in a starvation exercise,
    where the check that failed is the one that caught a thread never being served.
    """
    if explorer_kind in ("deadlock", "starvation", "timeout"):
        return explorer_kind
    return "starvation" if exercise_kind == "starvation" else "race"


def _clip(text: str, limit: int = _MESSAGE_CAP) -> str:
    text = escape_control(str(text))
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
            outcome = result.get("outcome")
            if outcome not in ("passed", "failed", "error", "skipped"):
                outcome = "skipped"  # xfailed: reported as skipped, and it is no pass
            tests.append(
                TestResult(_test_name(nodeid), outcome, _clip(result.get("message", ""), 500))
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
    return escape_control(lines[-1].strip()[:300]) if lines else ""


_STACK_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+) in (?P<func>\S+)')


def summarize_stacks(stacks: str) -> list[str]:
    """One line per thread: where in the learner's code (else anywhere) it was stuck.

    The stacks are faulthandler's dump (written by the C watchdog, not by learner code).
    """
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
            f"no test could run (collection failed), and the run did not end within {timeout_s:g} s"
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
    return Failure("timeout", escape_control(head), stacks=escape_control(stacks) or None)


def verdict_json(verdict: Verdict) -> Mapping[str, Any]:
    """The contract's ``check --json`` object."""
    return verdict.to_dict()
