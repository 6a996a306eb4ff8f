"""The steps so far on the scheduler screen: one row per step, newest last.

The thread cards above already give each thread a column, so this log keeps one line per step
(``⇄ 7 T1 L36 with target.lock · acquired bank[0].lock``) and uses its width for the source
and the event, with the values the explorer recorded (``read self.sold → 0``). Rows are shaped
by ``tutor.ui.timeline_model`` (context switches, ``L12``/``tests:14`` locations), as in the
results view's timeline.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from tutor.play.messages import TimelineStep
from tutor.ui.timeline_model import steps_from
from tutor.ui.widgets.timeline import NOTE_STYLES, SWITCH_MARK

THREAD_COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red")


def step_note(step: TimelineStep) -> str:
    """The event, with the values of the accesses when the explorer recorded them."""
    if step.accesses:
        arrows = {"read": "→", "write": "←"}
        return ", ".join(
            f"{a.op} {a.target} {arrows.get(a.op, '=')} {a.value}"
            if a.value and not a.value.startswith("<") else f"{a.op} {a.target}"
            for a in step.accesses
        )  # fmt: skip
    return step.event


def step_rows(steps: tuple[TimelineStep, ...], threads: list[str], first: int = 0,
              width: int = 60) -> list[tuple[Text, ...]]:  # fmt: skip
    """(number, thread, at, what) for each step; ``first`` steps came before these."""
    shaped = steps_from(
        [dict(s.as_dict(), event=step_note(s).replace(";", ",")) for s in steps]
    )
    rows = []
    for raw, step in zip(steps, shaped, strict=True):
        number = Text(f"{SWITCH_MARK if step.switch else ' '}{first + step.number}")
        if step.switch:
            number.stylize("bold yellow", 0, 1)
        colour = THREAD_COLOURS[threads.index(step.thread) % len(THREAD_COLOURS)] if (
            step.thread in threads) else ""
        rows.append((number, Text(step.thread, style=colour), Text(step.location),
                     _what(step.source.strip(), step.note, raw.conflict, width)))  # fmt: skip
    return rows


def _what(source: str, note: str, conflict: bool, width: int) -> Text:
    """Source, then the event; the source gives way first when the width is short."""
    if conflict and note:
        note = f"! {note}"
    if note and len(source) + 3 + len(note) > width:
        room = width - 3 - len(note)
        source = "" if room < 8 else source[: room - 1] + "…"
    what = Text(source, no_wrap=True, overflow="ellipsis")
    if note:
        style = next((s for word, s in NOTE_STYLES if word in note.lower()), "italic")
        if conflict:
            style = "bold red"
        what.append(" · " if source else "")
        what.append(note, style=style)
    what.truncate(width, overflow="ellipsis")
    return what


class PlayTimeline(DataTable[Text]):
    """The log of steps; the cursor sits on the newest."""

    DEFAULT_CSS = """
    PlayTimeline {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, show_header=False)

    def on_mount(self) -> None:
        self.add_column("#", key="number", width=3)
        self.add_column("thread", key="thread", width=2)
        self.add_column("at", key="at", width=8)
        self.add_column("what", key="what")

    def show(self, steps: tuple[TimelineStep, ...], threads: list[str], first: int = 0) -> None:
        self.clear()
        fixed = sum(column.width + 2 * self.cell_padding for column in self.columns.values()
                    if column.key.value != "what")  # fmt: skip
        width = max(10, self.scrollable_content_region.width - fixed - 2 * self.cell_padding - 1)
        for row in step_rows(steps, threads, first, width):
            self.add_row(*row)
        if steps:
            self.move_cursor(row=len(steps) - 1)
