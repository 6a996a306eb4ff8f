"""The exercise's title bar: ``Title…  kind · ★☆☆ · status``; the title is cut first."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from tutor.course import Exercise
from tutor.ui.glyphs import STATUS_STYLE, difficulty_stars


def title_line(exercise: Exercise, status: str, width: int) -> Text:
    meta = Text(f"  {exercise.kind} · {difficulty_stars(exercise.difficulty)} · ")
    meta.append(status, style=STATUS_STYLE.get(status, ""))
    title = Text(exercise.title, style="bold")
    title.truncate(max(8, width - meta.cell_len), overflow="ellipsis")
    return title + meta


class ExerciseTitle(Static):
    """Keeps the status in view at any width (it is redrawn on resize)."""

    DEFAULT_CSS = """
    ExerciseTitle { height: 1; padding: 0 1; background: $panel; color: $foreground; }
    """

    def __init__(self, exercise: Exercise, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.exercise = exercise
        self.status = "new"

    def show_status(self, status: str) -> None:
        self.status = status
        self.update(title_line(self.exercise, status, self.content_size.width or 78))

    def on_resize(self) -> None:
        self.show_status(self.status)


class PlayTitle(Static):
    """``Scheduler · title · test`` on one line at any width: the end is cut with an ellipsis
    (a test's name is often longer than the room left by the title)."""

    DEFAULT_CSS = """
    PlayTitle { height: 1; padding: 0 1; background: $panel; color: $foreground; }
    """
    test: reactive[str] = reactive("")

    def __init__(self, exercise_title: str, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.exercise_title = exercise_title

    def watch_test(self) -> None:
        self._show()

    def on_resize(self) -> None:
        self._show()

    def _show(self) -> None:
        test = f" · {self.test}" if self.test else ""
        title = Text.assemble(("Scheduler · ", "bold"), self.exercise_title, (test, "dim"))
        title.truncate(max(1, self.content_size.width or 78), overflow="ellipsis")
        self.update(title, layout=False)
