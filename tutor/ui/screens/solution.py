"""The reference solution after a pass: side by side with the learner's code, or as a diff."""

from __future__ import annotations

import difflib
from typing import ClassVar

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static, TextArea

from tutor.ui.widgets import code_editor
from tutor.ui.widgets.footer import TutorFooter


def unified_diff(yours: str, solution: str) -> str:
    """The learner's code against the solution, as a unified diff."""
    lines = difflib.unified_diff(
        yours.splitlines(keepends=True),
        solution.splitlines(keepends=True),
        fromfile="your code",
        tofile="solution",
    )
    return "".join(lines) or "Your code is identical to the reference solution.\n"


class SolutionScreen(Screen[None]):
    """``d`` switches between side by side and the diff; Escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "app.help", "Help", show=False),
        Binding("escape", "back", "Back"),
        Binding("d", "toggle_view", "Diff/side by side"),
        Binding("tab", "app.focus_next", "Other side", show=False),
    ]

    def __init__(self, title: str, yours: str, solution: str) -> None:
        super().__init__(id="solution")
        self.exercise_title = title
        self.yours = yours
        self.solution = solution
        self.diff_text = unified_diff(yours, solution)

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Reference solution: {self.exercise_title}"), classes="title-bar")
        with ContentSwitcher(initial="side-by-side", id="solution-views"):
            with Horizontal(id="side-by-side"):
                yield self._viewer(self.yours, "yours", "Your code")
                yield self._viewer(self.solution, "reference", "Solution")
            with VerticalScroll(id="diff"):
                yield Static(Syntax(self.diff_text, "diff", theme="ansi_dark",
                                    background_color="default", word_wrap=True))
        yield TutorFooter()

    def _viewer(self, text: str, id: str, title: str) -> TextArea:
        viewer = TextArea.code_editor(
            text, id=id, read_only=True, show_cursor=False, soft_wrap=True
        )
        if code_editor.python_highlighting():
            viewer.language = "python"
        viewer.border_title = title
        if getattr(self.app, "quiet", False):
            viewer.cursor_blink = False
        return viewer

    def action_toggle_view(self) -> None:
        switcher = self.query_one("#solution-views", ContentSwitcher)
        switcher.current = "diff" if switcher.current == "side-by-side" else "side-by-side"
        target = "#diff" if switcher.current == "diff" else "#yours"
        self.query_one(target).focus()

    def action_back(self) -> None:
        self.dismiss()
