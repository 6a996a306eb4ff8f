"""The results of a check: the verdict, failing tests, the failure, and its details.

Details are the failing interleaving's timeline when there is one, else the thread stacks of
a timeout, else the learner's own output.
"""

from __future__ import annotations

import re
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

MESSAGE_LINES = {"deadlock": 4}  # who holds what and waits for what: one line per thread
DEFAULT_MESSAGE_LINES = 2
VERDICT_HEADLINE = {
    "passed": "✓ Passed",
    "failed": "✗ Failed",
    "timeout": "⧗ Timed out",
    "error": "✗ Could not grade",
}


_SUBMISSION_LINE = re.compile(r"\bsubmission\.py:(\d+)")


def message_without_timeline(lines: list[str]) -> list[str]:
    """The explorer's message, minus its own text rendering of the timeline (shown as a table)."""
    kept: list[str] = []
    for line in lines:
        if line.startswith(("How it happened", "Schedule:")):
            break
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return kept


def failure_lines(verdict: Verdict) -> list[str]:
    """The failure message, short: without the test's name (shown in the headline) and, when
    the timeline is shown as a table, without its text rendering; a deadlock's
    ``T1 holds ...; T2 holds ...`` gets a line per thread."""
    failure = verdict.failure
    if failure is None:
        return []
    message = failure.message.strip()
    for test in verdict.tests:
        if message.startswith(f"{test.name}: "):
            message = message[len(test.name) + 2 :]
    if message.lower().startswith(f"{failure.kind}: "):
        message = message[len(failure.kind) + 2 :]
    message = _SUBMISSION_LINE.sub(r"line \1", message)
    lines = message.splitlines() or [""]
    if not failure.timeline:
        return lines[:DEFAULT_MESSAGE_LINES]
    lines = message_without_timeline(lines)
    if failure.kind == "deadlock":
        lines = [part.strip() for line in lines for part in line.replace(": T", ":\nT").split("; ")]
        lines = [piece for line in lines for piece in line.split("\n")]
    return lines[: MESSAGE_LINES.get(failure.kind, DEFAULT_MESSAGE_LINES)]


def summary_text(verdict: Verdict) -> Text:
    """The verdict as a few lines: headline with the failing tests, then the failure."""
    status = verdict.status
    text = Text(VERDICT_HEADLINE.get(status, status), style=VERDICT_STYLE.get(status, "bold"))
    failing = [t for t in verdict.tests if t.outcome in ("failed", "error")]
    if failing:
        more = f" (+{len(failing) - 1} more)" if len(failing) > 1 else ""
        text.append(f"  {failing[0].name}{more}", style="red")
    passed = sum(1 for t in verdict.tests if t.outcome == "passed")
    if verdict.tests:
        text.append(f"  {passed}/{len(verdict.tests)} passed", style="dim")
    text.append(f"  {verdict.duration_s:.1f}s", style="dim")
    if verdict.failure is None:
        for test in failing:
            message = test.message.strip().splitlines()[0] if test.message.strip() else ""
            text.append(f"\n{test.name}: {message}")
    if verdict.failure is not None:
        text.append("\n")
        text.append(f"{verdict.failure.kind}: ", style="bold")
        text.append("\n".join(failure_lines(verdict)))
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
