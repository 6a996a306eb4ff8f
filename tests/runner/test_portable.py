"""The portable runner (macOS/BSD path), forced on Linux with ``TUTOR_SANDBOX_PORTABLE=1``.

Real grading runs and real processes: the verdicts must match the Linux runner's, and the
kill sweep (killpg plus a ``ps`` walk, no subreaper) must leave nothing alive.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tutor.grading import grade_source
from tutor.runner import run_sandboxed

HERE = Path(__file__).resolve().parent
COUNTER = HERE / "course" / "exercises" / "counter"
HOSTILE = HERE / "hostile"
PY = sys.executable
GENEROUS_TIMEOUT_S = 30.0


@pytest.fixture(autouse=True)
def _portable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_SANDBOX_PORTABLE", "1")


def _grade(submission: Path, timeout_s: float = GENEROUS_TIMEOUT_S):
    tests = (COUNTER / "test_hidden.py").read_bytes()
    return grade_source("counter", tests, submission.read_bytes(), seed=0, timeout_s=timeout_s)


def _alive_with(token: str) -> list[int]:
    """Pids of live, non-zombie processes whose command line contains ``token``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if token.encode() in f.read():
                        with open(f"/proc/{entry}/stat", "rb") as s:
                            if s.read().rsplit(b")", 1)[1].split()[0] != b"Z":
                                found.append(int(entry))
            except OSError:
                continue
    return found


def test_the_portable_runner_is_used_and_says_what_it_lacks(tmp_path: Path) -> None:
    result = run_sandboxed([PY, "-c", "import sys; sys.exit(4)"], cwd=tmp_path, timeout_s=20)
    assert result.exit_code == 4
    assert result.sandbox["mode"].startswith("portable")
    assert result.sandbox["subreaper"] is False
    assert "not applied" in result.sandbox["landlock"]


def test_a_correct_submission_passes() -> None:
    verdict = _grade(COUNTER / "solution.py")
    assert verdict.status == "passed", verdict.failure
    assert verdict.tests and all(t.outcome == "passed" for t in verdict.tests)


def test_a_racy_submission_fails() -> None:
    verdict = _grade(COUNTER / "starter.py")
    assert verdict.status == "failed", verdict.failure


def test_an_infinite_loop_times_out_within_the_bound() -> None:
    started = time.monotonic()
    verdict = _grade(HOSTILE / "infinite_loop.py", timeout_s=2.0)
    assert verdict.status == "timeout"
    assert verdict.failure is not None and verdict.failure.kind == "timeout"
    assert time.monotonic() - started < 2.0 + 8.0  # start-up and the sweep on a loaded machine


def test_a_fake_verdict_on_stdout_is_not_a_pass() -> None:
    verdict = _grade(HOSTILE / "fake_verdict.py")
    assert "2 passed" in verdict.output
    assert verdict.status == "error" and verdict.tests == []


@pytest.mark.parametrize("main_waits", [False, True], ids=["main-exits", "main-times-out"])
def test_children_that_ignore_sigterm_do_not_survive(tmp_path: Path, main_waits: bool) -> None:
    token = f"portable-{uuid.uuid4().hex}"
    stubborn = (
        "import os, signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        "open(f'ready-{os.getpid()}', 'w').close(); time.sleep(600)"
        f" # {token}"
    )
    # A child in the run's process group; while the main process lives (it times out), also one
    # that left the group with setsid (found through its parent by the walk of the table).
    # Without a subreaper, a setsid'd process whose parent exits first escapes: see the docs.
    code = f"""
import os, subprocess, sys, time
subprocess.Popen([sys.executable, "-c", {stubborn!r}])
if {main_waits!r} and os.fork() == 0:
    os.setsid()
    subprocess.Popen([sys.executable, "-c", {stubborn!r}])
    time.sleep(600)
deadline = time.monotonic() + 20
while len([n for n in os.listdir(".") if n.startswith("ready-")]) < 1 + {main_waits!r}:
    assert time.monotonic() < deadline, "the children did not start"
    time.sleep(0.05)
print("started", flush=True)
if {main_waits!r}:
    time.sleep(600)
"""
    result = run_sandboxed([PY, "-c", code], cwd=tmp_path, timeout_s=4.0 if main_waits else 20)
    assert "started" in result.output, result.output
    assert result.timed_out is main_waits
    assert result.sandbox["stray_processes_killed"] >= (3 if main_waits else 1)
    assert _alive_with(token) == []


def test_windows_gets_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(OSError, match="Windows is not supported"):
        run_sandboxed([PY, "-c", "pass"], cwd=tmp_path)


def test_a_limit_the_platform_refuses_is_skipped_not_fatal() -> None:
    """In a child (the limits must not land on the test process) whose ``setrlimit`` refuses
    RLIMIT_AS with ValueError, as macOS does for some values."""
    code = (
        "import resource\n"
        "real = resource.setrlimit\n"
        "def refusing(which, value):\n"
        "    if which == resource.RLIMIT_AS:\n"
        "        raise ValueError('invalid argument')\n"
        "    real(which, value)\n"
        "resource.setrlimit = refusing\n"
        "from tutor.runner.limits import Limits\n"
        "from tutor.runner.rlimits import apply_rlimits\n"
        "print(apply_rlimits(Limits().to_json(), 5.0, best_effort=True))\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), resource.getrlimit(resource.RLIMIT_CPU))\n"
        "try:\n"
        "    apply_rlimits(Limits().to_json(), 5.0)\n"
        "except ValueError:\n"
        "    print('strict raises')\n"
    )
    done = subprocess.run([PY, "-c", code], capture_output=True, text=True, timeout=60)
    lines = done.stdout.splitlines()
    assert lines[0] == "['address space']", done
    assert lines[1].startswith("(0, 0) (") and "-1" not in lines[1], done  # the others applied
    assert lines[2:] == ["strict raises"], done
