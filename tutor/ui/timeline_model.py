"""Turns a failure's timeline (a list of step dicts) into rows for the timeline view.

One column per thread (in order of first appearance), one row per step; a row is marked as a
context switch when its thread differs from the previous step's. Kept free of Textual so the
shaping is easy to read and to test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

SUBMISSION_FILE = "submission.py"
QUIET_EVENTS = frozenset({"", "line", "step", "run", "running", "opcode"})


@dataclass(frozen=True)
class Step:
    """One step of a timeline, with the fields the view needs."""

    number: int
    thread: str
    file: str
    line: int
    source: str
    event: str
    switch: bool

    @property
    def in_submission(self) -> bool:
        """True when the step is in the learner's own file (so the editor can show it)."""
        return PurePath(self.file).name == SUBMISSION_FILE

    @property
    def location(self) -> str:
        """``L12`` in the learner's file, ``tests:12`` in the hidden tests, ``name:12`` else."""
        if not self.file:
            return ""
        if self.in_submission:
            return f"L{self.line}"
        stem = PurePath(self.file).stem
        short = "tests" if stem.startswith("test_") else stem[:6]
        return f"{short}:{self.line}"

    @property
    def note(self) -> str:
        """The event worth showing: the last of ``acquire X; waits for X`` says the outcome."""
        parts = [part.strip() for part in self.event.split(";") if part.strip()]
        last = parts[-1] if parts else ""
        return "" if last.lower() in QUIET_EVENTS else last


def steps_from(timeline: Iterable[Mapping[str, Any]] | None) -> list[Step]:
    """Normalise raw step dicts; missing fields become empty rather than errors."""
    steps: list[Step] = []
    previous: str | None = None
    for number, raw in enumerate(timeline or (), start=1):
        thread = str(raw.get("thread", "?"))
        try:
            line = int(raw.get("line") or 0)
        except (TypeError, ValueError):
            line = 0
        steps.append(
            Step(
                number=number,
                thread=thread,
                file=str(raw.get("file") or ""),
                line=line,
                source=str(raw.get("source") or ""),
                event=str(raw.get("event") or ""),
                switch=previous is not None and thread != previous,
            )
        )
        previous = thread
    return steps


def thread_names(steps: Iterable[Step]) -> list[str]:
    """Threads in order of first appearance: one column each."""
    names: list[str] = []
    for step in steps:
        if step.thread not in names:
            names.append(step.thread)
    return names
