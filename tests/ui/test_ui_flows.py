"""Pilot tests for the flows that do not need the grader: map, lesson, editing, hints, reset."""

from __future__ import annotations

import asyncio
import os
import time

import pytest
from textual.widgets import Markdown, OptionList, Static, TextArea
from ui_helpers import (
    FIXTURE_COURSE,
    highlight,
    make_app,
    open_exercise,
    open_lesson,
    settle,
    status_text,
    wait_until,
)

from tutor.course import load_course
from tutor.state import LearnerState
from tutor.ui.screens.course_map import EXERCISE_PREFIX, CourseMapScreen
from tutor.ui.screens.dialogs import ConfirmScreen
from tutor.ui.screens.exercise import ExerciseScreen
from tutor.ui.screens.help import HelpScreen
from tutor.ui.screens.history import HistoryScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.solution import SolutionScreen
from tutor.ui.widgets.code_editor import python_highlighting
from tutor.ui.working_copy import AUTOSAVE_DELAY_S


def _state() -> LearnerState:
    return LearnerState(load_course(FIXTURE_COURSE))



def _prompts(option_list: OptionList) -> list[str]:
    return [str(option.prompt) for option in option_list.options]



async def test_course_map_lists_lessons_exercises_status_and_progress() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CourseMapScreen)
        prompts = _prompts(screen.query_one("#map-list", OptionList))
        assert prompts[0] == "Races"
        assert "Lost update" in prompts[1] and "race" in prompts[1] and "new" in prompts[1]
        assert prompts[2] == "Deadlocks"
        assert "deadlock" in prompts[3]
        progress = str(screen.query_one("#map-progress", Static).render())
        assert "0/2 passed" in progress


async def test_continue_where_i_left_off_is_the_default_focus() -> None:
    _state().touch("transfer-deadlock")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        option_list = app.screen.query_one("#map-list", OptionList)
        assert option_list.highlighted_option.id == EXERCISE_PREFIX + "transfer-deadlock"
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.exercise.id == "transfer-deadlock"


async def test_open_a_lesson_scroll_and_open_its_exercise_then_go_back() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "01-races")
        assert isinstance(app.screen, LessonScreen)
        markdown = app.screen.query_one("#lesson-text", Markdown)
        assert "lose an update" in markdown.source
        await pilot.press("pagedown", "down", "up")
        exercises = app.screen.query_one("#lesson-exercises", OptionList)
        assert "Lost update" in _prompts(exercises)[0]
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        assert app.screen.exercise.id == "counter-race"
        await pilot.press("escape", "escape")  # leave the editor, then go back
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)


async def test_editing_autosaves_after_a_pause_and_on_leaving() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        path = app.state.working_copy("counter-race")
        starter = path.read_text()
        editor = screen.query_one("#editor", TextArea)
        assert editor.text == starter
        # Python colours where tree-sitter is installed; plain text (said once) where not (3.15)
        assert editor.language == ("python" if python_highlighting() else None)
        assert editor.show_line_numbers
        await pilot.press("ctrl+end", "enter", *"# one")
        await wait_until(pilot, lambda: path.read_text().endswith("# one"),
                          timeout_s=AUTOSAVE_DELAY_S + 10)
        await pilot.press(*" two")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)
        assert path.read_text().endswith("# one two"), "leaving the screen saves at once"


async def test_ctrl_s_saves_at_once_and_ctrl_q_quits_from_the_editor() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_exercise(pilot, "counter-race")
        path = app.state.working_copy("counter-race")
        await pilot.press("ctrl+end", *"#x", "ctrl+s")
        assert path.read_text().endswith("#x")
        await pilot.press(*"yz", "ctrl+q")  # quitting saves too
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running
    assert path.read_text().endswith("#xyz")


