"""The lesson reader: the lesson's Markdown (Python fences highlighted), then its exercises."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tutor.ui.glyphs import difficulty_stars
from tutor.ui.widgets.footer import TutorFooter
from tutor.ui.widgets.questions import QuestionCard, QuestionsPanel

if TYPE_CHECKING:
    from tutor.course import Exercise, Lesson
    from tutor.demos import Demo

_FENCE = re.compile(r"^(?P<lead> {0,3}(?:`{3,}|~{3,}))\s*python\s+demo\b.*$")


def _demos_of(lesson: Lesson) -> tuple[tuple[Demo, ...], str]:
    """The lesson's demos, or none and a one-line problem when they do not parse."""
    from tutor.demos import DemoFormatError, parse_demos

    try:
        return parse_demos(lesson.text()), ""
    except DemoFormatError as exc:
        return (), f"this lesson's demos cannot run: {exc}"


def display_markdown(text: str, demos: tuple[Demo, ...]) -> str:
    """The lesson as shown: each demo fence gets a plain ``python`` info string (so Pygments
    highlights it) and a line above saying which key runs it."""
    lines = text.splitlines()
    for demo in sorted(demos, key=lambda d: d.line, reverse=True):
        index = demo.line - 1
        match = _FENCE.match(lines[index]) if 0 <= index < len(lines) else None
        if match is None:
            continue
        lines[index] = match["lead"] + "python"
        lines[index:index] = ["", f"*Demo {demo.number}: {demo.title} (press d to run it)*", ""]
    return "\n".join(lines) + "\n"


class LessonScreen(Screen[None]):
    """Scroll with the arrow and page keys; 1-9 (or Tab, then Enter) opens an exercise."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding(
            "tab", "app.focus_next", "Exercises", tooltip="Move between text, questions, exercises"
        ),
        Binding("d", "demo", "Demo", tooltip="Run one of the lesson's demos"),
        Binding("1", "open_exercise(1)", "Open exercise", key_display="1-9",
                tooltip="1 to 9 open the lesson's first to ninth exercise"),
        *[Binding(str(n), f"open_exercise({n})", show=False) for n in range(2, 10)],
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    def __init__(self, lesson: Lesson, exercises: tuple[Exercise, ...]) -> None:
        super().__init__(id="lesson")
        self.lesson = lesson
        self.exercises = exercises
        self.demos, self.demo_problem = _demos_of(lesson)
        self.markdown = display_markdown(lesson.text(), self.demos)

    def compose(self) -> ComposeResult:
        yield Static(Text(self.lesson.title, style="bold"), classes="title-bar")
        with VerticalScroll(id="lesson-scroll"):
            yield Markdown(self.markdown, id="lesson-text", open_links=False)
            if self.lesson.questions:
                yield QuestionsPanel(self.lesson.id, self.lesson.questions, self._answers())
        yield OptionList(*self._options(), id="lesson-exercises")
        yield TutorFooter()

    def _options(self) -> list[Option]:
        if not self.exercises:
            return [Option("No exercises for this lesson.", disabled=True)]
        return [
            Option(
                Text(f"{n}  {ex.title}  ({ex.kind}, {difficulty_stars(ex.difficulty)})"),
                id=ex.id,
            )
            for n, ex in enumerate(self.exercises, start=1)
        ]

    def _answers(self) -> dict[str, dict[str, object]]:
        """What the learner answered before (a small read of progress.json)."""
        recorded = self.app.state.progress_data().get("questions", {})  # type: ignore[attr-defined]
        return recorded.get(self.lesson.id, {}) if isinstance(recorded, dict) else {}

    @on(QuestionCard.Answered)
    def _record_answer(self, event: QuestionCard.Answered) -> None:
        self._save_answer(event.lesson_id, event.question.id, event.choice, event.right)

    @work(thread=True, group="answers")
    def _save_answer(self, lesson_id: str, question_id: str, choice: int, right: bool) -> None:
        self.app.state.record_answer(lesson_id, question_id, choice, right)  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self.query_one("#lesson-exercises").display = bool(self.exercises)
        self.query_one("#lesson-scroll").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_exercise" and parameters:
            return int(parameters[0]) <= len(self.exercises)  # type: ignore[call-overload]
        if action == "demo":
            return bool(self.demos)
        return True

    def action_demo(self) -> None:
        from tutor.ui.screens.demo import DemoPickerScreen

        if self.demo_problem:
            self.notify(self.demo_problem, severity="error", markup=False)
        elif len(self.demos) == 1:
            self._run_demo(self.demos[0])
        elif self.demos:
            self.app.push_screen(DemoPickerScreen(self.demos), self._run_demo)

    def _run_demo(self, demo: Demo | None) -> None:
        from tutor.ui.screens.demo import DemoScreen

        if demo is not None:
            self.app.push_screen(DemoScreen(demo))

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
                self._open(exercise)
                return
        if "://" in event.href:
            self.app.open_url(event.href)

    def _open(self, exercise: Exercise) -> None:
        from tutor.ui.screens.exercise import ExerciseScreen

        self.app.push_screen(ExerciseScreen(exercise))
