"""Turns a failure's timeline (a list of step dicts) into rows for the timeline view.

One column per thread (in order of first appearance), one row per step; a row is marked as a
context switch when its thread differs from the previous step's. The explorer records on each
step the shared accesses made there (``accesses``: ``{"op", "target", "value"}``) and marks the
steps its explanation names (``conflict: true``; docs/interleave.md). For timelines without
those keys, the explanation's own accesses (``{"thread", "line", "op", "target", "value"}``)
are matched to the steps in order by thread and line. Only structured fields are read; the
event text is shown as it is. Free of Textual: the CLI and the app both use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from tutor.failure_text import access_text
from tutor.names import SUBMISSION_FILE, TEST_FILE

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
    accesses: tuple[str, ...] = ()  # the shared accesses made here, as text, with their values
    conflict: bool = False  # one of the steps the explanation names

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
        short = "tests" if PurePath(self.file).name == TEST_FILE else stem[:6]
        return f"{short}:{self.line}"

    @property
    def note(self) -> str:
        """What happened at this step worth showing: the accesses, else the explorer's event."""
        if self.accesses:
            return ", ".join(self.accesses)
        return "" if self.event.strip().lower() in QUIET_EVENTS else self.event.strip()


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _attach_accesses(raw_steps: list[Mapping[str, Any]], accesses: list[Mapping[str, Any]]
                     ) -> list[tuple[list[str], bool]]:
    """For each step: the accesses made in it, as text, and whether it is a conflict."""
    if any("accesses" in raw or "conflict" in raw for raw in raw_steps):
        return [([access_text(a) for a in raw.get("accesses") or [] if isinstance(a, Mapping)],
                 raw.get("conflict") is True) for raw in raw_steps]
    attached: list[list[str]] = [[] for _ in raw_steps]
    cursor = 0
    for access in accesses:
        key = (str(access.get("thread", "")), _int(access.get("line")))
        order = list(range(cursor, len(raw_steps))) + list(range(0, cursor))
        for index in order:
            raw = raw_steps[index]
            if (str(raw.get("thread", "?")), _int(raw.get("line"))) == key and (
                PurePath(str(raw.get("file") or "")).name == SUBMISSION_FILE
            ):
                attached[index].append(access_text(access))
                cursor = index
                break
    return [(found, bool(found)) for found in attached]


def steps_from(
    timeline: Iterable[Mapping[str, Any]] | None,
    accesses: list[Mapping[str, Any]] | None = None,
) -> list[Step]:
    """Normalise raw step dicts; missing fields become empty rather than errors."""
    raw_steps = [raw for raw in timeline or () if isinstance(raw, Mapping)]
    attached = _attach_accesses(raw_steps, accesses or [])
    steps: list[Step] = []
    previous: str | None = None
    for number, (raw, (found, conflict)) in enumerate(zip(raw_steps, attached, strict=True),
                                                      start=1):
        thread = str(raw.get("thread", "?"))
        steps.append(
            Step(
                number=number,
                thread=thread,
                file=str(raw.get("file") or ""),
                line=_int(raw.get("line")),
                source=str(raw.get("source") or ""),
                event=str(raw.get("event") or ""),
                switch=previous is not None and thread != previous,
                accesses=tuple(found),
                conflict=conflict,
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
