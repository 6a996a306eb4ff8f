"""One check, as the app runs it: grade in a worker thread, come back as a ``CheckDone``."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from tutor.course import Exercise
from tutor.verdict import Verdict


@dataclass
class CheckDone(Message):
    """The check finished: a verdict, or the grader's own error, or a cancel."""

    verdict: Verdict | None
    cancelled: bool = False
    error: str = ""


def run_check(exercise: Exercise, path: Path, cancel: threading.Event) -> CheckDone:
    """Grade ``path`` (blocking: call it from a thread worker); never raises."""
    try:
        from tutor.grading import grade

        verdict = grade(exercise, path, cancel=cancel)
    except Exception as exc:  # noqa: BLE001 - shown to the learner, not a crash
        return CheckDone(None, error=f"{type(exc).__name__}: {exc}")
    return CheckDone(verdict, cancelled=cancel.is_set())
