"""``tutor play``: the app, opened on the scheduler screen (``tutor.ui.screens.play``).

Escape leads to the course map, as if the learner had come from there. ``e`` opens the
exercise at the line to look at when the file played is the working copy; for another file
(``--file``) it says which line, and progress is left alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tutor.ui import app
from tutor.ui.screens.play import PlayScreen

if TYPE_CHECKING:
    from tutor.course import Course


class PlayApp(app.TutorApp):
    """The tutor, with the scheduler screen for one exercise on top of the course map."""

    CSS_PATH = Path(app.__file__).with_name("tutor.tcss")  # relative paths follow the class

    def __init__(self, course: Course, exercise_id: str, path: Path, *, strict: bool = False,
                 working_copy: bool = True) -> None:  # fmt: skip
        super().__init__(course=course)
        self.exercise = course.exercise(exercise_id)
        self.play_path = path
        self.strict = strict
        self.working_copy = working_copy

    def on_mount(self) -> None:
        self.call_later(self._open)  # after TutorApp's own on_mount shows the course map

    def _open(self) -> None:
        screen = PlayScreen(self.exercise, self.play_path, strict=self.strict,
                            record=self.working_copy)  # fmt: skip
        self.push_screen(screen, self._jump)

    def _jump(self, line: int | None) -> None:
        if line is None:
            return
        if not self.working_copy:
            self.notify(f"Look at line {line} of {self.play_path}.", markup=False)
            return
        from tutor.ui.screens.exercise import ExerciseScreen

        editor = ExerciseScreen(self.exercise)
        self.push_screen(editor)
        self.call_after_refresh(editor.show_line, line)


def run_play(course: Course, exercise_id: str, path: Path, *, strict: bool,
             working_copy: bool) -> int:  # fmt: skip
    """Run the app on the scheduler screen; the exit status."""
    play = PlayApp(course, exercise_id, path, strict=strict, working_copy=working_copy)
    return int(play.run() or 0)
