"""Small modal dialogs: a yes/no confirmation, and choosing a backup to restore."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option


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
        yield Footer(compact=True)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def backup_label(path: Path) -> str:
    """A backup file's name is its UTC time stamp; show it readably, with the line count."""
    stem = path.stem.rstrip("Z")
    try:
        when = datetime.strptime(stem, "%Y%m%dT%H%M%S%f").strftime("%Y-%m-%d %H:%M:%S UTC")
    except ValueError:
        when = path.name
    try:
        lines = len(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        lines = 0
    return f"{when}  ({lines} lines)"


class RestoreScreen(ModalScreen[Path | None]):
    """Lists the backups, newest first; Enter restores one, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, backups: list[Path]) -> None:
        super().__init__(classes="dialog-screen")
        self.backups = backups

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Restore which backup? (your current code is backed up first)")
            yield OptionList(
                *[Option(backup_label(p), id=str(i)) for i, p in enumerate(self.backups)],
                id="backup-list",
            )
        yield Footer(compact=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.backups[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
