"""The first screen: lessons in order with their exercises, status and kind, and progress.

The highlighted row starts on "continue where I left off": the last exercise opened, else the
first one not yet passed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.ui.glyphs import STATUS_MARK, STATUS_STYLE, difficulty_stars, progress_bar
from tutor.ui.widgets.footer import TutorFooter

if TYPE_CHECKING:
    from tutor.course import Course, Exercise, Lesson

FOUND_MARK = "⚑"
LESSON_PREFIX = "lesson:"
EXERCISE_PREFIX = "exercise:"


def fit(text: str, width: int) -> str:
    """``text`` padded to ``width``, or cut with an ellipsis when longer."""
    if len(text) <= width:
        return text.ljust(width)
    return text[: max(0, width - 1)] + "…"


def exercise_row(exercise: Exercise, status: str | None, width: int, found: bool = False) -> Text:
    """``  ○ Title…  kind  ★☆☆ status ⚑``: the title takes the room the row has; the flag
    marks a starter the learner broke by hand on the scheduler screen."""
    fixed = 4 + 1 + 12 + 4 + 10 + 4 + 2  # indent+mark, gaps, kind, stars, status, margins, flag
    title_width = max(12, width - fixed)
    row = Text("  ")
    row.append(STATUS_MARK.get(status or "", " "), style=STATUS_STYLE.get(status or "", ""))
    row.append(f" {fit(exercise.title, title_width)} ")
    row.append(fit(exercise.kind, 11) + " ", style="italic")
    row.append(f"{difficulty_stars(exercise.difficulty)} ")
    row.append(status or "...", style=STATUS_STYLE.get(status or "", "dim"))
    if found:
        row.append(f" {FOUND_MARK}", style="bold yellow")
    return row


class CourseMapScreen(Screen[None]):
    """Lessons and exercises; Enter opens the highlighted one."""

    # The title bar is one line: a long course description is cut with an ellipsis.
    DEFAULT_CSS = """
    CourseMapScreen #map-title {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the highlighted lesson or exercise"),
        Binding("c", "continue", "Continue", tooltip="Open the exercise you left off at"),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="course-map")
        self.statuses: dict[str, str] = {}
        self.questions_right: dict[str, int] = {}
        self.continue_id: str | None = None
        self.found: set[str] = set()  # starters the learner broke by hand (scheduler screen)

    @property
    def course(self) -> Course:
        return self.app.course  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Static(self._title_text(), id="map-title", classes="title-bar")
        yield Static("Loading progress...", id="map-progress")
        yield OptionList(*self._options(), id="map-list")
        yield TutorFooter()

    def _title_text(self) -> Text:
        text = Text(self.course.title, style="bold")
        if self.course.description:
            text.append(f"  {self.course.description}", style="dim")
        return text

    def _options(self) -> list[Option]:
        options: list[Option] = []
        for lesson in self.course.lessons:
            options.append(Option(self._lesson_row(lesson), id=LESSON_PREFIX + lesson.id))
            for exercise in self.course.exercises_for(lesson.id):
                options.append(
                    Option(self._exercise_row(exercise), id=EXERCISE_PREFIX + exercise.id)
                )
        return options

    def _lesson_row(self, lesson: Lesson) -> Text:
        """The lesson's title, then how many of its questions are answered right (if any)."""
        row = Text(lesson.title, style="bold")
        if lesson.questions:
            right = self.questions_right.get(lesson.id, 0)
            total = len(lesson.questions)
            row.append(f"  ? {right}/{total} questions", style="green" if right == total else "dim")
        return row

    def _show_questions(self) -> None:
        """Refresh the lesson rows' question counts from the learner's recorded answers."""
        if not getattr(self.app, "state_ready", False):
            return
        answers = self.app.state.progress_data().get("questions", {})  # type: ignore[attr-defined]
        answers = answers if isinstance(answers, dict) else {}
        option_list = self.query_one("#map-list", OptionList)
        for lesson in self.course.lessons:
            if not lesson.questions:
                continue
            recorded = answers.get(lesson.id, {})
            self.questions_right[lesson.id] = sum(
                1 for q in lesson.questions if recorded.get(q.id, {}).get("status") == "right"
            )
            option_list.replace_option_prompt(LESSON_PREFIX + lesson.id, self._lesson_row(lesson))

    def _exercise_row(self, exercise: Exercise) -> Text:
        status = self.statuses.get(exercise.id)
        width = self.size.width or self.app.size.width or 80
        return exercise_row(exercise, status, width, found=exercise.id in self.found)

    def on_resize(self) -> None:
        option_list = self.query_one("#map-list", OptionList)
        for exercise in self.course.exercises:
            option_list.replace_option_prompt(
                EXERCISE_PREFIX + exercise.id, self._exercise_row(exercise)
            )

    # -- progress ------------------------------------------------------------------------

    def show_statuses(
        self, statuses: dict[str, str], last_exercise: str | None, *, move_highlight: bool = True
    ) -> None:
        """Fill in each exercise's status (called once the learner's state has loaded).

        ``move_highlight`` puts the highlight on "continue where I left off"; coming back from
        a lesson or an exercise keeps it where the learner left it instead.
        """
        self.statuses = dict(statuses)
        if getattr(self.app, "state_ready", False):
            self.found = self.app.state.found_it_ids()  # type: ignore[attr-defined]
        option_list = self.query_one("#map-list", OptionList)
        for exercise in self.course.exercises:
            option_list.replace_option_prompt(
                EXERCISE_PREFIX + exercise.id, self._exercise_row(exercise)
            )
        passed = sum(1 for s in self.statuses.values() if s == "passed")
        total = len(self.course.exercises)
        line = Text("Progress ")
        line.append(progress_bar(passed, total, width=30), style="green")
        line.append(f" {passed}/{total} passed")
        self.query_one("#map-progress", Static).update(line)
        self._show_questions()
        self.continue_id = self._continue_target(last_exercise)
        if self.continue_id is not None and move_highlight:
            option_list.highlighted = option_list.get_option_index(
                EXERCISE_PREFIX + self.continue_id
            )

    def _continue_target(self, last_exercise: str | None) -> str | None:
        known = {exercise.id for exercise in self.course.exercises}
        if last_exercise in known:
            return last_exercise
        for exercise in self.course.exercises:
            if self.statuses.get(exercise.id) != "passed":
                return exercise.id
        return self.course.exercises[0].id if self.course.exercises else None

    def on_screen_resume(self) -> None:
        """Coming back from a lesson or exercise: statuses may have changed."""
        app = self.app
        if getattr(app, "state_ready", False):
            state = app.state  # type: ignore[attr-defined]
            statuses = state.statuses()
            self.show_statuses(statuses, state.last_exercise(), move_highlight=False)

    # -- actions ---------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option.id or "")

    def action_open(self) -> None:
        option = self.query_one("#map-list", OptionList).highlighted_option
        if option is not None:
            self._open(option.id or "")

    def action_continue(self) -> None:
        if self.continue_id is None:
            self._continue_from_state()
        if self.continue_id is not None:
            self._open(EXERCISE_PREFIX + self.continue_id)

    def _continue_from_state(self) -> None:
        self.continue_id = self._continue_target(self.app.state.last_exercise())  # type: ignore[attr-defined]

    def _open(self, option_id: str) -> None:
        if option_id.startswith(LESSON_PREFIX):
            from tutor.ui.screens.lesson import LessonScreen

            lesson = self.course.lesson(option_id[len(LESSON_PREFIX) :])
            self.app.push_screen(LessonScreen(lesson, self.course.exercises_for(lesson.id)))
        elif option_id.startswith(EXERCISE_PREFIX):
            from tutor.ui.screens.exercise import ExerciseScreen

            exercise = self.course.exercise(option_id[len(EXERCISE_PREFIX) :])
            self.app.push_screen(ExerciseScreen(exercise))
