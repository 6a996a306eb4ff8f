"""Helpers for the foundation tests: a small valid course to break in many ways, and the CLI
run for real. A module of its own, not conftest: ``from conftest import`` finds whichever
conftest was imported first when several test folders run together."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXERCISE_TOML = """\
title = "Count the hits"
lesson = "01-intro"
kind = "race"
difficulty = 1
hints = ["Look at +=", "Use a lock"]
"""


def write_course(root: Path, exercises: tuple[str, ...] = ("counter", "deadlock")) -> Path:
    """A minimal sound course: one lesson and the given exercises."""
    (root / "lessons").mkdir(parents=True)
    (root / "lessons" / "01-intro.md").write_text("# Intro\n\nThreads.\n")
    (root / "course.toml").write_text('title = "Mini"\ndescription = "A tiny course"\n')
    for i, ex in enumerate(exercises):
        d = root / "exercises" / ex
        d.mkdir(parents=True)
        (d / "exercise.toml").write_text(EXERCISE_TOML + f"order = {i + 1}\n")
        (d / "starter.py").write_text('"""Fix me."""\nN = 0\n')
        (d / "solution.py").write_text('"""Fixed."""\nN = 1\n')
        (d / "test_hidden.py").write_text(
            "import submission\n\ndef test_n():\n    assert submission.N == 1\n"
        )
    return root


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tutor ARGS`` for real, in a child process."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        capture_output=True, text=True, cwd=cwd, env=full_env, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
