"""``?`` / f1: the keys of the screen below, and the keys that work everywhere."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

SCREEN_NAMES = {
    "course-map": "Course map",
    "lesson": "Lesson",
    "exercise": "Exercise",
    "solution": "Solution",
}
GENERAL_NOTES = (
    "ctrl+p opens the command palette: every action is there by name.\n"
    "In the editor, Escape leaves the editor; Escape again goes back.\n"
    "Tab moves between panes (in the editor it indents)."
)


def _keys_of(binding: Binding) -> str:
    keys = [k.strip() for k in binding.key.split(",")]
    return " / ".join(k.replace("question_mark", "?") for k in keys)


def keys_table(nodes: list[App | Screen]) -> Table:
    """One row per described binding of ``nodes`` (first wins on repeated actions)."""
    table = Table(box=None, show_header=False, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    seen: set[str] = set()
    for node in nodes:
        for binding in type(node).BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.action in seen:
                continue
            seen.add(binding.action)
            table.add_row(_keys_of(binding), binding.tooltip or binding.description)
    return table


class HelpScreen(ModalScreen[None]):
    """Lists keys; Escape, q or f1 closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "close", "Close", key_display="esc"),
    ]

    def __init__(self, below: Screen, app: App) -> None:
        super().__init__(classes="dialog-screen", id="help")
        self.below = below
        self.tutor_app = app

    def compose(self) -> ComposeResult:
        name = SCREEN_NAMES.get(self.below.id or "", "This screen")
        with VerticalScroll(classes="dialog", id="help-body"):
            yield Static(Text(f"{name}: keys", style="bold"))
            yield Static(keys_table([self.below]))
            yield Static(Text("Everywhere", style="bold"))
            yield Static(keys_table([self.tutor_app]))
            yield Static(Text(GENERAL_NOTES, style="dim"))
        yield Footer(compact=True)

    def action_close(self) -> None:
        self.dismiss()
