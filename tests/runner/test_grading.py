"""``grade_source``: how pytest outcomes map to verdicts (real sandboxed runs, no mocks)."""

from __future__ import annotations

import threading
import time

from tutor.grading import grade_source

RACY = b"""
class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        current = self.value
        self.value = current + 1
"""


def _grade(tests: str, submission: bytes = RACY, **kwargs: object):
    kwargs.setdefault("timeout_s", 60)  # a loaded machine must not turn a verdict into a timeout
    return grade_source("demo", tests.encode(), submission, **kwargs)


def test_an_interleaving_failure_becomes_a_race_with_schedule_and_timeline() -> None:
    tests = """
from tutor.interleave import explore
import submission

def bump(counter):
    counter.increment()

def test_two_increments():
    def check(counter):
        assert counter.value == 2, f"2 increments, {counter.value} counted"
    explore(submission.Counter, [bump, bump], check)
"""
    verdict = _grade(tests, seed=0)
    assert verdict.status == "failed"
    assert verdict.failure is not None and verdict.failure.kind == "race"
    assert verdict.failure.schedule
    assert verdict.failure.timeline and {"thread", "file", "line", "source", "event"} <= set(
        verdict.failure.timeline[0]
    )
    (test,) = verdict.tests
    assert test.outcome == "failed" and "\n" not in test.message


def test_the_seed_reaches_the_tests() -> None:
    tests = "import os\n\ndef test_seed():\n    assert os.environ['TUTOR_SEED'] == '3'\n"
    assert _grade(tests, seed=3).status == "passed"
    assert _grade(tests, seed=4).status == "failed"


def test_skips_pass_and_setup_errors_are_errors() -> None:
    tests = """
import pytest

@pytest.fixture
def broken():
    raise RuntimeError("no database")

def test_skipped():
    pytest.skip("not today")

def test_uses_broken(broken):
    pass

def test_fine():
    pass
"""
    verdict = _grade(tests)
    outcomes = {t.name: (t.outcome, t.message) for t in verdict.tests}
    assert outcomes["test_skipped"] == ("skipped", "not today")
    assert outcomes["test_uses_broken"][0] == "error"
    assert "RuntimeError: no database" in outcomes["test_uses_broken"][1]
    assert outcomes["test_fine"] == ("passed", "")
    assert verdict.status == "failed" and verdict.failure is not None
    assert verdict.failure.kind == "crash"


def test_no_tests_is_an_error() -> None:
    verdict = _grade("import submission\n")
    assert verdict.status == "error"
    assert "no tests were collected" in verdict.failure.message


def test_an_exception_in_the_submission_names_its_line() -> None:
    verdict = _grade(
        "import submission\n\ndef test_it():\n    submission.go()\n",
        b"def go():\n    return {}['missing']\n",
    )
    assert verdict.status == "failed"
    assert verdict.tests[0].message == "KeyError: 'missing' (submission.py, line 2)"


def test_cancel_ends_a_grading_with_an_error() -> None:
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.monotonic()
    verdict = _grade(
        "import time\n\ndef test_slow():\n    time.sleep(60)\n", timeout_s=60, cancel=cancel
    )
    assert verdict.status == "error" and "cancelled" in verdict.failure.message
    assert time.monotonic() - started < 20


def test_prints_are_output_only() -> None:
    verdict = _grade(
        "def test_it():\n    print('1 passed'); assert False\n",
    )
    assert verdict.status == "failed"
    assert verdict.output == "1 passed\n"


STRUCTURED = """
class StructuredFailure(AssertionError):
    kind = "{kind}"
    schedule = "v1:0,1,0"
    timeline = []

    def to_dict(self):
        return {{
            "kind": "{kind}",
            "message": "T1 and T2 both wrote",
            "headline": "one update was lost",
            "schedule": "v1:0,1,0",
            "timeline": [{{"thread": "T1", "file": "submission.py", "line": 3,
                          "source": "x += 1", "event": "write x", "value": 1}}],
            "explanation": {{"pattern": "lost-update", "summary": "T1 and T2 both read 0.",
                            "location": "self.value", "line": 3, "accesses": []}},
            "coverage": {{"complete": False}},
        }}


def test_it():
    raise StructuredFailure("RENDERED TEXT that nobody may parse\\nsecond line")
"""


def test_a_structured_failure_is_carried_field_by_field_never_parsed() -> None:
    verdict = grade_source("demo", STRUCTURED.format(kind="assertion").encode(), b"", timeout_s=60)
    failure = verdict.failure
    assert verdict.status == "failed" and failure is not None
    assert failure.kind == "race"
    assert failure.message == "test_it: one update was lost"
    assert "RENDERED" not in failure.message
    assert failure.schedule == "v1:0,1,0"
    assert failure.timeline == [
        {
            "thread": "T1",
            "file": "submission.py",
            "line": 3,
            "source": "x += 1",
            "event": "write x",
            "value": 1,
        }
    ]
    assert failure.explanation["pattern"] == "lost-update"
    assert failure.explanation["summary"] == "T1 and T2 both read 0."


def test_the_failure_kind_is_named_once_for_the_exercise() -> None:
    tests = STRUCTURED.format(kind="assertion").encode()
    slow = {"timeout_s": 60, "exercise_kind": "starvation"}
    assert grade_source("d", tests, b"", **slow).failure.kind == "starvation"
    deadlock = STRUCTURED.format(kind="deadlock").encode()
    assert grade_source("d", deadlock, b"", **slow).failure.kind == "deadlock"


def test_an_explorer_timeout_is_a_timeout_never_a_pass() -> None:
    verdict = grade_source("demo", STRUCTURED.format(kind="timeout").encode(), b"", timeout_s=60)
    assert verdict.status == "timeout"
    assert verdict.failure.kind == "timeout"


def test_a_grader_failure_is_an_error_verdict(monkeypatch) -> None:
    import tutor.grading as grading

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(grading, "run_sandboxed", broken)
    verdict = grade_source("demo", b"def test_x():\n    pass\n", b"")
    assert verdict.status == "error" and "disk on fire" in verdict.failure.message


def test_a_tree_deeper_than_the_recursion_limit_is_removed(tmp_path) -> None:
    import os

    from tutor.grading import remove_tree

    root = tmp_path / "scratch"
    root.mkdir()
    fd = os.open(root, os.O_RDONLY)
    for _ in range(2500):
        os.mkdir("a", dir_fd=fd)
        child = os.open("a", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = child
    os.close(fd)
    (root / "locked").mkdir()
    (root / "locked" / "f").write_text("x")
    (root / "locked").chmod(0)
    remove_tree(root)
    assert not root.exists()
