"""Every built-in starter's failure is explained as its exercise.toml declares (issue 14).

Each exercise's hidden tests are run in this process with ``submission`` bound to the starter
(``tests/benchmarks/interleave_cases`` captures every ``explore`` call); the first call that
fails is the failure the learner is shown, and its explanation must have the declared
``explains = {pattern = ..., location = ...}``. (``tutor validate`` checks the same through the
sandbox: that is the instructor engineer's side.)
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from tutor.interleave import InterleavingFailure, explore, install

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "benchmarks"))

from interleave_cases import EXERCISES, explore_based_exercises, load  # noqa: E402


def _declared(exercise: str) -> dict | None:
    with open(EXERCISES / exercise / "exercise.toml", "rb") as f:
        return tomllib.load(f).get("explains")


def first_failure(exercise: str) -> InterleavingFailure | None:
    """The failure of the first of the starter's explore calls that fails (seed 0)."""
    for case in load(exercise, "starter"):
        try:
            explore(case.setup, case.threads, case.check, seed=0, budget_s=case.budget_s)
        except InterleavingFailure as failure:
            return failure
    return None


DECLARING = [ex for ex in explore_based_exercises() if _declared(ex)]


@pytest.fixture(scope="module", autouse=True)
def _installed():
    import tutor.interleave as ti

    was = ti.is_installed()
    install()  # as the grader does, before the submission is imported
    yield
    if not was:
        ti.uninstall()


def test_every_explore_based_exercise_declares_what_it_explains():
    undeclared = sorted(set(explore_based_exercises()) - set(DECLARING))
    assert not undeclared, f"no explains line in exercise.toml: {', '.join(undeclared)}"


@pytest.mark.parametrize("exercise", DECLARING)
def test_the_starter_failure_is_explained_as_declared(exercise):
    declared = _declared(exercise)
    failure = first_failure(exercise)
    assert failure is not None, f"{exercise}: the starter passed every explore call"
    got = failure.explanation or {}
    pair = (got.get("pattern"), got.get("location"))
    wanted = (declared["pattern"], declared.get("location"))
    assert pair == wanted, f"{exercise}: {got.get('summary') or failure.headline}"
