"""The steps so far on the scheduler screen: one line per step, newest last.

The thread cards above already give each thread a column, so this log keeps one line per step
(``⇄ 7 T1 L36     ! acquired bank[0].lock``) and uses its width for the source and the event,
with the values the explorer recorded (``read self.sold → 0``). Lines are shaped by
``tutor.timeline_model`` (context switches, ``L12``/``tests:14`` locations), as in the
results view's timeline. It shows the newest steps that fit and is repainted in place, never
re-laid out: every key press repaints it, and a table or a growing scroll area costs a layout
of the whole screen each time.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tutor.play.messages import TimelineStep
from tutor.timeline_model import steps_from
from tutor.ui.widgets.timeline import NOTE_STYLES, SWITCH_MARK

THREAD_COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red")
PREFIX_WIDTH = 18  # "⇄12 T1 tests:26  " before what happened


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


def _what(source: str, note: str, conflict: bool, width: int) -> Text:
    """Source, then the event; the source gives way first when the width is short."""
    if conflict and note:
        note = f"! {note}"
    if note and len(source) + 3 + len(note) > width:
        room = width - 3 - len(note)
        source = "" if room < 8 else source[: room - 1] + "…"
    what = Text(source)
    if note:
        style = next((s for word, s in NOTE_STYLES if word in note.lower()), "italic")
        if conflict:
            style = "bold red"
        what.append(" · " if source else "")
        what.append(note, style=style)
    what.truncate(width, overflow="ellipsis")
    return what


def timeline_text(steps: tuple[TimelineStep, ...], threads: list[str], width: int,
                  first: int = 0, height: int = 0) -> Text:  # fmt: skip
    """One line per step; ``first`` steps came before these. The newest is highlighted;
    with a ``height``, only the newest that fit, under a line saying how many are hidden."""
    shaped = steps_from(
        [dict(s.as_dict(), event=step_note(s).replace(";", ",")) for s in steps]
    )
    rows = list(zip(steps, shaped, strict=True))
    hidden = first
    if height and len(rows) > height:
        hidden += len(rows) - (height - 1)
        rows = rows[len(rows) - (height - 1) :]
    text = Text(no_wrap=True, overflow="ellipsis")
    if not steps:
        text.append("No step yet: press a thread's number.", style="dim")
    elif hidden:
        text.append(f"  ({hidden} earlier step{'s' if hidden != 1 else ''})\n", style="dim")
    for raw, step in rows:
        line = Text()
        line.append(SWITCH_MARK if step.switch else " ", style="bold yellow")
        newest = step.number == len(steps)
        line.append(f"{first + step.number}", style="reverse" if newest else "")
        line.append(" " * max(1, 3 - len(str(first + step.number))))
        colour = THREAD_COLOURS[threads.index(step.thread) % len(THREAD_COLOURS)] if (
            step.thread in threads) else ""
        line.append(f"{step.thread:<3}", style=colour)
        line.append(f"{step.location:<9}", style="dim")
        line.append_text(_what(step.source.strip(), step.note, raw.conflict,
                               max(10, width - PREFIX_WIDTH)))  # fmt: skip
        text.append_text(line)
        text.append("\n")
    text.rstrip()
    return text


class PlayTimeline(Widget):
    """The newest steps that fit; repainted in place (its size never depends on them)."""

    DEFAULT_CSS = """
    PlayTimeline {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._steps: tuple[TimelineStep, ...] = ()
        self._threads: list[str] = []
        self._first = 0

    def show(self, steps: tuple[TimelineStep, ...], threads: list[str], first: int = 0) -> None:
        self._steps, self._threads, self._first = steps, threads, first
        self.refresh()

    def render(self) -> Text:
        size = self.content_region.size
        return timeline_text(self._steps, self._threads, size.width or 50, self._first,
                             size.height)  # fmt: skip
