"""Snapshots of each main screen at 80x24, blink and animation off (see conftest).

Results views use fixed verdicts so the frames do not depend on timing; the real grader is
exercised by the pilot tests. Code is shown as plain text, as on a Python without tree-sitter
(3.15 has no wheel), so every frame is the same on 3.11 to 3.15; the colours themselves are
checked by test_ui_flows where tree-sitter is installed. Update after an intended change with
``pytest tests/ui --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

import pytest
from ui_helpers import SIZE, highlight, open_exercise, settle, wait_until

from tutor.ui.app import TutorApp
from tutor.ui.widgets import code_editor
from tutor.verdict import Failure, TestResult, Verdict

RACE_TIMELINE = [  # the shape tutor.interleave reports
    {"thread": "T1", "file": "submission.py", "line": 20, "source": "value = self.value",
     "event": ""},
    {"thread": "T2", "file": "test_hidden.py", "line": 11, "source": "counter.increment()",
     "event": ""},
    {"thread": "T2", "file": "submission.py", "line": 20, "source": "value = self.value",
     "event": ""},
    {"thread": "T2", "file": "submission.py", "line": 21,
     "source": "self.value = value + 1", "event": ""},
    {"thread": "T2", "file": "", "line": 0, "source": "", "event": "finished"},
    {"thread": "T1", "file": "submission.py", "line": 21,
     "source": "self.value = value + 1", "event": ""},
    {"thread": "T1", "file": "submission.py", "line": 19, "source": "with lock:",
     "event": "acquire Lock lock; waits for Lock lock"},
]

RACE_VERDICT = Verdict(
    exercise="counter-race",
    status="failed",
    duration_s=1.25,
    tests=[TestResult("test_two_increments_never_lose_an_update", "failed",
                      "expected 2 after two increments, got 1")],
    failure=Failure(kind="race",
                    message="test_two_increments_never_lose_an_update: A thread interleaving "
                    "breaks your code: check(state) failed: expected 2 after two increments, "
                    "got 1\nassert 1 == 2\n\nHow it happened (one column per thread):\n...",
                    schedule="1.2.2.1", timeline=RACE_TIMELINE),
)

TIMEOUT_VERDICT = Verdict(
    exercise="transfer-deadlock",
    status="timeout",
    duration_s=10.0,
    tests=[TestResult("test_crossed_transfers_finish", "error", "timed out after 10s")],
    failure=Failure(
        kind="timeout",
        message="the tests did not finish within 10s",
        stacks=(
            'Thread 0x00007f01 (most recent call first):\n'
            '  File "submission.py", line 15 in transfer\n'
            'Thread 0x00007f02 (most recent call first):\n'
            '  File "submission.py", line 15 in transfer\n'
        ),
    ),
)


@pytest.fixture(autouse=True)
def _plain_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every code view shows plain text, on every Python (see the module's docstring)."""
    monkeypatch.setattr(code_editor, "python_highlighting", lambda: False)


def make_app() -> TutorApp:
    """The app on the fixture course; the one-time "no syntax highlighting" toast counts as
    already said, since plain text is this module's choice, not the Python's."""
    from ui_helpers import make_app as make_fixture_app

    app = make_fixture_app()
    app._said_once.add("plain-editor")
    return app


async def _settle(pilot) -> None:
    await settle(pilot)


def test_course_map(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_settle)


def test_lesson_reader(snap_compare) -> None:
    async def open_lesson(pilot) -> None:
        await settle(pilot)
        await highlight(pilot, "lesson:01-races")
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_lesson)


def test_exercise_editor(snap_compare) -> None:
    async def open_it(pilot) -> None:
        await open_exercise(pilot, "counter-race")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_it)


def test_results_with_a_race_timeline_stepped_twice(snap_compare) -> None:
    async def show(pilot) -> None:
        screen = await open_exercise(pilot, "counter-race")
        screen.show_verdict(RACE_VERDICT)
        await pilot.pause()
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=show)


def test_results_of_a_timeout_show_the_stacks(snap_compare) -> None:
    async def show(pilot) -> None:
        screen = await open_exercise(pilot, "transfer-deadlock")
        screen.show_verdict(TIMEOUT_VERDICT)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=show)


def test_results_lead_with_the_explanation_and_mark_the_conflict(snap_compare) -> None:
    from explained_verdicts import lost_update_verdict

    async def show(pilot) -> None:
        screen = await open_exercise(pilot, "counter-race")
        screen.show_verdict(lost_update_verdict(coverage={"schedules": 37, "complete": True}))
        await pilot.pause()
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=show)


def test_results_at_60x20(snap_compare) -> None:
    from explained_verdicts import lost_update_verdict

    async def show(pilot) -> None:
        screen = await open_exercise(pilot, "counter-race")
        screen.show_verdict(lost_update_verdict())
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(60, 20), run_before=show)


def test_full_screen_timeline(snap_compare) -> None:
    async def show(pilot) -> None:
        screen = await open_exercise(pilot, "counter-race")
        screen.show_verdict(RACE_VERDICT)
        await pilot.pause()
        await pilot.press("f12", "down", "down")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=show)


def test_history_screen(snap_compare, tmp_path, monkeypatch) -> None:
    import time
    from datetime import UTC, datetime, timedelta

    from tutor.history import History
    from tutor.ui.screens.history import HistoryScreen

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    history = History(tmp_path / "history")
    start = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    starter = "import threading\n\nvalue = 0\n"
    history.record(starter, "starter", now=start)
    history.record(starter + "lock = threading.Lock()\n", "save", now=start + timedelta(minutes=3))
    history.record(starter + "lock = threading.Lock()\n# mine\n", "save",
                   now=start + timedelta(minutes=4))

    async def show(pilot) -> None:
        await open_exercise(pilot, "counter-race")
        pilot.app.push_screen(HistoryScreen("Lost update", history.versions(),
                                            starter + "# now\n", starter))
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=show)
    time.tzset()


def test_help_screen(snap_compare) -> None:
    async def show(pilot) -> None:
        await open_exercise(pilot, "counter-race")
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=show)


def test_reset_confirmation(snap_compare) -> None:
    async def show(pilot) -> None:
        screen = await open_exercise(pilot, "counter-race")
        screen.action_reset()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=show)


async def _show_solution(pilot) -> None:
    from tutor.ui.screens.solution import SolutionScreen

    screen = await open_exercise(pilot, "counter-race")
    ex = screen.exercise
    pilot.app.push_screen(
        SolutionScreen(ex.title, ex.starter_path.read_text(), ex.solution_path.read_text())
    )
    await pilot.pause()


def test_solution_side_by_side(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_show_solution)


def test_solution_as_a_diff(snap_compare) -> None:
    async def show_diff(pilot) -> None:
        await _show_solution(pilot)
        await pilot.press("d")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=show_diff)


def test_exercise_in_the_light_theme(snap_compare) -> None:
    async def open_light(pilot) -> None:
        screen = await open_exercise(pilot, "counter-race")
        pilot.app.action_toggle_theme()
        await wait_until(pilot, lambda: screen.editor.theme == "github_light")
        await pilot.pause()
        screen.editor.refresh()  # every line drawn again in the new theme
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_light)
