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
from textual.screen import Screen

from tutor.ui.quiet import quiet_terminal
from tutor.ui.screens.course_map import CourseMapScreen

if TYPE_CHECKING:
    from tutor.course import Course
    from tutor.state import LearnerState

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class TutorApp(App[int]):
    """Course map -> lesson -> exercise, over one course and one learner's state."""

    CSS_PATH = "tutor.tcss"
    TITLE = "threading-tutor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1,question_mark", "help", "Help", key_display="f1"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
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
            self.notify(warning, title="Progress", severity="warning", markup=False)
        for screen in self.screen_stack:
            if isinstance(screen, CourseMapScreen):
                screen.show_statuses(statuses, state.last_exercise())

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
        self.push_screen(HelpScreen(self.screen, self))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every binding of the current screen is also a command-palette entry."""
        yield from super().get_system_commands(screen)
        seen = {"quit", "help"}
        for owner in (screen, self):
            for binding in bindings_of(owner):
                if not binding.description or binding.action in seen:
                    continue
                if owner.check_action(binding.action, ()) is False:
                    continue
                seen.add(binding.action)
                keys = binding.key_display or binding.key.split(",")[0]
                yield SystemCommand(
                    binding.description,
                    f"{binding_help(binding)} ({keys})",
                    partial(owner.run_action, binding.action),
                )
        yield SystemCommand("Help", "Keys and screens (f1)", self.action_help)


def bindings_of(node: App | Screen) -> list[Binding]:
    """The ``Binding`` objects a screen or app class declares (tuples are not used here)."""
    return [b for b in type(node).BINDINGS if isinstance(b, Binding)]


def binding_help(binding: Binding) -> str:
    """A binding's longer explanation: its tooltip, else its description."""
    return binding.tooltip or binding.description


def run(course_root: Path | None) -> int:
    """Open the TUI on the course at ``course_root`` (None: the built-in course)."""
    app = TutorApp(course_root)
    result = app.run()
    return int(result or 0)
