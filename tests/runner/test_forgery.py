"""Submissions that try to talk their way into a pass from inside the test process.

Each file of forgers/ is a racy counter (or no counter at all) plus one way to make pytest or
the grading plugin report a pass: skipping every test, a hook that never calls the test, a
swapped `explore`, a rewritten record function, the plugin's own signed writer, a patched
TestReport, a profile hook that swaps test functions. Every one must end non-passed, and the
integrity policy must flag it (strict mode refuses it without running it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.grading import grade_source

HERE = Path(__file__).resolve().parent
FORGERS = HERE / "forgers"
COUNTER_TESTS = (HERE / "course" / "exercises" / "counter" / "test_hidden.py").read_bytes()
EXPLORE_TESTS = b"""
from tutor.interleave import explore
import submission


def bump(counter):
    counter.increment()


def test_two_increments():
    def check(counter):
        assert counter.value == 2, f"2 increments, {counter.value} counted"

    explore(submission.Counter, [bump, bump], check)
"""
TESTS = {"patch_explore.py": EXPLORE_TESTS}


@pytest.mark.parametrize("forger", sorted(p.name for p in FORGERS.glob("*.py")))
def test_a_forger_never_passes_and_is_flagged(forger: str) -> None:
    submission = (FORGERS / forger).read_bytes()
    tests = TESTS.get(forger, COUNTER_TESTS)
    verdict = grade_source("counter", tests, submission, timeout_s=30)
    assert verdict.status in ("failed", "error"), verdict
    assert verdict.integrity, "the integrity policy should flag this submission"
    refused = grade_source("counter", tests, submission, timeout_s=30, strict=True)
    assert refused.status == "refused" and refused.integrity == verdict.integrity


def test_skipped_tests_fail_with_a_message_that_says_so() -> None:
    verdict = grade_source("counter", COUNTER_TESTS, (FORGERS / "skip_getattr.py").read_bytes())
    assert verdict.status == "failed"
    assert "was skipped" in verdict.failure.message
    assert "a pass needs every hidden test to pass" in verdict.failure.message


def test_a_hook_that_skips_the_call_is_caught() -> None:
    verdict = grade_source("counter", COUNTER_TESTS, (FORGERS / "gc_pyfunc_call.py").read_bytes())
    assert verdict.status == "failed"
    assert "did not run to its end" in verdict.failure.message


def test_a_swapped_explore_is_caught() -> None:
    verdict = grade_source("counter", EXPLORE_TESTS, (FORGERS / "patch_explore.py").read_bytes())
    assert verdict.status == "failed"
    assert "explore was replaced" in verdict.failure.message


@pytest.mark.parametrize(
    ("tests", "why"),
    [
        (
            b"import submission\n\n@__import__('pytest').mark.xfail\ndef test_x():\n    assert False\n",
            "expected failure",
        ),
        (b"import pytest\n\ndef test_x():\n    pytest.skip('later')\n", "was skipped"),
    ],
)
def test_xfailed_and_skipped_hidden_tests_are_no_pass(tests: bytes, why: str) -> None:
    verdict = grade_source("x", tests, b"")
    assert verdict.status == "failed" and why in verdict.failure.message


def test_a_deselected_hidden_test_is_no_pass() -> None:
    # A hidden test that pytest never collects (here: shadowed by a later definition) is
    # missing from the run; the tutor read its name itself and insists on it.
    tests = b"def test_a():\n    pass\n\ndef test_b():\n    pass\n\ntest_b = None\n"
    verdict = grade_source("x", tests, b"")
    assert verdict.status == "failed" and "test_b did not run" in verdict.failure.message
