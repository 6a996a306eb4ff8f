"""One line under the editor: what just happened, and the mode the screen is in.

Messages that used to be toasts live here on the exercise screen, so nothing ever covers the
editor. The line is cut with an ellipsis when the terminal is narrow.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

Severity = Literal["information", "warning", "error"]
SEVERITY_STYLE = {"information": "", "warning": "bold yellow", "error": "bold red"}


class StatusLine(Widget):
    """``message`` on the left (styled by severity), ``mode`` after it, dimmed."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    message: reactive[str] = reactive("", layout=False)
    severity: reactive[Severity] = reactive("information", layout=False)
    mode: reactive[str] = reactive("", layout=False)

    def say(self, message: str, severity: Severity = "information") -> None:
        self.message = message
        self.severity = severity

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if self.message:
            text.append(self.message, style=SEVERITY_STYLE[self.severity])
        if self.mode:
            text.append(" · " if self.message else "")
            text.append(self.mode, style="dim")
        text.truncate(max(1, self.content_size.width), overflow="ellipsis")
        return text
