"""Every built-in exercise with an explore-based hidden test: its scenario opens in the sandbox
and can be stepped to the end, on the starter and, in random orders, on the solution, which
must pass in every one of them (a correct fix never fails, whatever the learner's order).

The course grows while this is written: the exercises are read from the course, not listed.
"""

from __future__ import annotations

import random

import pytest
from play_helpers import as_state, needs_sandbox

from tutor.course import Exercise, load_course
from tutor.play.scenario import NoScenario, find_scenario
from tutor.play.session import PlaySession

pytestmark = [pytest.mark.slow, needs_sandbox]
MAX_STEPS = 3000  # decisions; a random order ends a spin loop long before this
ORDERS = 2  # random orders tried on each solution


def _playable() -> list[Exercise]:
    found = []
    for exercise in load_course(None).exercises:
        try:
            find_scenario(exercise.test_path.read_bytes(), exercise.play)
        except NoScenario:
            continue
        found.append(exercise)
    return found


def _run_to_the_end(session: PlaySession, seed: int):
    state = as_state(session.restart())
    rng = random.Random(seed)
    steps = 0
    while not state.finished:
        assert steps < MAX_STEPS, f"not finished after {MAX_STEPS} steps"
        state = as_state(session.step(rng.choice(state.choices)))
        steps += 1
    assert state.outcome is not None
    return state


@pytest.mark.parametrize("exercise", _playable(), ids=lambda exercise: exercise.id)
def test_the_scenario_opens_and_steps_to_the_end(exercise: Exercise) -> None:
    starter = PlaySession(exercise, exercise.starter_path)
    try:
        first = starter.start()
        assert first.threads and (first.finished or first.choices)
        _run_to_the_end(starter, seed=0)
    finally:
        starter.close()
    if not exercise.has_solution:
        return
    solution = PlaySession(exercise, exercise.solution_path)
    try:
        solution.start()
        for seed in range(ORDERS):
            state = _run_to_the_end(solution, seed)
            assert state.outcome.passed, (
                f"the solution failed in the order {[d.thread for d in solution.decisions]}: "
                f"{state.outcome.headline or state.outcome.message}"
            )
    finally:
        solution.close()


def test_the_course_has_scenarios_to_play() -> None:
    assert len(_playable()) >= 20
