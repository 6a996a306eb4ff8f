"""Helpers shared by the TUI tests: start the app on the fixture course, open an exercise."""

from __future__ import annotations

import time
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from tutor.ui.app import TutorApp
from tutor.ui.screens.course_map import EXERCISE_PREFIX, LESSON_PREFIX
from tutor.ui.screens.exercise import ExerciseScreen

FIXTURE_COURSE = Path(__file__).resolve().parent / "fixtures" / "course"
SIZE = (80, 24)


def make_app() -> TutorApp:
    return TutorApp(FIXTURE_COURSE)


async def settle(pilot: Pilot) -> None:
    """Wait for background workers (progress loading) and the resulting repaint."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def highlight(pilot: Pilot, option_id: str) -> None:
    """Move the course map's highlight to ``option_id`` with the arrow keys, as a user would."""
    option_list = pilot.app.screen.query_one("#map-list", OptionList)
    target = option_list.get_option_index(option_id)
    await pilot.press("home")
    for _ in range(target):
        await pilot.press("down")
    assert option_list.highlighted == target


async def open_exercise(pilot: Pilot, exercise_id: str) -> ExerciseScreen:
    await settle(pilot)
    await highlight(pilot, EXERCISE_PREFIX + exercise_id)
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ExerciseScreen)
    assert screen.exercise.id == exercise_id
    return screen


async def open_lesson(pilot: Pilot, lesson_id: str) -> None:
    await settle(pilot)
    await highlight(pilot, LESSON_PREFIX + lesson_id)
    await pilot.press("enter")
    await pilot.pause()


async def wait_until(pilot: Pilot, condition, timeout_s: float = 20.0) -> None:
    """Let the app run until ``condition()`` holds (timers, workers, the file watcher)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)


def status_text(app) -> str:
    """What the current screen's status line says."""
    return str(app.screen.query_one("#status-line").render())
