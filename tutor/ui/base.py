"""Typed access to the app from screens and widgets, without importing the app module.

Screens need the course, the learner's state and a way to tell the learner something; they
reach them through ``TutorScreen.tutor`` (a ``TutorServices``), which ``TutorApp`` provides.
The protocol keeps the screens from importing the app module that imports them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol, TypeVar, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from tutor.course import Course
    from tutor.state import LearnerState

Severity = Literal["information", "warning", "error"]
ResultT = TypeVar("ResultT")


class TutorServices(Protocol):
    """What the app offers its screens (``tutor.ui.app.TutorApp`` implements it)."""

    course: Course
    quiet: bool

    @property
    def state(self) -> LearnerState: ...

    @property
    def state_ready(self) -> bool: ...

    def say(self, message: str, severity: Severity = "information") -> None:
        """One short toast at the top; a new one replaces the last (they never pile up)."""

    def say_once(self, key: str, message: str) -> bool:
        """``say`` the first time ``key`` comes up in this run; False when already said."""


class TutorScreen(Screen[ResultT]):
    """A screen of this app, with typed access to it."""

    @property
    def tutor(self) -> TutorServices:
        return cast("TutorServices", self.app)
