"""The history of the learner's code: every saved version, what restoring it would change.

The list holds the versions, newest first, and the starter code last; the diff below shows
how the highlighted one differs from the code in the editor now. Enter brings it back (the
code it replaces stays in the history, and ctrl+z in the editor undoes it too).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.syntax import Syntax
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.history import REASON_TEXT, Version
from tutor.ui.base import TutorScreen
from tutor.ui.widgets.footer import TutorFooter

STARTER_ID = "starter"


@dataclass(frozen=True)
class HistoryChoice:
    """What to write back: a version, or the starter code when ``version`` is None."""

    version: Version | None


def version_label(number: int, version: Version, now: datetime | None = None) -> Text:
    """``  3  14:02:11   31 lines  saved`` (the date too when it is not today)."""
    moment = version.saved_at.astimezone()
    today = (now or datetime.now().astimezone()).date() == moment.date()
    when = moment.strftime("%H:%M:%S" if today else "%Y-%m-%d %H:%M")
    text = Text(f"{number:>3}  {when:<16} {version.line_count():>4} lines  ")
    text.append(REASON_TEXT.get(version.reason, version.reason), style="italic")
    return text


def changes(current: str, other: str) -> str:
    """What writing ``other`` over ``current`` would change, as a unified diff."""
    lines = difflib.unified_diff(current.splitlines(keepends=True),
                                 other.splitlines(keepends=True),
                                 fromfile="your code now", tofile="this version")
    return "".join(lines) or "Same as your code now.\n"


class HistoryScreen(TutorScreen[HistoryChoice | None]):
    """Up and down choose a version, Enter restores it, Escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("enter", "choose", "Restore", tooltip="Bring the highlighted version back"),
        Binding("tab", "app.focus_next", "List/diff", show=False,
                tooltip="Move between the list and the diff"),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    def __init__(self, title: str, versions: list[Version], current: str, starter: str) -> None:
        super().__init__(id="history")
        self.exercise_title = title
        self.versions = versions
        self.current = current
        self.starter = starter
        self.diff_shown = ""

    def compose(self) -> ComposeResult:
        yield Static(Text(f"History: {self.exercise_title}", no_wrap=True, overflow="ellipsis"),
                     classes="title-bar")
        options = [Option(version_label(n, v), id=str(n - 1))
                   for n, v in enumerate(self.versions, start=1)]
        options.append(Option(Text("     the starter code (reset)", style="bold"),
                              id=STARTER_ID))
        yield OptionList(*options, id="version-list")
        with VerticalScroll(id="version-diff"):
            yield Static("", id="diff-text")
        yield TutorFooter()

    def on_mount(self) -> None:
        option_list = self.query_one("#version-list", OptionList)
        option_list.highlighted = 0
        option_list.focus()
        self._show_diff(0)

    def _chosen(self, index: int) -> HistoryChoice:
        if index >= len(self.versions):
            return HistoryChoice(None)
        return HistoryChoice(self.versions[index])

    def _show_diff(self, index: int) -> None:
        choice = self._chosen(index)
        other = self.starter if choice.version is None else choice.version.read_text()
        self.diff_shown = changes(self.current, other)
        self.query_one("#diff-text", Static).update(
            Syntax(self.diff_shown, "diff", theme="ansi_dark", background_color="default",
                   word_wrap=True))

    @on(OptionList.OptionHighlighted, "#version-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_diff(event.option_index)

    @on(OptionList.OptionSelected, "#version-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._chosen(event.option_index))

    def action_choose(self) -> None:
        highlighted = self.query_one("#version-list", OptionList).highlighted
        if highlighted is not None:
            self.dismiss(self._chosen(highlighted))

    def action_back(self) -> None:
        self.dismiss(None)
