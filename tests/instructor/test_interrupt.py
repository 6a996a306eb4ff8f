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


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_writes_the_verdicts_it_has_and_says_so(
    course_dir: Path, tmp_path: Path, signum: int
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
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(scratch_root)}
    command = [sys.executable, "-m", "tutor", "--course", str(course_dir), "grade", str(batch)]
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
        _, err = process.communicate(timeout=WAIT_LIMIT_S)
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
