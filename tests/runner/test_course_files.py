"""A submission that rewrites every test file it can reach changes no verdict, now or later."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tutor.runner.landlock import abi_version

HOSTILE = Path(__file__).resolve().parent / "hostile" / "rewrite_tests.py"
REPO = Path(__file__).resolve().parents[2]


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("test_*.py"))
    }


@pytest.mark.skipif(
    abi_version() == 0,
    reason="without Landlock this would really rewrite files (see docs/sandbox.md)",
)
def test_rewriting_every_reachable_test_file_changes_nothing(
    course_copy: Path, tmp_path: Path, check_watched: Any
) -> None:
    submission = tmp_path / "rewrite_tests.py"
    submission.write_text(HOSTILE.read_text().replace("@COURSE_DIR@", str(course_copy)))
    course_before, repo_before = _digests(course_copy), _digests(REPO / "tests")

    attack = check_watched(submission, course=course_copy, timeout_s=20)
    assert attack["verdict"]["status"] == "failed", attack["verdict"]
    assert attack["survivors"] == []

    assert _digests(course_copy) == course_before
    assert _digests(REPO / "tests") == repo_before
    exercise = course_copy / "exercises" / "counter"
    later_starter = check_watched(exercise / "starter.py", course=course_copy, timeout_s=20)
    later_solution = check_watched(exercise / "solution.py", course=course_copy, timeout_s=20)
    assert later_starter["verdict"]["status"] == "failed"
    assert later_solution["verdict"]["status"] == "passed"
