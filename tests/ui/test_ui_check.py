"""Checking through the real grader (sandboxed child processes, the interleaving explorer).

A failing starter shows the race and its timeline, stepping moves the editor to the line;
the fix typed by keyboard passes and unlocks the solution; the keyboard keeps working while a
slow check runs, and the check can be cancelled.
"""

from __future__ import annotations

import time

import pytest
from textual.widgets import Static, TextArea
from textual.worker import WorkerState
from ui_helpers import FIXTURE_COURSE, make_app, open_exercise

from tutor.course import load_course
from tutor.state import LearnerState
from tutor.ui.screens.exercise import ExerciseScreen
from tutor.ui.screens.solution import SolutionScreen

CHECK_TIMEOUT_S = 90.0  # generous: a loaded 2-core machine


async def _wait_for_check(pilot, screen: ExerciseScreen) -> None:
    deadline = time.monotonic() + CHECK_TIMEOUT_S
    while screen.checking:
        assert time.monotonic() < deadline, "the check did not finish"
        await pilot.pause(0.1)
    await pilot.pause()


def _summary(screen: ExerciseScreen) -> str:
    return "\n".join(str(screen.query_one(f"#verdict-{part}", Static).render())
                     for part in ("headline", "summary"))


async def test_failing_check_shows_the_race_then_the_typed_fix_passes() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", TextArea)

        await pilot.press("ctrl+r")
        assert screen.checking
        await _wait_for_check(pilot, screen)
        verdict = screen.last_verdict
        assert verdict is not None and verdict.status == "failed", _summary(screen)
        assert verdict.failure is not None and verdict.failure.kind == "race"
        assert "Failed" in _summary(screen)
        assert app.state.status("counter-race") == "attempted"

        timeline = screen.results.timeline
        assert timeline.display and timeline.row_count == len(timeline.steps) > 0
        threads = {step.thread for step in timeline.steps}
        assert len(threads) >= 2, "a race needs two threads on the timeline"
        for _ in timeline.steps:
            await pilot.press("ctrl+n")
            step = timeline.steps[timeline.cursor_row]
            if step.in_submission:
                assert editor.marks.get(step.line) == "step", "the step's line is marked"
                assert editor.cursor_location[0] == step.line - 1
                assert editor.selection.is_empty, "a mark, not a selection"
                break
        else:
            pytest.fail("no timeline step is in the learner's file")

        await pilot.press("f4")
        assert not isinstance(app.screen, SolutionScreen), "no solution before a pass"

        # The fix, typed: line 19 `with NO_LOCK:` becomes `with self.lock:`.
        editor.focus()
        await pilot.press("ctrl+end", *["up"] * 3, "end", *["backspace"] * 8, *"self.lock:")
        assert editor.document.get_line(18) == "        with self.lock:"
        await pilot.press("ctrl+r")
        await _wait_for_check(pilot, screen)
        assert screen.last_verdict is not None
        assert screen.last_verdict.status == "passed", _summary(screen)
        assert "Passed" in _summary(screen)
        state = LearnerState(load_course(FIXTURE_COURSE))
        assert state.status("counter-race") == "passed"
        assert "self.lock:" in state.read_code("counter-race")

        await pilot.press("f4")
        assert isinstance(app.screen, SolutionScreen)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.query_one("#solution-views").current == "diff"
        assert "identical to the reference solution" in app.screen.diff_text
        await pilot.press("escape")
        assert app.screen is screen


async def test_input_stays_responsive_while_grading_and_the_check_can_be_cancelled() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", TextArea)
        editor.focus()
        await pilot.press("ctrl+home", *"import time; time.sleep(60)", "enter")
        await pilot.press("ctrl+r")
        (worker,) = [w for w in screen.workers if w.group == "check"]

        typed_at = time.monotonic()
        await pilot.press("ctrl+end", *"# typed while grading")
        await pilot.pause()
        assert editor.text.endswith("# typed while grading")
        assert worker.state == WorkerState.RUNNING, (
            f"keys must be handled while the grader runs; the check already ended: "
            f"{_summary(screen)}"
        )
        assert screen.checking

        await pilot.press("ctrl+r")  # again: cancel
        await _wait_for_check(pilot, screen)
        assert time.monotonic() - typed_at < 50, "cancelling did not stop the 60 s submission"
        assert "cancelled" in _summary(screen).lower()
        assert app.state.status("counter-race") == "new", "a cancelled check is not an attempt"


async def test_a_syntax_error_cannot_be_graded_and_its_line_is_highlighted() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", TextArea)
        editor.move_cursor((6, 0))  # line 7: `import contextlib`
        await pilot.press(*"def (")
        await pilot.press("ctrl+r")
        await _wait_for_check(pilot, screen)
        verdict = screen.last_verdict
        assert verdict is not None and verdict.status == "error", _summary(screen)
        assert "Could not grade" in _summary(screen) and "SyntaxError" in _summary(screen)
        assert editor.marks.get(7) == "error", "the line of the syntax error is marked"
        assert editor.selection.is_empty and editor.cursor_location[0] == 6
        lines = editor.document.line_count
        await pilot.press("colon")  # the next key types at the cursor: nothing is replaced
        assert editor.document.get_line(6) == ":def (import contextlib"
        assert editor.document.line_count == lines
