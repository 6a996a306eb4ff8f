"""Small modal dialogs: a yes/no confirmation."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor.ui.widgets.footer import TutorFooter


class ConfirmScreen(ModalScreen[bool]):
    """Asks one question; y confirms, n or Escape declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No", key_display="n"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-question")
            yield Static("[b]y[/b] yes    [b]n[/b] no", classes="dialog-keys")
        yield TutorFooter()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
