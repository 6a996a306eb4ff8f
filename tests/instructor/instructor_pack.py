"""A small course pack for the instructor tests, and a way to run the CLI as a user would.

It is built from strings (not kept as files under tests/) so pytest never collects its hidden
tests as our own. `add-numbers` grades in well under a second; `safe-counter` is a real race
exercise whose hidden test uses `tutor.interleave.explore`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

EXERCISES = {
    "add-numbers": {
        "exercise.toml": """\
            title = "Add two numbers"
            lesson = "01-basics"
            kind = "other"
            difficulty = 1
            hints = ["Read the operator."]
            timeout_s = 20
            order = 1
        """,
        "starter.py": '''\
            """Make add() return the sum of its arguments."""

            def add(a, b):
                return a - b
        ''',
        "solution.py": '''\
            """The sum."""

            def add(a, b):
                return a + b
        ''',
        "test_hidden.py": """\
            import submission

            def test_adds():
                assert submission.add(2, 3) == 5

            def test_adds_negatives():
                assert submission.add(-2, -3) == -5
        """,
    },
    "safe-counter": {
        "exercise.toml": """\
            title = "Count without losing updates"
            lesson = "01-basics"
            kind = "race"
            difficulty = 1
            hints = ["+= is three steps.", "Hold a lock around it."]
            timeout_s = 20
            order = 2
        """,
        "starter.py": '''\
            """Make Counter.hit() safe to call from many threads."""

            import threading

            class Counter:
                def __init__(self):
                    self.hits = 0

                def hit(self):
                    self.hits += 1
        ''',
        "solution.py": '''\
            """A lock makes the read-add-write one step for other threads."""

            import threading

            class Counter:
                def __init__(self):
                    self.hits = 0
                    self.lock = threading.Lock()

                def hit(self):
                    with self.lock:
                        self.hits += 1
        ''',
        "wrong/lock-per-call.py": """\
            # Wrong: a lock made per call is shared by nobody.
            import threading

            class Counter:
                def __init__(self):
                    self.hits = 0

                def hit(self):
                    with threading.Lock():
                        self.hits += 1
        """,
        "test_hidden.py": """\
            import submission
            from tutor.interleave import explore

            def bump(counter):
                counter.hit()

            def both_counted(counter):
                assert counter.hits == 2, f"2 hits counted as {counter.hits}"

            def test_no_lost_update():
                explore(submission.Counter, [bump, bump], both_counted)
        """,
    },
}

GOOD = {
    "add-numbers": "def add(a, b):\n    return a + b\n",
    "safe-counter": textwrap.dedent(EXERCISES["safe-counter"]["solution.py"]),
}
BUGGY = {
    "add-numbers": "def add(a, b):\n    return a * b\n",
    "safe-counter": textwrap.dedent(EXERCISES["safe-counter"]["starter.py"]),
}


def write_course(root: Path) -> Path:
    (root / "lessons").mkdir(parents=True)
    (root / "lessons" / "01-basics.md").write_text("# Basics\n\nThreads share memory.\n")
    (root / "course.toml").write_text('title = "Instructor fixture"\n')
    for exercise_id, files in EXERCISES.items():
        directory = root / "exercises" / exercise_id
        directory.mkdir(parents=True)
        for name, text in files.items():
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).write_text(textwrap.dedent(text))
    return root


def run_tutor(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m tutor ARGS`` in a child process, as a user or a CI job would run it."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=cwd,
    )
