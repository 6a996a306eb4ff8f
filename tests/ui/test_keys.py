"""Keys do what the help says: no tutor key collides with the editor's or a terminal
multiplexer's, every exercise key works from inside the editor, the tutor marks lines instead
of selecting them, and Enter indents like a Python editor."""

from __future__ import annotations

import pytest
from textual.binding import Binding
from ui_helpers import make_app, open_exercise

from tutor.ui.app import TutorApp
from tutor.ui.screens.course_map import CourseMapScreen
from tutor.ui.screens.demo import DemoPickerScreen, DemoScreen
from tutor.ui.screens.dialogs import ConfirmScreen
from tutor.ui.screens.exercise import ExerciseScreen
from tutor.ui.screens.help import HelpScreen, bindings_of
from tutor.ui.screens.history import HistoryScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.solution import SolutionScreen
from tutor.ui.screens.timeline_view import TimelineScreen
from tutor.ui.widgets.code_editor import CodeEditor, next_line_indent

SCREENS = (CourseMapScreen, LessonScreen, ExerciseScreen, HistoryScreen, TimelineScreen,
           SolutionScreen, DemoScreen, DemoPickerScreen, ConfirmScreen, HelpScreen)
MULTIPLEXER_PREFIXES = {"ctrl+b": "tmux", "ctrl+a": "GNU screen"}


def own_bindings(cls: type) -> list[Binding]:
    """The bindings the tutor declares (Textual's own base classes' are Textual's design)."""
    return [b for klass in cls.__mro__ if klass.__module__.startswith("tutor.")
            for b in klass.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]


def _keys(bindings: list[Binding]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for binding in bindings:
        for key in binding.key.split(","):
            keys.setdefault(key.strip(), binding.action)
    return keys


def editor_keys() -> set[str]:
    """Every key the focused editor consumes: its bindings and the keys it types."""
    keys = set(_keys(bindings_of(CodeEditor)))
    keys |= {k.strip() for keys_text, _ in CodeEditor.HELP_KEYS for k in keys_text.split("/")}
    return keys


def test_no_key_collides_with_the_editor_or_a_terminal_multiplexer() -> None:
    app_keys = _keys(own_bindings(TutorApp))
    problems = []
    for screen in SCREENS:
        own = _keys(own_bindings(screen))
        for key, action in own.items():
            if key in MULTIPLEXER_PREFIXES:
                problems.append(f"{screen.__name__}: {key} is {MULTIPLEXER_PREFIXES[key]}'s prefix")
            if key in app_keys and app_keys[key] != action and screen is not HelpScreen:
                problems.append(f"{screen.__name__}: {key} is also the app's {app_keys[key]}")
    for key in app_keys:
        if key in MULTIPLEXER_PREFIXES:
            problems.append(f"app: {key} is {MULTIPLEXER_PREFIXES[key]}'s prefix")
    consumed = editor_keys()
    exercise_keys = {**app_keys, **_keys(own_bindings(ExerciseScreen))}
    priority = {k for b in own_bindings(TutorApp) if b.priority for k in b.key.split(",")}
    for key, action in exercise_keys.items():
        printable = len(key) == 1 or key in ("question_mark", "space")
        if (key in consumed or printable) and key not in priority:
            problems.append(f"exercise screen: {key} ({action}) is taken by the editor")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("owner", "key_binding"), [
    pytest.param(owner, b, id=f"{b.action}:{b.key}")
    for owner, cls in (("screen", ExerciseScreen), ("app", TutorApp))
    for b in own_bindings(cls)
])
async def test_every_exercise_key_does_its_action_from_inside_the_editor(
    owner: str, key_binding: Binding
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", CodeEditor)
        name = key_binding.action.split("(")[0]
        target = screen if owner == "screen" else app
        for key in key_binding.key.split(","):
            calls: list[str] = []
            setattr(target, f"action_{name}", lambda *args, _c=calls: _c.append("called"))
            editor.focus()
            text = editor.text
            await pilot.press(key.strip())
            await pilot.pause()
            assert calls == ["called"], f"{key} in the editor did not run {key_binding.action}"
            assert editor.text == text, f"{key} changed the text"
            assert editor.selection.is_empty, f"{key} selected text"


async def test_the_help_lists_the_screen_keys_then_the_focused_editors() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_exercise(pilot, "counter-race")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        texts = [str(s.render()) for s in app.screen.query("Static")]
        assert texts[0] == "Exercise: keys"
        assert "ctrl+l / f3" in texts[1] and "Previous step" in texts[1]
        assert "f6" not in texts[1] and "f7" not in texts[1], "no key hides under the editor's"
        assert texts[2].startswith("In the editor") and "ctrl+z" in texts[3]


async def test_lines_the_tutor_shows_are_marked_not_selected() -> None:
    from explained_verdicts import lost_update_verdict

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", CodeEditor)
        screen.show_verdict(lost_update_verdict())
        await pilot.pause()
        assert editor.marks == {14: "conflict", 15: "conflict"}
        await pilot.press("ctrl+n", "ctrl+n")  # step 2: T1 at line 14
        assert editor.marks[14] == "step" and editor.selection.is_empty
        editor.focus()
        line = editor.document.get_line(13)
        await pilot.press("tab")  # indents at the cursor; the line is not replaced
        assert editor.document.get_line(13).strip() == line.strip()
        assert len(editor.document.get_line(13)) == len(line) + 4


def test_enter_keeps_the_indentation_and_adds_a_level_after_a_colon() -> None:
    assert next_line_indent("def f(x):", 4) == "    "
    assert next_line_indent("    with lock:  # guarded", 4) == "        "
    assert next_line_indent("        return x", 4) == "    "
    assert next_line_indent("    x = 1", 4) == "    "
    assert next_line_indent("", 4) == ""


async def test_enter_in_the_editor_indents() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", CodeEditor)
        await pilot.press("ctrl+end", *"def f():", "enter", *"return 1", "enter", "x")
        assert editor.text.endswith("def f():\n    return 1\nx")
