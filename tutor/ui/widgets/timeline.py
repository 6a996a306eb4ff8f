"""The failing interleaving: one column per thread, one row per step.

The columns share the width the table has (recomputed on resize); when the threads no longer
fit, the table switches to one "thread" column so that nothing is cut off at 60 columns.
Steps with a conflicting access (the explanation's reads and writes) are marked and show the
values first. Reused by the full-screen timeline and by the scheduler screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable

from tutor.timeline_model import Step, thread_names

SWITCH_MARK = "⇄"
CONFLICT_MARK = "●"
NUMBER_WIDTH = 5
AT_WIDTH = 8
THREAD_WIDTH = 5
MIN_THREAD_COLUMN = 16
CELL_PADDING = 2  # DataTable pads each cell by one column on each side
SCROLLBAR = 2
NOTE_STYLES = (("wait", "bold red"), ("block", "bold red"), ("deadlock", "bold red"),
               ("acquired", "green"), ("finished", "dim"), ("release", "cyan"))


def step_cell(step: Step, width: int) -> Text:
    """What happened first (the values of a conflicting access, or the explorer's event),
    then the source line, dimmed: a cut cell loses the source, which the editor shows."""
    source = step.source.strip()
    if not step.note:
        cell = Text(source)
    else:
        lowered = step.note.lower()
        style = "bold red" if step.conflict else next(
            (s for word, s in NOTE_STYLES if word in lowered), "italic")
        cell = Text(step.note, style=style)
        if source:
            cell.append(f"  {source}", style="dim")
    cell.truncate(max(1, width), overflow="ellipsis")
    return cell


def number_cell(step: Step) -> Text:
    mark = CONFLICT_MARK if step.conflict else (SWITCH_MARK if step.switch else " ")
    number = Text(f"{mark}{step.number}")
    if step.conflict:
        number.stylize("bold red", 0, 1)
    elif step.switch:
        number.stylize("bold yellow", 0, 1)
    return number


def layout_for(width: int, threads: int) -> tuple[str, int]:
    """("columns", width per thread) when every thread fits a readable column, else
    ("compact", width of the single step column)."""
    fixed = NUMBER_WIDTH + AT_WIDTH + 2 * CELL_PADDING + SCROLLBAR
    per_thread = (width - fixed) // max(1, threads) - CELL_PADDING
    if threads <= 1 or per_thread >= MIN_THREAD_COLUMN:
        return "columns", max(8, per_thread)
    compact = width - fixed - THREAD_WIDTH - 2 * CELL_PADDING
    return "compact", max(8, compact)


class Timeline(DataTable[Text]):
    """A row cursor walks the steps; each move announces the step so the editor can follow."""

    DEFAULT_CSS = """
    Timeline { height: 1fr; }
    """
    HELP_KEYS: ClassVar[list[tuple[str, str]]] = [
        ("enter", "Show the steps on the whole screen (there: back to the code)"),
    ]

    class StepHighlighted(Message):
        """The cursor moved to ``step``."""

        def __init__(self, step: Step) -> None:
            super().__init__()
            self.step = step

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.steps: list[Step] = []
        self._built_for: tuple[int, int] | None = None
        self._announced: int | None = None  # rebuilding the table announces nothing
        self._stepped = False

    def show_steps(self, steps: list[Step], cursor: int | None = None) -> None:
        """Replace the table with ``steps``; the cursor goes to row ``cursor`` if given."""
        self.steps = steps
        self._stepped = cursor is not None
        self._build(cursor)

    def _width(self) -> int:
        return self.size.width or (self.parent.size.width if self.parent else 0) or 80

    def _build(self, cursor: int | None = None) -> None:
        row = max(0, self.cursor_row if cursor is None else cursor)
        self._announced = row
        self.clear(columns=True)
        threads = thread_names(self.steps) or ["thread"]
        width = self._width()
        self._built_for = (width, len(self.steps))
        layout, cell_width = layout_for(width, len(threads))
        self.add_column("#", key="number", width=NUMBER_WIDTH)
        if layout == "compact":
            self.add_column("thread", key="thread", width=THREAD_WIDTH)
        self.add_column("at", key="at", width=AT_WIDTH)
        if layout == "compact":
            self.add_column("step", key="step", width=cell_width)
        else:
            for name in threads:
                self.add_column(Text(name[:cell_width], style="bold"), key=f"t:{name}",
                                width=cell_width)
        for step in self.steps:
            if layout == "compact":
                cells = [Text(step.thread[:THREAD_WIDTH], style="bold"), Text(step.location),
                         step_cell(step, cell_width)]
            else:
                cells = [Text(step.location)] + [
                    step_cell(step, cell_width) if name == step.thread else Text("")
                    for name in threads]
            self.add_row(number_cell(step), *cells, key=str(step.number))
        if self.steps:
            self.move_cursor(row=min(row, len(self.steps) - 1), animate=False)

    def on_resize(self, _event: events.Resize) -> None:
        if self.steps and self._built_for != (self.size.width, len(self.steps)):
            self._build()

    @property
    def current(self) -> Step | None:
        if 0 <= self.cursor_row < len(self.steps):
            return self.steps[self.cursor_row]
        return None

    def step_by(self, delta: int) -> None:
        """Move the cursor ``delta`` rows, staying inside the table; the first step of a
        new timeline is announced where it is rather than skipped."""
        if not self.steps:
            return
        if not self._stepped:
            self._stepped = True
            self.announce()
            return
        row = max(0, min(len(self.steps) - 1, self.cursor_row + delta))
        self.move_cursor(row=row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.cursor_row == self._announced or not 0 <= event.cursor_row < len(self.steps):
            return
        self._announced = event.cursor_row
        self.post_message(self.StepHighlighted(self.steps[event.cursor_row]))

    def announce(self) -> None:
        """Announce the current step again (e.g. when the learner starts stepping)."""
        step = self.current
        if step is not None:
            self._announced = self.cursor_row
            self.post_message(self.StepHighlighted(step))
