"""``InterleavingFailure``: a schedule under which the code fails, as data and as text.

``to_dict()`` is what crosses from the sandboxed grading child to the verdict: plain JSON
data whose keys are stable (documented in docs/interleave.md). ``str()`` is for a terminal:
the learner-facing headline first, then the timeline, then the details (the internal message
and the replayable schedule).
"""

from __future__ import annotations

from ._render import WIDTH, render_timeline, wrap_schedule, wrap_words
from ._types import Explanation, Kind, Step

_KIND_TITLES = {
    Kind.ASSERTION: "A thread interleaving breaks your code",
    Kind.DEADLOCK: "Deadlock: every thread is blocked",
    Kind.STARVATION: "Starvation: a thread never gets to finish",
    Kind.TIMEOUT: "Timeout: the explorer ran out of time before it could decide",
}

#: the keys of ``to_dict()``; add, never remove or rename
DICT_KEYS = ("kind", "message", "headline", "schedule", "timeline", "explanation", "threads",
             "coverage")  # fmt: skip


class InterleavingFailure(AssertionError):
    """A schedule under which the code fails; ``str()`` shows how it happened."""

    def __init__(self, kind: str, message: str, schedule: str | None, timeline: list[Step],
                 thread_names: list[str] | None = None, report=None, *,
                 explanation: Explanation | None = None, headline: str | None = None) -> None:
        self.kind = kind
        self.message = message
        self.schedule = schedule
        self.timeline = timeline
        self.thread_names = thread_names or sorted({s["thread"] for s in timeline})
        self.report = report
        self.explanation = explanation
        self.headline = headline or (explanation["summary"] if explanation else message)
        super().__init__(self.render())

    def to_dict(self) -> dict:
        """JSON-safe: the verdict's ``failure`` is built from this, never from ``str()``."""
        report = self.report
        coverage = None
        if report is not None:
            coverage = {
                "schedules": report.schedules,
                "complete": bool(getattr(report, "complete", False)),
                "bound": getattr(report, "bound", -1),
                "traces": getattr(report, "traces", 0),
                "summary": str(report),
            }
        return {
            "kind": self.kind,
            "message": self.message,
            "headline": self.headline,
            "schedule": self.schedule,
            "timeline": [dict(step) for step in self.timeline],
            "explanation": _copy(self.explanation),
            "threads": list(self.thread_names),
            "coverage": coverage,
        }

    def render(self) -> str:
        """Headline, timeline, details; every line fits ``WIDTH`` columns."""
        lines = wrap_words(self.headline, WIDTH)
        if self.timeline:
            lines.append("")
            lines.extend(render_timeline(self.timeline, self.thread_names))
        lines.append("")
        title = _KIND_TITLES.get(self.kind, self.kind)
        lines.extend(wrap_words(f"Details: {title}: {self.message}", WIDTH))
        if self.schedule:
            note = "  (tutor.interleave.replay reruns it exactly)"
            if len(f"Schedule: {self.schedule}{note}") <= WIDTH:
                lines.append(f"Schedule: {self.schedule}{note}")
            else:
                lines.append(f"Schedule: ({note.strip()[1:-1]})")
                lines.extend("  " + part for part in wrap_schedule(self.schedule, WIDTH - 2))
        return "\n".join(lines)

    def __reduce__(self):
        args = (self.kind, self.message, self.schedule, self.timeline, self.thread_names)
        return (_rebuild, (args, self.explanation, self.headline))


def _rebuild(args, explanation, headline):
    return InterleavingFailure(*args, explanation=explanation, headline=headline)


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(v) for v in value]
    return value
