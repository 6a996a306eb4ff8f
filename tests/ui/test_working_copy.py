"""The learner's work is never lost: outside deletes and edits, steady typing, undo, history."""

from __future__ import annotations

import asyncio
import os
import time

from textual.widgets import OptionList
from ui_helpers import make_app, open_exercise, status_text, wait_until

from tutor.ui.screens.history import HistoryScreen
from tutor.ui.widgets.code_editor import CodeEditor
from tutor.ui.working_copy import AUTOSAVE_DELAY_S


def _touch_later(path) -> None:
    """Make sure the watcher sees a new modification time, whatever the clock granularity."""
    later = time.time_ns() + 2_000_000_000
    os.utime(path, ns=(later, later))


async def test_an_outside_delete_with_the_exercise_open_loses_nothing() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", CodeEditor)
        path = app.state.work_path("counter-race")
        await pilot.press("ctrl+end", *"# mine", "ctrl+s")
        mine = editor.text
        assert path.read_text() == mine
        path.unlink()  # deleted in another window
        await wait_until(pilot, lambda: path.exists() and path.read_text() == mine)
        assert editor.text == mine, "the editor still holds the learner's code"
        assert "deleted outside the tutor" in status_text(app) and "written back" in status_text(app)
        assert app.state.history("counter-race").latest().read_text() == mine


async def test_an_outside_truncation_is_written_back_too() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", CodeEditor)
        path = app.state.work_path("counter-race")
        mine = editor.text
        path.write_text("")
        _touch_later(path)
        await wait_until(pilot, lambda: path.read_text() == mine)
        assert editor.text == mine and "emptied outside the tutor" in status_text(app)


async def test_an_outside_edit_is_reloaded_as_one_undoable_edit() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", CodeEditor)
        path = app.state.work_path("counter-race")
        await pilot.press("ctrl+end", *"# typed here")
        await wait_until(pilot, lambda: path.read_text().endswith("# typed here"),
                          timeout_s=AUTOSAVE_DELAY_S + 10)
        mine = editor.text
        outside = mine.replace("NO_LOCK:", "self.lock:")
        path.write_text(outside)
        _touch_later(path)
        await wait_until(pilot, lambda: editor.text == outside)
        assert "reloaded" in status_text(app) and "ctrl+z" in status_text(app)
        await pilot.press("ctrl+z")  # undo survives the save and the reload
        assert editor.text == mine
        await pilot.press("ctrl+z")
        assert not editor.text.endswith("# typed here"), "and the typing before it"
        reasons = [v.reason for v in app.state.history("counter-race").versions()]
        assert "outside" in reasons, "the outside version is in the history"


async def test_an_outside_edit_while_typing_keeps_the_typing() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", CodeEditor)
        path = app.state.work_path("counter-race")
        screen.keeper.saved_text = editor.text
        outside = editor.text + "# from vim\n"
        editor.insert("# typed, not saved yet\n", editor.document.end)
        typed = editor.text
        path.write_text(outside)
        _touch_later(path)
        await wait_until(pilot, lambda: "typing is kept" in status_text(app))
        assert editor.text == typed
        await wait_until(pilot, lambda: path.read_text() == typed)
        texts = [v.read_text() for v in app.state.history("counter-race").versions()]
        assert outside in texts, "the other version is kept in the history"


async def test_a_steady_typist_is_saved_every_second_not_only_in_pauses() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_exercise(pilot, "counter-race")
        path = app.state.work_path("counter-race")
        await pilot.press("ctrl+end")
        saved_while_typing = False
        started = time.monotonic()
        for key in "# typing without a pause":  # one key every 0.2 s, never a 1 s pause
            await pilot.press(key if key != " " else "space")
            await asyncio.sleep(0.2)
            if "# typ" in path.read_text():
                saved_while_typing = True
                break
        assert saved_while_typing, "nothing was saved during steady typing"
        assert time.monotonic() - started < AUTOSAVE_DELAY_S + 3


async def test_the_history_screen_diffs_and_restores_and_ctrl_z_undoes_it() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        editor = screen.query_one("#editor", CodeEditor)
        starter = editor.text
        await pilot.press("ctrl+end", *"# first", "ctrl+s", "enter", *"# second", "ctrl+s")
        second = editor.text
        await pilot.press("f9")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        prompts = [str(o.prompt) for o in history.query_one(OptionList).options]
        assert len(prompts) >= 4 and "saved" in prompts[0] and "starter" in prompts[-1]
        assert prompts[0].startswith("  1  ") and "the starter code" in prompts[-2]
        first = next(i for i, v in enumerate(history.versions)
                     if v.read_text().rstrip().endswith("# first"))
        await pilot.press(*["down"] * first)
        assert "-# second" in history.diff_shown
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert editor.text.endswith("# first\n") or editor.text.endswith("# first")
        assert app.state.read_code("counter-race") == editor.text
        await pilot.press("ctrl+z")
        assert editor.text == second
        await pilot.press("f9", "end", "enter")  # the starter code: a reset
        await pilot.pause()
        assert editor.text == starter
        assert "reset to the starter" in status_text(app)
