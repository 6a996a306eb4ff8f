"""The failing interleaving on the whole screen, for long failures and wide terminals.

The same ``Timeline`` widget as in the results pane, with the whole width and height, and a
line under it that spells out the highlighted step in full. Escape (or Enter) goes back to the
exercise with that step selected.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tutor.timeline_model import Step
from tutor.ui.base import TutorScreen
from tutor.ui.widgets.footer import TutorFooter
from tutor.ui.widgets.timeline import Timeline


def step_line(step: Step, total: int) -> Text:
    """Everything about one step, in one (wrapped) paragraph."""
    text = Text(f"step {step.number}/{total} ", style="bold")
    text.append(step.thread, style="bold")
    if step.location:
        text.append(f" at {step.location}")
    if step.source.strip():
        text.append(f": {step.source.strip()}")
    if step.note:
        text.append(f"  {step.note}", style="bold red" if step.conflict else "italic")
    return text


class TimelineScreen(TutorScreen[int | None]):
    """Up, down, page keys move through the steps; Escape returns the highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f12", "back", "Back to the code", key_display="esc"),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    def __init__(self, steps: list[Step], cursor: int, title: str) -> None:
        super().__init__(id="timeline-view")
        self.steps = steps
        self.start_row = cursor
        self.exercise_title = title

    def compose(self) -> ComposeResult:
        yield Static(Text(f"How it failed, step by step: {self.exercise_title}",
                          no_wrap=True, overflow="ellipsis"), classes="title-bar")
        yield Timeline(id="full-timeline")
        yield Static("", id="step-detail")
        yield TutorFooter()

    def on_mount(self) -> None:
        timeline = self.query_one(Timeline)
        timeline.show_steps(self.steps, cursor=self.start_row)
        timeline.focus()
        self._detail(timeline.current)

    @on(Timeline.RowSelected)
    def _enter(self) -> None:
        self.action_back()

    @on(Timeline.StepHighlighted)
    def _moved(self, event: Timeline.StepHighlighted) -> None:
        self._detail(event.step)

    def _detail(self, step: Step | None) -> None:
        if step is not None:
            self.query_one("#step-detail", Static).update(step_line(step, len(self.steps)))

    def action_back(self) -> None:
        self.dismiss(self.query_one(Timeline).cursor_row)
