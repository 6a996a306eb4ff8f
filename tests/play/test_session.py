"""Play sessions on real code in the real sandbox: break the starter, undo, show me, a fix.

Each test starts a sandboxed pytest on transfer-deadlock's scenario (a few seconds on a
loaded machine) and talks to it only through ``PlaySession``.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from play_helpers import as_state, needs_sandbox, play

from tutor.course import Exercise
from tutor.play.messages import Plan, Problem
from tutor.play.session import DEFAULT, PLAN, PlayError, PlaySession, Refused

pytestmark = needs_sandbox


@pytest.fixture
def session(transfer: Exercise):
    play = PlaySession(transfer, transfer.starter_path)
    yield play
    play.close()


def test_breaking_the_starter_by_hand_is_a_deadlock_found_yourself(session: PlaySession) -> None:
    state = play(session)  # T1 and T2 take turns
    assert session.ready is not None and session.ready.functions == ("a_to_b", "b_to_a")
    assert state.finished and state.outcome is not None
    assert state.outcome.kind == "deadlock" and not state.outcome.passed
    assert state.outcome.explanation is not None
    assert state.outcome.explanation.pattern == "deadlock"
    assert "bank[0].lock" in state.outcome.explanation.summary
    assert [t.state for t in state.threads] == ["blocked", "blocked"]
    assert state.threads[0].holds == ("Lock bank[0].lock",)
    assert state.threads[0].waiting_for == "Lock bank[1].lock"
    assert state.line_to_show == 36 and state.threads[0].source == "with target.lock:"
    assert dict(state.shared)["bank[0].lock"] == "Lock held by T1"
    assert any(step.conflict for step in state.timeline)
    assert session.found_it()

    last = session.decisions[-1].thread
    undone = as_state(session.undo())
    assert undone.step == state.step - 1 and not undone.finished
    assert not session.found_it()
    assert as_state(session.step(last)).finished  # the same step again...
    assert session.found_it()  # ...breaks it again
    restarted = as_state(session.restart())
    assert restarted.step == 0 and session.decisions == []
    assert restarted.choices == (0, 1) and dict(restarted.shared)["bank[0].balance"] == "100"


def test_a_thread_that_cannot_run_is_refused_on_our_side(session: PlaySession) -> None:
    session.start()
    problem = session.step(5)
    assert isinstance(problem, Problem) and "no T6" in problem.message
    state = as_state(session.step(None, DEFAULT))
    assert state.step == 1 and state.chosen in (0, 1)


def test_show_me_replays_the_explorers_failing_order(session: PlaySession) -> None:
    session.start()
    plan = session.show_me()
    assert isinstance(plan, Plan) and plan.choices and plan.kind == "deadlock"
    state = as_state(session.restart())
    for thread in plan.choices:
        state = as_state(session.step(thread, PLAN))
    assert state.finished and state.outcome is not None and state.outcome.kind == "deadlock"
    assert not session.found_it()  # "show me" found it, not the learner


def test_a_correct_fix_survives_every_order_tried(transfer: Exercise) -> None:
    session = PlaySession(transfer, transfer.solution_path)
    try:
        session.start()
        assert not session.is_starter
        for seed in range(6):
            state = as_state(session.restart())
            rng = random.Random(seed)
            while not state.finished:
                state = as_state(session.step(rng.choice(state.choices)))
            assert state.outcome is not None and state.outcome.passed, state.outcome
        plan = session.show_me()
        assert isinstance(plan, Plan) and plan.choices is None
        assert "interleavings" in plan.summary
    finally:
        session.close()


def test_strict_mode_refuses_what_the_integrity_policy_flags(
    transfer: Exercise, tmp_path: Path
) -> None:
    path = tmp_path / "mine.py"
    path.write_text(transfer.starter_path.read_text() + "\nimport gc\n", encoding="utf-8")
    with pytest.raises(Refused, match="gc"):
        PlaySession(transfer, path, strict=True).start()


def test_code_that_does_not_load_says_why(transfer: Exercise, tmp_path: Path) -> None:
    path = tmp_path / "mine.py"
    path.write_text("def transfer(:\n", encoding="utf-8")
    session = PlaySession(transfer, path)
    try:
        with pytest.raises(PlayError, match="could not be loaded"):
            session.start()
    finally:
        session.close()


def test_a_step_that_never_reaches_a_decision_is_stopped(
    transfer: Exercise, tmp_path: Path
) -> None:
    source = transfer.starter_path.read_text().replace(
        "    with source.lock:", "    while amount:\n        amount = amount or 1\n    with source.lock:"
    )
    path = tmp_path / "mine.py"
    path.write_text(source, encoding="utf-8")
    session = PlaySession(transfer, path, step_limit_s=3.0)
    try:
        state = session.start()
        with pytest.raises(PlayError, match="no answer within 3 s"):
            for _ in range(20):
                state = as_state(session.step(state.choices[0]))
        assert not session.alive
    finally:
        session.close()


def test_a_lost_update_by_hand_is_explained_with_the_values(course) -> None:
    exercise = course.exercise("hit-counter")
    session = PlaySession(exercise, exercise.starter_path)
    try:
        # T1 reads the count, T2 makes both its hits, T1 writes its stale count back
        state = play(session, (0, 0, 0, 1, 1, 1, 1, 1, 1, 1))
        assert state.finished and state.outcome is not None
        explanation = state.outcome.explanation
        assert explanation is not None and explanation.pattern == "lost-update"
        assert explanation.location == "self._counts['/']" and explanation.line == 24
        conflicts = [s for s in state.timeline if s.conflict]
        values = [(a.op, a.value) for s in conflicts for a in s.accesses]
        assert ("read", "0") in values and ("write", "1") in values
        assert dict(state.shared)["counter._counts['/']"] == "2"
        assert session.found_it()
    finally:
        session.close()
