"""Every built-in exercise: the starter fails and the solution passes, through `validate`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_builtin_course_validates() -> None:
    done = subprocess.run(
        # One grading at a time: the suite itself already keeps both cores busy.
        [sys.executable, "-m", "tutor", "validate", "--json", "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    report = json.loads(done.stdout)
    assert report["defects"] == []
    assert report["exercises"], "the built-in course has no exercises"
    problems = {e["id"]: e["problems"] for e in report["exercises"] if not e["ok"]}
    assert problems == {}
    for exercise in report["exercises"]:
        assert "passed" not in exercise["starter"], exercise
        assert exercise["solution"] == ["passed"], exercise
    assert report["ok"] is True and done.returncode == 0
