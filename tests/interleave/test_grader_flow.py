"""The way hidden tests use the explorer: install() first, then import the submission, in pytest."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CONFTEST = """
import tutor.interleave
tutor.interleave.install()
"""

SUBMISSION_BUGGY = """
import threading
import time

_registry_lock = threading.Lock()
registry = []


class Account:
    def __init__(self, balance):
        self.balance = balance
        self.lock = threading.Lock()

    def withdraw(self, amount):
        if self.balance >= amount:
            time.sleep(0.001)  # "makes the race less likely"
            self.balance -= amount
            with _registry_lock:
                registry.append(amount)
"""

SUBMISSION_FIXED = SUBMISSION_BUGGY.replace(
    """        if self.balance >= amount:
            time.sleep(0.001)  # "makes the race less likely"
            self.balance -= amount""",
    """        with self.lock:
            if self.balance < amount:
                return
            self.balance -= amount""",
)

TEST_HIDDEN = """
import json
import submission
from tutor.interleave import explore, InterleavingFailure


def test_no_overdraft():
    def setup():
        submission.registry.clear()
        return submission.Account(100)

    def check(acct):
        assert acct.balance >= 0, f"balance went negative: {acct.balance}"

    try:
        report = explore(setup, [lambda a: a.withdraw(60), lambda a: a.withdraw(60)], check)
    except InterleavingFailure as exc:
        print("FAILURE", json.dumps({"kind": exc.kind, "schedule": exc.schedule,
                                     "steps": len(exc.timeline)}))
        raise
    print("REPORT", report.exhausted, report.schedules)
"""


def _run_pytest(tmp_path: Path, submission: str) -> subprocess.CompletedProcess:
    (tmp_path / "conftest.py").write_text(textwrap.dedent(CONFTEST))
    (tmp_path / "submission.py").write_text(textwrap.dedent(submission))
    (tmp_path / "test_hidden.py").write_text(textwrap.dedent(TEST_HIDDEN))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "test_hidden.py"],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120,
    )


def test_buggy_submission_fails_with_a_readable_verdict(tmp_path):
    proc = _run_pytest(tmp_path, SUBMISSION_BUGGY)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert 'FAILURE {"kind": "assertion"' in proc.stdout
    assert "balance went negative: -20" in proc.stdout
    assert "lines of submission.py" in proc.stdout  # the timeline points at the learner's lines


def test_fixed_submission_passes_and_exhausts(tmp_path):
    proc = _run_pytest(tmp_path, SUBMISSION_FIXED)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "REPORT True" in proc.stdout
