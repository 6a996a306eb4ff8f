"""What the threads share: the setup object's fields and values, after each step.

Rows come from the sandboxed child as ``(name, value)`` text (``tutor.play.snapshot``); this
widget groups them under their parent object (``bank[0]`` then ``.balance 100``) and marks the
values that changed in the last step.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

_LEAF = re.compile(r"(\.[^.\[]+|\[[^\]]*\])$")


def split_name(name: str) -> tuple[str, str]:
    """``bank[0].balance`` -> (``bank[0]``, ``.balance``); a bare name has no parent."""
    match = _LEAF.search(name)
    if match is None or match.start() == 0:
        return "", name
    return name[: match.start()], match.group(1)


def shared_text(rows: tuple[tuple[str, str], ...],
                before: dict[str, str] | None = None) -> Text:  # fmt: skip
    """Rows grouped by parent; a value that changed since ``before`` is bold yellow."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if not rows:
        text.append("(nothing shared to show)", style="dim")
        return text
    parent_shown = None
    leaf_width = max(len(split_name(name)[1]) for name, _ in rows)
    for name, value in rows:
        parent, leaf = split_name(name)
        if parent and parent != parent_shown:
            text.append(f"{parent}\n", style="bold")
            parent_shown = parent
        indent = "  " if parent else ""
        text.append(f"{indent}{leaf.ljust(min(leaf_width, 14))} ", style="dim")
        changed = before is not None and before.get(name) != value
        text.append(value, style="bold yellow" if changed else "")
        text.append("\n")
    text.rstrip()
    return text


class SharedState(VerticalScroll):
    """The shared state, scrollable; ``show`` replaces it and marks what changed."""

    DEFAULT_CSS = """
    SharedState {
        width: 30%;
        min-width: 28;
        max-width: 44;
        height: 1fr;
        border-left: vkey $panel-lighten-2;
        padding: 0 0 0 1;
    }
    SharedState > Static {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._values: dict[str, str] | None = None

    def compose(self):  # noqa: ANN201 - Textual's own signature
        yield Static(Text("shared state", style="dim"))

    def show(self, rows: tuple[tuple[str, str], ...], *, fresh: bool = False) -> None:
        """Display ``rows``; ``fresh`` (a restart or undo) marks nothing as changed."""
        before = None if fresh else self._values
        resized = self._values is None or len(self._values) != len(rows)
        self.query_one(Static).update(shared_text(rows, before), layout=resized)
        self._values = dict(rows)
