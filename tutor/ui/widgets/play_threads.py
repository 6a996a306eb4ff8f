"""The scheduler screen's threads: one column each, where it stands, what it holds.

Each card has four lines: the key that runs the thread and its state; its current line and
source; what it does next (or what it waits for); the locks it holds. A thread the learner
can pick shows its key in reverse; one that may not run now (its next step would only
block) says so.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Static

from tutor.play.messages import State, ThreadView
from tutor.timeline_model import Step

STATE_STYLE = {"runnable": "green", "blocked": "bold red", "sleeping": "magenta",
               "finished": "dim", "waiting": "yellow"}  # fmt: skip
NARROW = 30  # below this width, objects lose their kind ("Lock bank[0].lock" -> "bank[0].lock")


def short(described: str, width: int) -> str:
    """``Lock bank[0].lock`` as ``bank[0].lock`` when the column is narrow."""
    head, _, rest = described.partition(" ")
    if width < NARROW and rest and head[:1].isupper():
        return rest
    return described


def location(view: ThreadView) -> str:
    """``L36`` in the learner's file, ``tests:25`` in the hidden tests (as the timeline)."""
    if not view.file:
        return ""
    return Step(0, view.name, view.file, view.line, "", "", False).location


def card_text(view: ThreadView, *, choosable: bool, width: int, function: str = "",
              ran: bool = False) -> Text:  # fmt: skip
    """The four lines of one thread's card; ``ran``: it ran the last step (underlined)."""
    key = str(view.index + 1) if view.index < 9 else " "
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {key} ", style="bold reverse" if choosable else "dim")
    text.append(f" {view.name} ", style="bold underline" if ran else "bold")
    state = view.state
    if state == "runnable" and not choosable:
        state = "waiting"
    words = {"waiting": "must wait", "sleeping": "sleeping"}.get(state, state)
    text.append(words, style=STATE_STYLE[state])
    if function and width - len(view.name) - len(words) > 10:
        text.append(f" {function}", style="dim italic")
    text.append("\n")
    where = location(view)
    if where:
        text.append(f"{where} ", style="dim")
    text.append(view.source or ("(done)" if view.state == "finished" else ""))
    text.append("\n")
    if view.state in ("blocked", "sleeping") and view.waiting_for:
        text.append(f"waits for {short(view.waiting_for, width)}", style="red")
    elif view.next and view.state == "runnable":
        text.append(f"next: {short(view.next, width)}", style="yellow" if not choosable else "")
    text.append("\n")
    if view.holds:
        text.append("holds " + ", ".join(short(h, width) for h in view.holds), style="cyan")
    elif view.state != "finished":
        text.append("holds nothing", style="dim")
    return text


class ThreadCard(Static):
    """One thread's column."""

    DEFAULT_CSS = """
    ThreadCard {
        width: 1fr;
        height: 4;
        padding: 0 1 0 0;
        border-right: vkey $panel-lighten-2;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ThreadCard.-last {
        border-right: none;
    }
    """


class ThreadColumns(Horizontal):
    """A card per thread, side by side; the cards follow the threads as they are started."""

    DEFAULT_CSS = """
    ThreadColumns {
        height: 5;
        border-bottom: solid $panel-lighten-2;
    }
    """

    def show(self, state: State, functions: tuple[str, ...] = ()) -> None:
        cards = list(self.query(ThreadCard))
        missing = len(state.threads) - len(cards)
        if missing > 0:
            new = [ThreadCard() for _ in range(missing)]
            self.mount(*new)
            cards += new
        width = max(10, self.size.width // max(1, len(state.threads)) - 1)
        for number, (card, view) in enumerate(zip(cards, state.threads, strict=False)):
            function = functions[view.index] if view.index < len(functions) else ""
            card.update(card_text(view, choosable=view.index in state.choices, width=width,
                                  function=function, ran=view.index == state.chosen),
                        layout=False)  # a card's size never changes with its text
            last = number == len(state.threads) - 1
            if card.has_class("-last") != last:  # restyling costs even when nothing changes
                card.set_class(last, "-last")
        for card in cards[len(state.threads) :]:
            card.remove()
