"""The task: the exercise's own description and the hints read so far, wrapped to the pane."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


def task_text(task: str, hints: list[str]) -> Text:
    text = Text(task.strip())
    for number, hint in enumerate(hints, start=1):
        text.append(f"\nHint {number}: ", style="bold yellow")
        text.append(hint)
    return text


class TaskPane(VerticalScroll):
    """Scrolls when the task is longer than the pane; prose wraps at the pane's width."""

    DEFAULT_CSS = """
    TaskPane {
        height: auto;
        max-height: 40%;
        padding: 0 1;
        border-bottom: solid $panel-lighten-2;
    }
    TaskPane > Static { width: 1fr; }
    """

    def __init__(self, task: str, hints: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.task_body = task
        self.hints = list(hints)

    def compose(self) -> ComposeResult:
        yield Static(task_text(self.task_body, self.hints), id="task-text")

    def show_hints(self, hints: list[str]) -> None:
        self.hints = list(hints)
        self.query_one("#task-text", Static).update(task_text(self.task_body, self.hints))
        self.scroll_end(animate=False)
