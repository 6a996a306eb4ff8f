"""The failing interleaving: one column per thread, one row per step."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from tutor.ui.timeline_model import Step, thread_names

SWITCH_MARK = "⇄"
FIXED_COLUMNS_WIDTH = 20  # "#" and "at" with their padding, and the scrollbar


NOTE_STYLES = (("wait", "bold red"), ("block", "bold red"), ("acquired", "green"),
               ("finished", "dim"), ("release", "cyan"), ("write", "yellow"), ("read", "dim"))


def step_cell(step: Step, width: int) -> Text:
    """The source line, then the event note in a colour that says what happened."""
    cell = Text(step.source.strip())
    if step.note:
        style = next((s for word, s in NOTE_STYLES if word in step.note.lower()), "italic")
        if cell:
            cell.append(" ")
        cell.append(step.note, style=style)
    cell.truncate(width, overflow="ellipsis")
    return cell


class Timeline(DataTable[Text]):
    """A row cursor walks the steps; each move announces the step so the editor can follow."""

    class StepHighlighted(Message):
        """The cursor moved to ``step``."""

        def __init__(self, step: Step) -> None:
            super().__init__()
            self.step = step

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.steps: list[Step] = []

    def show_steps(self, steps: list[Step], width: int) -> None:
        """Replace the table with ``steps``; ``width`` is the space the table can use."""
        self.clear(columns=True)
        self.steps = steps
        threads = thread_names(steps) or ["thread"]
        per_thread = max(12, (width - FIXED_COLUMNS_WIDTH - 2 * len(threads)) // len(threads))
        self.add_column("#", key="number", width=4)
        self.add_column("at", key="at", width=8)
        for name in threads:
            label = Text(name[:per_thread], style="bold")
            self.add_column(label, key=f"t:{name}", width=per_thread)
        for step in steps:
            number = Text(f"{SWITCH_MARK if step.switch else ' '}{step.number}")
            if step.switch:
                number.stylize("bold yellow", 0, 1)
            cells = [step_cell(step, per_thread) if name == step.thread else Text("")
                     for name in threads]
            self.add_row(number, Text(step.location), *cells, key=str(step.number))

    def step_by(self, delta: int) -> None:
        """Move the cursor ``delta`` rows, staying inside the table."""
        if not self.steps:
            return
        row = max(0, min(len(self.steps) - 1, self.cursor_row + delta))
        self.move_cursor(row=row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.steps):
            self.post_message(self.StepHighlighted(self.steps[event.cursor_row]))