async def test_a_change_on_disk_is_reloaded_into_the_editor() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        path = app.state.working_copy("counter-race")
        edited = path.read_text().replace("NO_LOCK:", "self.lock:")
        await asyncio.sleep(0.01)
        path.write_text(edited)
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
        editor = screen.query_one("#editor", TextArea)
        await wait_until(pilot, lambda: editor.text == edited, timeout_s=10)
        assert "reloaded" in status_text(app)


async def test_hints_come_one_at_a_time_and_are_recorded() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        hints = screen.exercise.hints
        await pilot.press("ctrl+g")
        task = str(screen.query_one("#task-text", Static).render())
        assert f"Hint 1: {hints[0]}" in task and "Hint 2" not in task
        assert _state().hints_used("counter-race") == [hints[0]]
        await pilot.press("ctrl+g", "ctrl+g")
        task = str(screen.query_one("#task-text", Static).render())
        assert f"Hint 2: {hints[1]}" in task and "Hint 3" not in task
        assert _state().hints_used("counter-race") == list(hints)


async def test_reset_from_the_palette_asks_first_and_the_history_brings_the_code_back() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", TextArea)
        starter = editor.text
        await pilot.press("ctrl+end", *"# mine")
        mine = editor.text
        screen.action_reset()  # "Reset to the starter" in the command palette
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is screen and editor.text == mine
        screen.action_reset()
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert editor.text == starter
        assert app.state.read_code("counter-race") == starter
        assert len(app.state.backups("counter-race")) == 1
        await pilot.press("f9")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("down", "enter")  # version 2: the code before the reset
        await pilot.pause()
        assert app.screen is screen
        assert editor.text == mine
        assert app.state.read_code("counter-race") == mine
        await pilot.press("ctrl+z")  # the restore is one undoable edit
        assert editor.text == starter


async def test_solution_stays_closed_before_a_pass() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_exercise(pilot, "counter-race")
        await pilot.press("f4")
        await pilot.pause()
        assert not isinstance(app.screen, SolutionScreen)
        assert "once your code passes" in status_text(app)


async def test_external_editor_without_editor_or_suspend_says_so_in_one_line(
    monkeypatch,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_exercise(pilot, "counter-race")
        await pilot.press("ctrl+o")
        assert "$VISUAL or $EDITOR" in status_text(app)
        monkeypatch.setenv("EDITOR", "true")
        await pilot.press("ctrl+o")  # the headless test driver cannot suspend
        assert "cannot hand over" in status_text(app)


async def test_help_lists_the_screen_keys_and_escape_closes_it() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await open_exercise(pilot, "counter-race")
        await pilot.press("question_mark")  # in the editor, ? is just a character
        assert isinstance(app.screen, ExerciseScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        for words in ("ctrl+r / f5", "Grade your code", "ctrl+q", "command palette",
                      "In the editor", "ctrl+z", "Undo", "enter", "keeping the indentation"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, ExerciseScreen)


async def test_every_exercise_action_is_in_the_command_palette() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        titles = {command.title for command in app.get_system_commands(screen)}
        for title in ("Check", "Hint", "Step", "Step back", "Save", "Reset to the starter",
                      "History", "Solution", "Open in $EDITOR", "Auto-check", "Task/results",
                      "Full timeline", "Back", "Light/dark", "Help", "Quit"):
            assert title in titles


async def test_theme_toggles_between_dark_and_light() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        assert app.current_theme.dark
        app.action_toggle_theme()  # "Light/dark" in the command palette
        await pilot.pause()
        assert not app.current_theme.dark
        assert screen.query_one("#editor", TextArea).theme == "github_light"


async def test_quiet_terminal_means_no_blink_and_no_animation() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        assert app.animation_level == "none"
        assert screen.query_one("#editor", TextArea).cursor_blink is False


async def test_footer_fits_80_columns_on_every_screen() -> None:
    from textual.widgets._footer import FooterKey

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:

        async def assert_footer_fits() -> None:
            await wait_until(pilot, lambda: all(
                key.region.width > 0 for key in app.screen.query(FooterKey)))  # laid out
            keys = list(app.screen.query(FooterKey))
            assert keys, f"no footer keys on {app.screen}"
            assert max(key.region.right for key in keys) <= 80

        await settle(pilot)
        await assert_footer_fits()
        await highlight(pilot, "lesson:01-races")
        await pilot.press("enter")
        await pilot.pause()
        await assert_footer_fits()
        await pilot.press("1")
        await pilot.pause()
        await assert_footer_fits()


async def test_a_lesson_demo_runs_in_the_sandbox_and_shows_its_output() -> None:
    from tutor.ui.screens.demo import DemoScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "01-races")
        markdown = app.screen.query_one("#lesson-text", Markdown)
        assert "Demo 1: Two threads, one counter (press d to run it)" in markdown.source
        assert "```python\n" in markdown.source, "the demo fence is highlighted as Python"
        await pilot.press("d")
        assert isinstance(app.screen, DemoScreen)
        screen = app.screen
        await wait_until(pilot, lambda: screen.last_run is not None, timeout_s=60)
        assert "demo counted 2000" in screen.query_one("#demo-output", TextArea).text
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)


