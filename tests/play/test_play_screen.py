"""Pilot tests of the scheduler screen: every key, on transfer-deadlock, in the real sandbox."""

from __future__ import annotations

from pathlib import Path

from play_helpers import SIZE, needs_sandbox, settled, take_turns, text_of, wait_for
from textual.widgets import TextArea

from tutor.course import Course
from tutor.state import LearnerState
from tutor.ui.app import TutorApp
from tutor.ui.screens.course_map import FOUND_MARK, CourseMapScreen
from tutor.ui.screens.exercise import ExerciseScreen
from tutor.ui.screens.play import PlayScreen
from tutor.ui.screens.play_app import PlayApp

pytestmark = needs_sandbox


def _app(course: Course, path: Path | None = None) -> PlayApp:
    exercise = course.exercise("transfer-deadlock")
    working_copy = path is None
    if path is None:
        path = LearnerState(course).working_copy(exercise.id)
    return PlayApp(course, exercise.id, path, working_copy=working_copy)


async def test_every_key_of_the_scheduler(course: Course) -> None:
    app = _app(course)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlayScreen), "the play screen")
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        await wait_for(pilot, settled(screen, 0), "the first state")
        assert "You are the scheduler" in text_of(screen, "#play-outcome")

        await pilot.press("3")  # a thread this scenario does not have
        await wait_for(pilot, settled(screen, 0), "the refusal")
        assert "there is no T3" in text_of(screen, "#play-status")

        await take_turns(pilot, screen)  # 1 2 1 2 ...: the deadlock, by hand
        deadlocked = screen.state.step
        outcome = text_of(screen, "#play-outcome")
        assert "Deadlock" in outcome and "bank[0].lock" in outcome
        assert "e: line 36" in outcome and "You broke it yourself" in outcome
        assert LearnerState(course).found_it_ids() == {"transfer-deadlock"}
        assert "blocked" in text_of(screen, "ThreadCard")

        await pilot.press("u")
        await wait_for(pilot, settled(screen, deadlocked - 1), "the undo")
        assert not screen.state.finished
        await pilot.press("space")
        await wait_for(pilot, settled(screen, deadlocked), "the default step")
        await pilot.press("r")
        await wait_for(pilot, settled(screen, 0), "the restart")

        await pilot.press("s")  # show me: the explorer's order, played to its end
        await wait_for(pilot, lambda: settled(screen)() and screen.state.finished, "show me")
        assert screen.show_me is not None and screen.show_me.next_choice is None
        assert "show me" in text_of(screen, "#play-status")

        await pilot.press("e")  # the line to look at, in the editor
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen), "the editor")
        await pilot.pause()
        editor = app.screen.query_one("#editor", TextArea)
        assert editor.selection.start[0] == 35  # line 36, 0-based
        assert editor.document.get_line(35).strip() == "with target.lock:"


async def test_escape_goes_back_to_the_course_map_which_marks_found_it(course: Course) -> None:
    LearnerState(course).record_found_it("transfer-deadlock", "deadlock", 9)
    app = _app(course)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlayScreen), "the play screen")
        screen = app.screen
        await wait_for(pilot, settled(screen, 0), "the first state")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CourseMapScreen), "the course map")
        await wait_for(pilot, lambda: not screen.session.alive, "the sandbox closed")
        await wait_for(pilot, lambda: app.state_ready and app.screen.found, "the found set")
        rows = [str(o.prompt) for o in app.screen.query_one("#map-list").options]
        marked = [row for row in rows if FOUND_MARK in row]
        assert len(marked) == 1 and "Bank transfers that freeze" in marked[0]


async def test_ctrl_q_quits_from_the_scheduler(course: Course) -> None:
    app = _app(course)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlayScreen), "the play screen")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_exercise_screen_opens_the_scheduler_by_key_and_palette(course: Course) -> None:
    app = TutorApp(course=course)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ExerciseScreen(course.exercise("transfer-deadlock")))
        await pilot.pause()
        exercise_screen = app.screen
        commands = [c.title for c in app.get_system_commands(exercise_screen)]
        assert "Scheduler" in commands
        assert app.screen.query_one("#editor").has_focus  # the key works from the editor
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, PlayScreen), "the play screen")
        await wait_for(pilot, settled(app.screen, 0), "the first state")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is exercise_screen, "the exercise again")


async def test_with_file_the_line_is_named_and_progress_is_left_alone(
    course: Course, tmp_path: Path
) -> None:
    path = tmp_path / "mine.py"
    path.write_bytes(course.exercise("transfer-deadlock").starter_path.read_bytes())
    app = _app(course, path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlayScreen), "the play screen")
        screen = app.screen
        await pilot.press("1", "2")  # typed ahead, before the scenario has started
        await wait_for(pilot, settled(screen, 2), "the typed-ahead steps")
        await take_turns(pilot, screen)
        assert "You broke it yourself" in text_of(screen, "#play-outcome")
        assert LearnerState(course).found_it_ids() == set()  # --file: nothing recorded
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, CourseMapScreen), "the map")


async def test_a_long_title_stays_on_its_line_cut_with_an_ellipsis(course: Course) -> None:
    exercise = course.exercise("hit-counter")  # its test's name does not fit next to the title
    app = PlayApp(course, exercise.id, LearnerState(course).working_copy(exercise.id))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlayScreen), "the play screen")
        screen = app.screen
        await wait_for(pilot, settled(screen, 0), "the first state")
        await pilot.pause()
        first, second = [strip.text for strip in screen._compositor.render_strips()][:2]
        assert first.startswith(" Scheduler · A hit counter") and first.rstrip().endswith("…")
        assert "T1" in second, "the thread cards come right under the one-line title"
