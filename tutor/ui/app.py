"""The application object and ``run``, the entry point the CLI calls with no command.

Start-up is kept light: the first screen (the course map) needs only the course; the learner's
progress loads in a worker, and grading and tree-sitter are imported when first used.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import Notify
from textual.screen import Screen

from tutor.ui.base import Severity
from tutor.ui.commands import CourseCommands
from tutor.ui.quiet import quiet_terminal
from tutor.ui.screens.course_map import EXERCISE_PREFIX, LESSON_PREFIX, CourseMapScreen
from tutor.ui.screens.help import bindings_of

if TYPE_CHECKING:
    from tutor.course import Course
    from tutor.state import LearnerState

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
TOAST_SECONDS = 4.0


class TutorApp(App[int]):
    """Course map -> lesson -> exercise, over one course and one learner's state."""

    CSS_PATH = "tutor.tcss"
    TITLE = "threading-tutor"
    COMMANDS = App.COMMANDS | {CourseCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
    ]

    def __init__(
        self,
        course_root: Path | None = None,
        *,
        course: Course | None = None,
        quiet: bool | None = None,
    ) -> None:
        super().__init__()
        if course is None:
            from tutor.course import load_course

            course = load_course(course_root)
        self.course: Course = course
        self._state: LearnerState | None = None
        self._said_once: set[str] = set()
        self.quiet = quiet_terminal() if quiet is None else quiet
        if self.quiet:
            self.animation_level = "none"
        self.theme = DARK_THEME

    # -- learner state, loaded in the background -------------------------------------------

    @property
    def state(self) -> LearnerState:
        """The learner's state; loaded synchronously if a screen needs it before the worker."""
        if self._state is None:
            self._state = self._make_state()
        return self._state

    @property
    def state_ready(self) -> bool:
        return self._state is not None

    def _make_state(self) -> LearnerState:
        from tutor.state import LearnerState

        return LearnerState(self.course)

    def on_mount(self) -> None:
        self.push_screen(CourseMapScreen())
        self.call_after_refresh(self._load_state)  # after the first frame is on screen

    @work(thread=True, exclusive=True, group="state")
    def _load_state(self) -> None:
        state = self._make_state()
        statuses = state.statuses()
        self.call_from_thread(self._state_loaded, state, statuses)

    def _state_loaded(self, state: LearnerState, statuses: dict[str, str]) -> None:
        if self._state is None:
            self._state = state
        for warning in state.warnings:
            self.say(warning, "warning")
        for screen in self.screen_stack:
            if isinstance(screen, CourseMapScreen):
                screen.show_statuses(statuses, state.last_exercise())

    # -- telling the learner ---------------------------------------------------------------

    def say(self, message: str, severity: Severity = "information") -> None:
        """One short toast at the top right (see ``_on_notify``)."""
        self.notify(message, severity=severity, timeout=TOAST_SECONDS, markup=False)

    def _on_notify(self, event: Notify) -> None:
        """A new notification replaces the ones on screen, so toasts never pile up (runs
        before Textual's own handler, which adds it)."""
        self.clear_notifications()

    def say_once(self, key: str, message: str) -> bool:
        if key in self._said_once:
            return False
        self._said_once.add(key)
        self.say(message, "warning")
        return True

    # -- app-wide actions ------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit, saving any open editor first (nothing typed is lost)."""
        for screen in self.screen_stack:
            save = getattr(screen, "save_now", None)
            if callable(save):
                save()
        self.exit(0)

    def action_help(self) -> None:
        from tutor.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen, self, self.focused))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME

    def open_target(self, target: str) -> None:
        """Open ``exercise:<id>`` or ``lesson:<id>`` from anywhere (the command palette)."""
        from tutor.ui.screens.exercise import ExerciseScreen
        from tutor.ui.screens.lesson import LessonScreen

        for screen in self.screen_stack:
            saving = getattr(screen, "save_now", None)
            if callable(saving):
                saving()
        if target.startswith(EXERCISE_PREFIX):
            exercise = self.course.exercise(target.removeprefix(EXERCISE_PREFIX))
            self.push_screen(ExerciseScreen(exercise))
        elif target.startswith(LESSON_PREFIX):
            lesson = self.course.lesson(target.removeprefix(LESSON_PREFIX))
            self.push_screen(LessonScreen(lesson, self.course.exercises_for(lesson.id)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every binding of the current screen is also a command-palette entry."""
        yield from super().get_system_commands(screen)
        seen = {"quit", "help"}
        for owner in (screen, self):
            for binding in bindings_of(owner):
                if not binding.description or binding.action in seen:
                    continue
                if binding.action.startswith("app.") or owner.check_action(
                        binding.action, ()) is False:
                    continue
                seen.add(binding.action)
                keys = binding.key_display or binding.key.split(",")[0]
                yield SystemCommand(binding.description,
                                    f"{binding.tooltip or binding.description} ({keys})",
                                    partial(owner.run_action, binding.action))
        for title, help_text, action in getattr(screen, "PALETTE", []):
            yield SystemCommand(title, help_text, partial(screen.run_action, action))
        yield SystemCommand("Light/dark", "Switch between the light and dark theme",
                            self.action_toggle_theme)
        yield SystemCommand("Help", "Keys and screens (f1)", self.action_help)


def run(course_root: Path | None) -> int:
    """Open the TUI on the course at ``course_root`` (None: the built-in course)."""
    app = TutorApp(course_root)
    result = app.run()
    return int(result or 0)