async def test_text_with_brackets_is_shown_as_written_not_as_markup() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "transfer-deadlock")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "sorted([a, b], key=...)" in str(screen.query_one("#task-text", Static).render())


async def test_coming_back_to_the_map_keeps_the_highlight_where_it_was() -> None:
    from tutor.ui.screens.course_map import LESSON_PREFIX

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "02-deadlocks")
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CourseMapScreen)
        option_list = app.screen.query_one("#map-list", OptionList)
        assert option_list.highlighted_option.id == LESSON_PREFIX + "02-deadlocks"


async def test_without_tree_sitter_the_editor_shows_plain_text_and_says_so_once(
    monkeypatch,
) -> None:
    from tutor.ui.widgets import code_editor

    monkeypatch.setattr(code_editor, "python_highlighting", lambda: False)
    app = make_app()
    said: list[str] = []
    real_notify = app.notify
    monkeypatch.setattr(app, "notify", lambda message, **kw: (said.append(message),
                                                               real_notify(message, **kw)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", TextArea)
        assert editor.language is None and editor.text.startswith('"""Two threads')
        assert [m for m in said if "No syntax highlighting" in m] == [
            "No syntax highlighting on this Python (tree-sitter is not installed): the editor "
            "shows plain text."]
        await pilot.press("escape", "escape")
        await open_exercise(pilot, "transfer-deadlock")
        await pilot.pause()
        assert len([m for m in said if "No syntax highlighting" in m]) == 1, "said once only"


@pytest.mark.skipif(not python_highlighting(), reason="tree-sitter is not installed here")
async def test_with_tree_sitter_the_editor_colours_python() -> None:
    """The snapshots show plain text on every Python; this is where the colours are checked."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", TextArea)
        assert editor.language == "python"
        rows = [editor.render_line(y) for y in range(editor.size.height)]
        (row,) = [strip for strip in rows if "import contextlib" in strip.text]
        colours = {segment.style.color for segment in row
                   if segment.text.strip() in ("import", "contextlib") and segment.style}
        assert len(colours) == 2, f"the keyword and the name share a colour: {colours}"


async def test_the_command_palette_finds_an_exercise_by_name() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"crossed")
        await wait_until(pilot, lambda: "Crossed transfers" in " ".join(
            str(o.prompt) for o in app.screen.query("CommandList").first().options))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ExerciseScreen))
        assert app.screen.exercise.id == "transfer-deadlock"


async def test_the_lesson_footer_says_what_its_keys_do() -> None:
    from textual.widgets._footer import FooterKey

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "01-races")
        keys = [(k.key_display, k.description) for k in app.screen.query(FooterKey)]
        assert ("d", "Demo") in keys and ("1-9", "Open exercise") in keys
