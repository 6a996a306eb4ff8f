"""``?`` / f1: the keys of the screen below, and the keys that work everywhere."""

from __future__ import annotations

import textwrap
from typing import ClassVar

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
    "play": "Scheduler",
}
HELP_TEXT_WIDTH = 70  # the dialog's inner width at 80 columns
GENERAL_NOTES = (
    "ctrl+p opens the command palette: every action is there by name.\n"
    "In the editor, Escape leaves the editor; Escape again goes back.\n"
    "Tab moves between panes (in the editor it indents)."
)


def _keys_of(binding: Binding) -> str:
    keys = [k.strip() for k in binding.key.split(",")]
    return " / ".join(k.replace("question_mark", "?") for k in keys)


def key_rows(nodes: list[App | Screen]) -> list[tuple[str, str]]:
    """(keys, what they do) for each described binding of ``nodes``; first wins per action."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for node in nodes:
        for binding in type(node).BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.action in seen:
                continue
            seen.add(binding.action)
            rows.append((_keys_of(binding), binding.tooltip or binding.description))
    return rows


def keys_text(nodes: list[App | Screen], width: int = HELP_TEXT_WIDTH) -> Text:
    """The rows as aligned text: keys in bold, then what they do, wrapped under itself."""
    rows = key_rows(nodes)
    key_width = max((len(keys) for keys, _ in rows), default=0) + 2
    text = Text()
    for keys, what in rows:
        lines = textwrap.wrap(what, max(20, width - key_width)) or [""]
        text.append(keys.ljust(key_width), style="bold")
        text.append(lines[0] + "\n")
        for line in lines[1:]:
            text.append(" " * key_width + line + "\n")
    return text


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
            yield Static(keys_text([self.below]))
            yield Static(Text("Everywhere", style="bold"))
            yield Static(keys_text([self.tutor_app]))
            yield Static(Text(GENERAL_NOTES, style="dim"))
        yield Footer(compact=True)

    def action_close(self) -> None:
        self.dismiss()
