"""The scheduler screen's message pane: whose turn it is, and how the run ended.

While a run goes on it says who may run next (and what the keys do); when the run ends it
says whether the check passed or, leading with the explorer's explanation, how the order the
learner chose broke the code, and offers the editor at the line to look at.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.play.messages import Outcome, Plan, State

KIND_TITLE = {"deadlock": "Deadlock", "assertion": "Broken", "starvation": "Starvation",
              "timeout": "Out of time"}  # fmt: skip


def turn_text(state: State, functions: tuple[str, ...] = ()) -> Text:
    """Who may run next, and the keys, while the run is not over."""
    text = Text()
    if state.step == 0:
        text.append("You are the scheduler. ", style="bold")
        text.append("A number key runs that thread to its next decision; space lets the "
                    "default order choose; s shows the explorer's failing order.\n")  # fmt: skip
    text.append("Who runs next? ")
    for view in state.threads:
        if view.index in state.choices:
            key = f"{view.index + 1} " if view.index < 9 else "(space) "
            text.append(f"{key}{view.name}", style="bold")
        else:
            text.append(f"{view.name} cannot", style="dim")
        text.append("  ")
    return text


def ending_text(outcome: Outcome, *, line: int | None, found: bool) -> Text:
    """How the run ended: passed, or broken with the explanation and where to look."""
    text = Text()
    if outcome.passed:
        text.append("✓ Every thread finished and the check passed. ", style="bold green")
        text.append("Try another order: r restarts, u undoes a step.")
        return text
    text.append(f"✗ {KIND_TITLE.get(outcome.kind or '', 'Broken')}: ", style="bold red")
    summary = outcome.explanation.summary if outcome.explanation else ""
    text.append(summary or outcome.headline or outcome.message or "the run failed", style="red")
    text.append("\n")
    if line is not None:
        text.append(f"e: line {line} in the editor · ", style="bold")
    text.append("u undoes a step · r restarts", style="dim")
    if found:
        text.append("\n★ You broke it yourself: recorded on the course map.", style="bold yellow")
    return text


def plan_text(plan: Plan, position: int) -> Text:
    """What "show me" found: the failing order being played, or that there is none."""
    if plan.choices is None:
        if plan.headline:
            return Text(f"The explorer found: {plan.headline} ({plan.summary})")
        return Text(f"The explorer found no failing order: {plan.summary}.", style="green")
    text = Text("Show me: ", style="bold")
    text.append(f"the explorer's failing order, step {position} of {len(plan.choices)}. ")
    text.append("space: next step · a number key takes over", style="dim")
    return text


class OutcomePanel(Static):
    """A few lines under the timeline; the screen decides what they say."""

    DEFAULT_CSS = """
    OutcomePanel {
        height: auto;
        max-height: 8;
        padding: 0 1;
        border-top: solid $panel-lighten-2;
    }
    """

    _said: Text | None = None

    def say(self, text: Text | str, style: str = "") -> None:
        """Show ``text``; the same text again costs nothing (no layout of the screen)."""
        text = text if isinstance(text, Text) else Text(text, style=style)
        if text != self._said:
            self._said = text
            self.update(text)
