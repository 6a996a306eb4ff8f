"""The scheduler screen at 80x24 in the middle of a deadlock the learner made by hand.

The frame must not depend on the Python version (3.14 has more decisions than 3.11 on the
same code) nor on timing, so the sandboxed child is replaced by a recording of one: the
messages a real child sent on 3.11 while T1 and T2 took turns on the fixture course's
transfer-deadlock (``fixtures/deadlock_messages.json``). Everything else is real: the session
checks each message as it would a live child's, and the keys are pressed on the screen.
Re-record after a change to the driver's messages:
``python tests/play/test_play_snapshot.py --record`` (on 3.11). After an intended visual change:
``pytest tests/play --snapshot-update``, then review the SVG in ``__snapshots__``.
"""

from __future__ import annotations

import json
import sys
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from play_helpers import FIXTURE_COURSE, SIZE, settled, wait_for

import tutor.runner
from tutor.course import Course, load_course
from tutor.state import LearnerState
from tutor.ui.screens.play import PlayScreen
from tutor.ui.screens.play_app import PlayApp

RECORDING = Path(__file__).resolve().parent / "fixtures" / "deadlock_messages.json"


class RecordedChild:
    """Stands in for ``start_sandboxed``'s process: answers with the recorded messages."""

    def __init__(self, messages: list[dict[str, Any]]) -> None:
        self.messages = deque(messages)
        self.running = True

    def send(self, request: dict[str, Any]) -> bool:
        self.running = request.get("op") != "quit"
        return True

    def receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        return self.messages.popleft() if self.messages else None

    def kill(self) -> None:
        self.running = False

    def wait(self, timeout: float | None = None, **_: Any) -> None:
        return None


def test_the_scheduler_in_the_middle_of_a_deadlock(
    snap_compare, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = json.loads(RECORDING.read_text(encoding="utf-8"))
    keys = [str(m["chosen"] + 1) for m in messages if m.get("type") == "state" and m["step"]]
    monkeypatch.setattr(tutor.runner, "start_sandboxed",
                        lambda *args, **kwargs: RecordedChild(messages))  # fmt: skip
    exercise = course.exercise("transfer-deadlock")
    app = PlayApp(course, exercise.id, LearnerState(course).working_copy(exercise.id))

    async def deadlock(pilot) -> None:
        await wait_for(pilot, lambda: isinstance(app.screen, PlayScreen), "the play screen")
        screen = app.screen
        await wait_for(pilot, settled(screen, 0), "the first state")
        for key in keys:
            await pilot.press(key)
        await wait_for(pilot, settled(screen, len(keys)), "the deadlock")
        assert screen.state.finished and screen.state.outcome.kind == "deadlock"
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=deadlock)


def record() -> None:
    """Run the real child, T1 and T2 taking turns to the deadlock; save what it sent."""
    from play_helpers import play

    from tutor.play.session import PlaySession

    exercise = load_course(FIXTURE_COURSE).exercise("transfer-deadlock")
    session = PlaySession(exercise, exercise.starter_path)
    received: list[dict[str, Any]] = []
    receive = session._receive

    def recording(limit_s: float, what: str) -> dict[str, Any]:
        message = receive(limit_s, what)
        received.append(message)
        return message

    session._receive = recording  # type: ignore[method-assign]
    try:
        state = play(session)
        assert state.finished and state.outcome is not None
    finally:
        session.close()
    RECORDING.write_text(json.dumps(received, indent=1) + "\n", encoding="utf-8")
    print(f"{len(received)} messages, {state.step} steps, written to {RECORDING}")


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    record()
