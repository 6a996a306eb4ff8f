"""Shared helpers for the runner tests: the small test course and `check` under a watcher."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
COURSE = HERE / "course"
HOSTILE = HERE / "hostile"
WATCH = HERE / "watch.py"

# The course's hidden tests import `submission`: they run only inside the sandbox.
collect_ignore = ["course", "hostile", "watch.py"]


def watched_check(
    path: Path, *, course: Path = COURSE, timeout_s: float = 2.0, extra: list[str] | None = None
) -> dict[str, Any]:
    """Run `tutor check counter --file PATH --json` under the subreaper watcher.

    Returns the watcher's report with the parsed verdict under "verdict" (None if stdout was
    not exactly one JSON object).
    """
    argv = [
        sys.executable, str(WATCH), "--",
        sys.executable, "-m", "tutor", "--course", str(course),
        "check", "counter", "--file", str(path), "--json", "--timeout", str(timeout_s),
        *(extra or []),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "TUTOR_SEED"}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    try:
        report["verdict"] = json.loads(report["stdout"])
    except ValueError:
        report["verdict"] = None
    return report


@pytest.fixture(scope="session")
def check_watched():
    """``watched_check`` as a fixture, so test modules need not import this conftest."""
    return watched_check


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A private copy of the test course, for tests that check its files stay untouched."""
    target = tmp_path / "course"
    shutil.copytree(COURSE, target)
    return target


@pytest.fixture
def run_dir() -> Any:
    """A directory for a sandboxed command's ``cwd`` that the sandbox user can reach even
    without a private root (pytest's own tmp_path sits below a 0700 directory of root's)."""
    import tempfile

    from tutor.grading import remove_tree

    path = Path(tempfile.mkdtemp(prefix="tutor-test-"))
    yield path
    remove_tree(path)
