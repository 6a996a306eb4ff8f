"""The lesson reader: the lesson's Markdown (Python fences highlighted), then its exercises."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tutor.ui.glyphs import difficulty_stars

if TYPE_CHECKING:
    from tutor.course import Exercise, Lesson


class LessonScreen(Screen[None]):
    """Scroll with the arrow and page keys; 1-9 (or Tab, then Enter) opens an exercise."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("tab", "app.focus_next", "Exercises", tooltip="Move between text and exercises"),
        Binding("1", "open_exercise(1)", "Exercise 1", tooltip="Open the lesson's first exercise"),
        *[Binding(str(n), f"open_exercise({n})", f"Exercise {n}", show=False) for n in range(2, 10)],
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, lesson: Lesson, exercises: tuple[Exercise, ...]) -> None:
        super().__init__(id="lesson")
        self.lesson = lesson
        self.exercises = exercises

    def compose(self) -> ComposeResult:
        yield Static(Text(self.lesson.title, style="bold"), classes="title-bar")
        with VerticalScroll(id="lesson-scroll"):
            yield Markdown(self.lesson.text(), id="lesson-text", open_links=False)
        yield OptionList(*self._options(), id="lesson-exercises")
        yield Footer(compact=True)

    def _options(self) -> list[Option]:
        if not self.exercises:
            return [Option("No exercises for this lesson.", disabled=True)]
        return [
            Option(
                f"{n}  {ex.title}  ({ex.kind}, {difficulty_stars(ex.difficulty)})",
                id=ex.id,
            )
            for n, ex in enumerate(self.exercises, start=1)
        ]

    def on_mount(self) -> None:
        self.query_one("#lesson-scroll").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_exercise" and parameters:
            return int(parameters[0]) <= len(self.exercises)  # type: ignore[call-overload]
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_open_exercise(self, number: int) -> None:
        if 1 <= number <= len(self.exercises):
            self._open(self.exercises[number - 1])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        for exercise in self.exercises:
            if exercise.id == event.option.id:
                self._open(exercise)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """A link to an exercise id (``[fix it](counter-race)``) opens that exercise."""
        target = event.href.strip("/").split("/")[-1]
        for exercise in self.exercises:
            if exercise.id == target:
                event.prevent_default()
                self._open(exercise)

    def _open(self, exercise: Exercise) -> None:
        from tutor.ui.screens.exercise import ExerciseScreen

        self.app.push_screen(ExerciseScreen(exercise))
