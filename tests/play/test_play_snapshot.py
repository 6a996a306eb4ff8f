"""The scheduler screen at 80x24 in the middle of a deadlock the learner made by hand.

Everything on it comes from a real sandboxed run of the fixture course's transfer-deadlock,
so the frame is the same on every run. After an intended change:
``pytest tests/play --snapshot-update``, then review the SVG in ``__snapshots__``.
"""

from __future__ import annotations

from play_helpers import DEADLOCK_KEYS, SIZE, needs_sandbox, settled, wait_for

from tutor.course import Course
from tutor.state import LearnerState
from tutor.ui.screens.play import PlayScreen
from tutor.ui.screens.play_app import PlayApp

pytestmark = needs_sandbox


def test_the_scheduler_in_the_middle_of_a_deadlock(snap_compare, course: Course) -> None:
    exercise = course.exercise("transfer-deadlock")
    path = LearnerState(course).working_copy(exercise.id)
    app = PlayApp(course, exercise.id, path)

    async def deadlock(pilot) -> None:
        await wait_for(pilot, lambda: isinstance(app.screen, PlayScreen), "the play screen")
        screen = app.screen
        await wait_for(pilot, settled(screen, 0), "the first state")
        for thread in DEADLOCK_KEYS:
            await pilot.press(str(thread + 1))
        await wait_for(pilot, settled(screen, len(DEADLOCK_KEYS)), "the deadlock")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=deadlock)
