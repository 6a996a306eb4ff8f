"""Ctrl+C during `grade`: a real SIGINT to a real `python -m tutor grade` process group, and the
SIGTERM a cancelled CI job gets: both write the verdicts finished so far and say so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from instructor_pack import GOOD, REPO

MARKER = "SLOW_FILE_MARKER_4b1d"
WAIT_LIMIT_S = 60.0


def wait_for_slow_file(scratch_root: Path, process: subprocess.Popen[str]) -> None:
    """Block until `grade` has copied the slow file for the grader (so its grading is under
    way): the batch keeps the copy the grader reads in its own tutor-batch-* folder."""
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        for submission in scratch_root.glob("tutor-batch-*/*.py"):
            try:
                if MARKER in submission.read_text():
                    return
            except OSError:  # removed or not yet complete: look again
                pass
        assert process.poll() is None, "grade ended before the slow file started"
        time.sleep(0.05)
    raise AssertionError("the slow file never started grading")


def why_still_running(process: subprocess.Popen[str]) -> str:
    """What a hung `grade` was doing: each thread's signal mask and handlers (a blocked or
    ignored SIGINT would explain it) and, through faulthandler on SIGABRT, its stacks."""
    lines = []
    tasks = [*sorted(Path(f"/proc/{process.pid}/task").glob("*")), Path("/proc/thread-self")]
    for task in tasks:  # the last: this test's own thread, whose mask and SIG_IGNs grade inherits
        try:
            status = (task / "status").read_text().splitlines()
        except OSError:
            continue
        fields = [line for line in status if line.startswith(("Name", "SigPnd", "ShdPnd",
                                                               "SigBlk", "SigIgn", "SigCgt"))]
        lines.append(f"task {task.name}: " + "; ".join(fields))
    os.kill(process.pid, signal.SIGABRT)
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        err = "(no output after SIGABRT either)"
    return "\n".join(lines) + "\n--- stderr after SIGABRT ---\n" + (err or "")[-6000:]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_writes_the_verdicts_it_has_and_says_so(
    course_dir: Path, tmp_path: Path, signum: int, driver: ModuleType
) -> None:
    batch = tmp_path / "submissions"
    # Sorted order, one job: anna's quick pass, then ben's endless loop, then cleo's file.
    for learner, text in (
        ("anna", GOOD["add-numbers"]),
        ("ben", f"# {MARKER}\nwhile True:\n    pass\n"),
        ("cleo", GOOD["add-numbers"]),
    ):
        (batch / learner).mkdir(parents=True)
        (batch / learner / "add-numbers.py").write_text(text)
    scratch_root = tmp_path / "scratch"
    scratch_root.mkdir()
    report = tmp_path / "grades.json"
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(scratch_root),
           "PYTHONFAULTHANDLER": "1"}  # SIGABRT then prints every thread's stack
    command = [sys.executable, "-m", "tutor", "--course", str(course_dir), "grade", str(batch)]
    # as a terminal's foreground job would be, even when this test runs in the background
    # (`nohup pytest &` ignores SIGINT, and children would inherit that): the CI driver's way
    with driver.children_take_sigint():
        process = subprocess.Popen(
            [*command, "--jobs", "1", "--timeout", "60", "-o", str(report)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,  # like a terminal's foreground job: ctrl+c goes to the group
        )
    try:
        wait_for_slow_file(scratch_root, process)
        started = time.monotonic()
        os.killpg(process.pid, signum)
        try:
            _, err = process.communicate(timeout=WAIT_LIMIT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"grade still ran {WAIT_LIMIT_S:.0f} s after the signal\n"
                        + why_still_running(process))
        stopped_after = time.monotonic() - started
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130, err
    assert stopped_after < 30, "the endless loop was waited for instead of cancelled"
    data = json.loads(report.read_text())
    assert data["complete"] is False
    assert [(r["learner"], r["status"]) for r in data["results"]] == [("anna", "passed")]
    assert "interrupted: wrote the verdicts finished so far (1)" in err
    assert "2 of 3 files were not graded" in err
    left = [p.name for p in scratch_root.iterdir()]
    assert left == [], f"scratch left behind: {left}"
