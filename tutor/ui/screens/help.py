"""f1: every key that works where the learner is, and exactly what it does there.

Three lists: the keys of the screen, the keys of the focused widget (the editor's own keys when
the editor has focus), and the keys that work everywhere.
The lists are built from the bindings themselves, so the help cannot drift from the keys.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from tutor.ui.widgets.footer import TutorFooter

SCREEN_NAMES = {
    "course-map": "Course map",
    "lesson": "Lesson",
    "exercise": "Exercise",
    "solution": "Solution",
    "play": "Scheduler",
    "history": "History",
    "timeline-view": "Timeline",
    "demo": "Demo",
}
WIDGET_NAMES = {"CodeEditor": "the editor", "Timeline": "the timeline"}
HELP_TEXT_WIDTH = 70  # the dialog's inner width at 80 columns
KEY_NAMES = {"question_mark": "?", "pageup": "pgup", "pagedown": "pgdn", "escape": "esc"}
GENERAL_NOTES = (
    "ctrl+p opens the command palette: every action is there by name, and every exercise "
    "and lesson (type a few letters of its title)."
)


def keys_of(binding: Binding) -> str:
    keys = [k.strip() for k in binding.key.split(",")]
    return " / ".join(KEY_NAMES.get(k, k) for k in keys)


def bindings_of(node: DOMNode | type[DOMNode]) -> list[Binding]:
    """The ``Binding`` objects a node's class and its bases declare, subclass first."""
    cls = node if isinstance(node, type) else type(node)
    found: list[Binding] = []
    for klass in cls.__mro__:
        for binding in klass.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and not binding.system:
                found.append(binding)
    return found


def key_rows(nodes: Iterable[DOMNode]) -> list[tuple[str, str]]:
    """(keys, what they do) for the described bindings of ``nodes``; the first per action and
    per key wins, as it does when the key is pressed; extra ``HELP_KEYS`` rows come first."""
    rows: list[tuple[str, str]] = []
    seen_actions: set[str] = set()
    seen_keys: set[str] = set()
    for node in nodes:
        for keys, what in getattr(type(node), "HELP_KEYS", []):
            rows.append((keys, what))
            seen_keys.update(k.strip() for k in keys.split("/"))
        for binding in bindings_of(node):
            if not binding.description or binding.action in seen_actions:
                continue
            keys = [k.strip() for k in binding.key.split(",") if k.strip() not in seen_keys]
            if not keys:
                continue
            seen_actions.add(binding.action)
            seen_keys.update(keys)
            shown = Binding(",".join(keys), binding.action)
            rows.append((keys_of(shown), binding.tooltip or binding.description))
    return rows


def keys_text(rows: list[tuple[str, str]], width: int = HELP_TEXT_WIDTH) -> Text:
    """The rows as aligned text: keys in bold, then what they do, wrapped under itself."""
    key_width = min(20, max((len(keys) for keys, _ in rows), default=0) + 2)
    text = Text()
    for keys, what in rows:
        lines = textwrap.wrap(what, max(20, width - key_width)) or [""]
        if len(keys) >= key_width:
            text.append(keys + "\n", style="bold")
            text.append(" " * key_width)
        else:
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

    def __init__(self, below: Screen, app: App, focused: Widget | None = None) -> None:
        super().__init__(classes="dialog-screen", id="help")
        self.below = below
        self.tutor_app = app
        self.focused_widget = focused

    def compose(self) -> ComposeResult:
        name = SCREEN_NAMES.get(self.below.id or "", "This screen")
        with VerticalScroll(classes="dialog", id="help-body"):
            yield Static(Text(f"{name}: keys", style="bold"))
            yield Static(keys_text(key_rows([self.below])))
            focused = self.focused_widget
            if focused is not None and type(focused).__name__ in WIDGET_NAMES:
                widget = WIDGET_NAMES[type(focused).__name__]
                yield Static(Text(f"In {widget}, which has focus now", style="bold"))
                yield Static(keys_text(key_rows([focused])))
            yield Static(Text("Everywhere", style="bold"))
            yield Static(keys_text(key_rows([self.tutor_app])
                                   + [("ctrl+p", "Command palette: find any action, "
                                       "exercise or lesson by name")]))
            yield Static(Text(GENERAL_NOTES, style="dim"))
        yield TutorFooter()

    def action_close(self) -> None:
        self.dismiss()
