"""The code editor: a TextArea for Python with line marks, auto-indent and undoable reloads.

Reused by every screen that shows the learner's code (the exercise screen edits it; the
scheduler screen shows it read-only). What the tutor points at is *marked* (a background on
the line), never selected, so the next keystroke cannot replace it. Text loaded from outside
(an edit in another editor, a restore) goes in as one undoable edit, so ctrl+z brings the
learner's own text back.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from functools import cache
from typing import ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widgets import TextArea

MarkKind = Literal["step", "conflict", "error"]
DARK_THEME = "monokai"
LIGHT_THEME = "github_light"
INDENT_AFTER = (":",)
DEDENT_AFTER = ("return", "pass", "break", "continue", "raise")


@cache
def python_highlighting() -> bool:
    """Whether tree-sitter and its Python grammar are installed (no wheel on some Pythons)."""
    return all(importlib.util.find_spec(name) is not None
               for name in ("tree_sitter", "tree_sitter_python"))


def next_line_indent(line_before_cursor: str, indent_width: int) -> str:
    """The indentation a new line gets after ``line_before_cursor``, as a Python editor would."""
    indent = line_before_cursor[: len(line_before_cursor) - len(line_before_cursor.lstrip())]
    code = line_before_cursor.split("#", 1)[0].rstrip()
    if code.endswith(INDENT_AFTER):
        return indent + " " * indent_width
    first_word = code.strip().split(" ", 1)[0].split("(", 1)[0]
    if first_word in DEDENT_AFTER:
        return indent[:-indent_width] if len(indent) >= indent_width else ""
    return indent


class CodeEditor(TextArea):
    """Python code with line numbers and soft wrap; the tutor marks lines instead of selecting."""

    DEFAULT_CSS = """
    CodeEditor, CodeEditor:focus {
        height: 1fr;
        min-height: 4;
        border: none;
        padding: 0;
    }
    CodeEditor > .code-editor--step { background: $accent-darken-3; }
    CodeEditor > .code-editor--conflict { background: $error-darken-3; }
    CodeEditor > .code-editor--error { background: $error-darken-2; }
    """
    HELP_KEYS: ClassVar[list[tuple[str, str]]] = [  # keys handled in _on_key, not bound
        ("enter", "New line, keeping the indentation (one more after a colon)"),
        ("tab", "Indent to the next tab stop"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "code-editor--step", "code-editor--conflict", "code-editor--error",
    }

    def __init__(
        self,
        text: str = "",
        *,
        read_only: bool = False,
        quiet: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        self.highlighting = python_highlighting()
        super().__init__(
            text,
            language="python" if self.highlighting else None,
            theme=DARK_THEME,
            soft_wrap=True,
            tab_behavior="focus",  # Tab indents (below); Escape is left to the screen's binding
            read_only=read_only,
            show_line_numbers=True,
            id=id,
            classes=classes,
        )
        self.indent_width = 4
        if quiet:
            self.cursor_blink = False
        self.marks: dict[int, MarkKind] = {}

    def on_mount(self) -> None:
        self._follow_theme()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._follow_theme())

    def _follow_theme(self) -> None:
        dark = self.app.current_theme.dark if self.app.current_theme else True
        self.theme = DARK_THEME if dark else LIGHT_THEME

    # -- keys ------------------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        """Enter keeps the indentation (one more after ``:``); Tab indents to the next stop."""
        if self.read_only or event.key not in ("enter", "tab"):
            return
        event.stop()
        event.prevent_default()
        row, column = self.cursor_location
        if event.key == "enter":
            before = self.document.get_line(row)[:column]
            insert = "\n" + next_line_indent(before, self.indent_width)
        else:
            insert = " " * self._find_columns_to_next_tab_stop()
        start, end = self.selection
        self._replace_via_keyboard(insert, start, end)

    # -- marks: lines the tutor points at ----------------------------------------------------

    def set_marks(self, marks: Mapping[int, MarkKind]) -> None:
        """Mark 1-based lines (replacing earlier marks); the text and selection stay as they are."""
        self.marks = {line: kind for line, kind in marks.items() if line >= 1}
        # The cursor's line highlight would paint over a mark on the same line.
        self.highlight_cursor_line = not self.marks
        self._line_cache.clear()  # the rendered-line cache does not know about marks
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        kind = self.marks.get(line_index + 1)
        if kind is not None:
            style = self.get_component_rich_style(f"code-editor--{kind}", partial=True)
            line.stylize(Style(bgcolor=style.bgcolor))
        return line

    def show_line(self, line: int) -> None:
        """Put the cursor on a 1-based line's first character (no selection) and scroll to it."""
        if self.document.line_count == 0:
            return
        row = max(0, min(line - 1, self.document.line_count - 1))
        text = self.document.get_line(row)
        self.move_cursor((row, len(text) - len(text.lstrip())))
        self.scroll_cursor_visible(center=True)

    # -- text from outside ------------------------------------------------------------------

    def replace_all(self, text: str) -> None:
        """Replace the whole text as one undoable edit (ctrl+z brings the old text back)."""
        if text == self.text:
            return
        row, column = self.cursor_location
        self.history.checkpoint()
        self.replace(text, self.document.start, self.document.end)
        self.history.checkpoint()
        last = max(0, self.document.line_count - 1)
        row = min(row, last)
        self.move_cursor((row, min(column, len(self.document.get_line(row)))))
