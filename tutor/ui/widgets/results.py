"""The results of a check: what went wrong in the learner's terms, then the steps or details.

The summary leads with the explanation's sentence (``tutor.failure_text.lead``), says where to
look and how much the explorer covered. Below it, either the failing interleaving (the
timeline) or the details: the grader's whole report with its internal terms (the schedule
string, ``check(state)``), the stacks of a timeout, the program's output.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Static, TextArea

from tutor.failure_text import (
    accesses_of,
    coverage_of,
    coverage_text,
    details_sections,
    explanation_of,
    lead,
    look_at,
)
from tutor.timeline_model import steps_from
from tutor.ui.glyphs import VERDICT_STYLE
from tutor.ui.widgets.timeline import Timeline
from tutor.verdict import Verdict

View = Literal["timeline", "details"]
VERDICT_HEADLINE = {
    "passed": "✓ Passed",
    "failed": "✗ Failed",
    "timeout": "⧗ Timed out",
    "error": "✗ Could not grade",
    "refused": "✗ Refused",
}


def headline_text(verdict: Verdict) -> Text:
    """One line: the status, the failure's kind, the failing test, tests passed, time."""
    status = verdict.status
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(VERDICT_HEADLINE.get(status, status), style=VERDICT_STYLE.get(status, "bold"))
    parts: list[str] = []
    if verdict.failure is not None:
        parts.append(verdict.failure.kind)
    failing = [t for t in verdict.tests if t.outcome in ("failed", "error")]
    if failing:
        parts.append(failing[0].name + (f" (+{len(failing) - 1})" if len(failing) > 1 else ""))
    if verdict.tests:
        passed = sum(1 for t in verdict.tests if t.outcome == "passed")
        parts.append(f"{passed}/{len(verdict.tests)} passed")
    parts.append(f"{verdict.duration_s:.1f}s")
    text.append("".join(f" · {part}" for part in parts), style="dim")
    return text


def body_text(verdict: Verdict) -> Text:
    """Under the headline: the lead sentence, then where to look and the explorer's coverage."""
    text = Text()
    if verdict.status != "passed":
        text.append(lead(verdict), style="bold")
    hints = [look_at(explanation_of(verdict)), coverage_text(coverage_of(verdict))]
    shown = [hint for hint in hints if hint]
    if shown:
        text.append(("\n" if text else "") + " · ".join(shown), style="dim")
    return text


def summary_text(verdict: Verdict) -> Text:
    """The headline line, then the body (as the panel shows them, one above the other)."""
    text = headline_text(verdict)
    text.no_wrap = False
    body = body_text(verdict)
    if body:
        text.append("\n")
        text.append_text(body)
    return text


def details_text(verdict: Verdict) -> str:
    return "\n\n".join(f"{title}:\n{body}" for title, body in details_sections(verdict))


class ResultsPanel(Vertical):
    """One verdict: the summary on top, then the timeline or the details (``view``)."""

    DEFAULT_CSS = """
    ResultsPanel {
        height: 1fr;
        border-bottom: solid $panel-lighten-2;
    }
    ResultsPanel #verdict-scroll {
        height: auto;
        max-height: 5;
        padding: 0 1;
    }
    ResultsPanel #verdict-headline { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    ResultsPanel #verdict-summary { width: 1fr; }
    ResultsPanel ContentSwitcher { height: 1fr; }
    ResultsPanel #details { height: 1fr; border: none; padding: 0 1; }
    """

    view: reactive[View] = reactive("timeline")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.verdict: Verdict | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="verdict-scroll"):
            yield Static("", id="verdict-headline")
            yield Static("", id="verdict-summary")
        with ContentSwitcher(initial="timeline", id="result-views"):
            yield Timeline(id="timeline")
            yield TextArea("", id="details", read_only=True, soft_wrap=True)

    @property
    def timeline(self) -> Timeline:
        return self.query_one("#timeline", Timeline)

    @property
    def details(self) -> TextArea:
        return self.query_one("#details", TextArea)

    def watch_view(self, view: View) -> None:
        self.query_one(ContentSwitcher).current = view

    def show_progress(self, message: str) -> None:
        """A check is running (or was cancelled): a one-line message instead of a verdict."""
        self.verdict = None
        self.query_one("#verdict-headline", Static).update(Text(message, style="italic"))
        self.query_one("#verdict-summary", Static).update("")
        self.timeline.show_steps([])
        self.details.load_text("")
        self.query_one(ContentSwitcher).display = False

    def show_verdict(self, verdict: Verdict) -> None:
        self.verdict = verdict
        self.query_one("#verdict-headline", Static).update(headline_text(verdict))
        self.query_one("#verdict-summary", Static).update(body_text(verdict))
        failure = verdict.failure
        accesses = accesses_of(explanation_of(verdict))
        steps = steps_from(failure.timeline if failure else None, accesses)
        self.timeline.show_steps(steps)
        self.details.load_text(details_text(verdict))
        self.query_one(ContentSwitcher).display = bool(steps) or bool(self.details.text)
        self.view = "timeline" if steps else "details"

    def toggle_view(self) -> bool:
        """Switch between the timeline and the details; False when there is nothing to switch."""
        if self.verdict is None or not self.timeline.steps:
            return False
        self.view = "details" if self.view == "timeline" else "timeline"
        return True
