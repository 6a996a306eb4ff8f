"""The app is built the way Textual apps are: one widget per role with its own DEFAULT_CSS,
small screen modules, worker results as messages."""

from __future__ import annotations

import inspect
from pathlib import Path

from tutor.ui.checking import CheckDone
from tutor.ui.screens import exercise
from tutor.ui.widgets.code_editor import CodeEditor
from tutor.ui.widgets.results import ResultsPanel
from tutor.ui.widgets.status_line import StatusLine
from tutor.ui.widgets.task_pane import TaskPane
from tutor.ui.widgets.timeline import Timeline

SCREENS = Path(exercise.__file__).parent
MAX_SCREEN_LINES = 250


def test_no_screen_module_is_over_250_lines() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines())
             for p in SCREENS.glob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_SCREEN_LINES} == {}


def test_each_role_is_a_widget_with_its_own_css() -> None:
    for widget in (CodeEditor, StatusLine, ResultsPanel, TaskPane, Timeline):
        assert widget.__name__ in widget.DEFAULT_CSS, widget


def test_the_check_result_comes_back_as_a_message_handled_with_on() -> None:
    source = inspect.getsource(exercise.ExerciseScreen)
    assert "@on(CheckDone)" in source and "post_message(run_check(" in source
    assert "call_from_thread" not in source
    assert CheckDone.__mro__[1].__name__ == "Message"
