"""The results of a check: the verdict, failing tests, the failure, and its details.

Details are the failing interleaving's timeline when there is one, else the thread stacks of
a timeout, else the learner's own output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, TextArea

from tutor.ui.glyphs import VERDICT_STYLE
from tutor.ui.timeline_model import steps_from
from tutor.ui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from tutor.verdict import Verdict

MESSAGE_LINES_WITH_TIMELINE = 4
VERDICT_HEADLINE = {
    "passed": "✓ Passed",
    "failed": "✗ Failed",
    "timeout": "⧗ Timed out",
    "error": "✗ Could not grade",
}


def summary_text(verdict: Verdict) -> Text:
    """The verdict as a few lines: headline, failing tests, and the failure."""
    status = verdict.status
    text = Text(VERDICT_HEADLINE.get(status, status), style=VERDICT_STYLE.get(status, "bold"))
    passed = sum(1 for t in verdict.tests if t.outcome == "passed")
    if verdict.tests:
        text.append(f"  {passed}/{len(verdict.tests)} tests passed", style="dim")
    text.append(f"  in {verdict.duration_s:.1f}s", style="dim")
    if verdict.failure is not None:
        text.append("\n")
        text.append(f"{verdict.failure.kind}: ", style="bold")
        lines = verdict.failure.message.strip().splitlines() or [""]
        if verdict.failure.timeline:
            lines = lines[:MESSAGE_LINES_WITH_TIMELINE]
        text.append("\n".join(lines))
    for test in verdict.tests:
        if test.outcome in ("failed", "error"):
            text.append("\n")
            text.append(f"✗ {test.name}", style="red")
            if test.message:
                first = test.message.strip().splitlines()[0] if test.message.strip() else ""
                text.append(f": {first}")
    return text


def details_text(verdict: Verdict) -> str:
    """What the details pane shows when there is no timeline."""
    failure = verdict.failure
    if failure is not None and failure.stacks:
        return "Thread stacks when the time ran out:\n\n" + failure.stacks
    parts = []
    if failure is not None and len(failure.message.splitlines()) > 1:
        parts.append(failure.message.strip())
    if verdict.output.strip():
        parts.append("Your program's output:\n" + verdict.output.rstrip())
    return "\n\n".join(parts)


class ResultsPanel(Vertical):
    """Shows one verdict; the timeline (if any) is the focusable part."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="verdict-scroll"):
            yield Static("", id="verdict-summary")
        yield Timeline(id="timeline")
        yield TextArea("", id="details", read_only=True, soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one("#timeline").display = False
        self.query_one("#details").display = False

    def show_progress(self, message: str) -> None:
        """A check is running (or was cancelled): a one-line message instead of a verdict."""
        self.query_one("#verdict-summary", Static).update(Text(message, style="italic"))
        self.query_one("#timeline").display = False
        self.query_one("#details").display = False

    def show_verdict(self, verdict: Verdict) -> None:
        self.query_one("#verdict-summary", Static).update(summary_text(verdict))
        timeline = self.query_one("#timeline", Timeline)
        details = self.query_one("#details", TextArea)
        steps = steps_from(verdict.failure.timeline if verdict.failure else None)
        timeline.display = bool(steps)
        if steps:
            timeline.show_steps(steps, width=max(40, self.size.width or self.app.size.width))
        extra = "" if steps else details_text(verdict)
        details.display = bool(extra)
        details.load_text(extra)

    @property
    def timeline(self) -> Timeline:
        return self.query_one("#timeline", Timeline)
