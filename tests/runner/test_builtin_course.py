"""`validate` end to end on built-in exercises: starter fails, solution and wrong fixes get the
verdicts they must, explanations match `explains`, static checks pass, and the JSON holds.

Three exercises of different kinds (a race, a deadlock, processes): the full sweep of every
built-in starter, solution and wrong fix through the real grader is
tests/course/test_exercises.py::test_verdict; running the whole course again here, serially,
cost a quarter of CI's time and proved nothing more.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

SAMPLE = ("hit-counter", "transfer-deadlock", "cpu-bound-processes")


@pytest.mark.slow
def test_builtin_exercises_validate() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "validate", *SAMPLE, "--repeat", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(done.stdout)
    assert report["defects"] == []
    assert sorted(e["id"] for e in report["exercises"]) == sorted(SAMPLE)
    problems = {e["id"]: e["problems"] for e in report["exercises"] if not e["ok"]}
    assert problems == {}
    for exercise in report["exercises"]:
        assert "passed" not in exercise["starter"], exercise
        assert exercise["solution"] == ["passed"], exercise
        assert exercise["wrong"], exercise  # each of these has wrong fixes, and they were run
        for statuses in exercise["wrong"].values():
            assert "passed" not in statuses, exercise
    assert report["ok"] is True and done.returncode == 0
