"""A broken check in a starvation exercise is reported as starvation, not as a race."""

from __future__ import annotations

from tutor.grading import _in_terms_of_exercise
from tutor.verdict import Failure, Verdict


def _failed(kind: str) -> Verdict:
    return Verdict("x", "failed", 0.1, [], Failure(kind, "m", "v1:1", []), "")


def test_assertion_in_a_starvation_exercise_is_starvation() -> None:
    assert _in_terms_of_exercise(_failed("race"), "starvation").failure.kind == "starvation"


def test_other_kinds_and_exercises_are_left_alone() -> None:
    assert _in_terms_of_exercise(_failed("race"), "race").failure.kind == "race"
    assert _in_terms_of_exercise(_failed("deadlock"), "starvation").failure.kind == "deadlock"
    passed = Verdict("x", "passed", 0.1)
    assert _in_terms_of_exercise(passed, "starvation") is passed
