"""Every screen fits: prose wraps to the pane, the timeline uses the width it has, cut titles
end with an ellipsis, nothing is out of reach at 60x20, and messages never pile up."""

from __future__ import annotations

from explained_verdicts import lost_update_verdict
from textual.widgets import OptionList, Static
from textual.widgets._toast import ToastRack
from ui_helpers import make_app, open_exercise, settle, wait_until

from tutor.ui.screens.help import HelpScreen
from tutor.ui.screens.timeline_view import TimelineScreen
from tutor.ui.widgets.code_editor import CodeEditor
from tutor.ui.widgets.timeline import Timeline


async def test_prose_and_code_wrap_to_the_pane_at_80_columns() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "transfer-deadlock")  # an 84-column first line
        task = screen.query_one("#task")
        text = screen.query_one("#task-text", Static)
        assert task.max_scroll_x == 0 and text.region.right <= 80
        assert text.size.height >= 2, "the long line wrapped"
        editor = screen.query_one("#editor", CodeEditor)
        assert editor.soft_wrap and editor.max_scroll_x == 0


async def _shown(pilot, size: tuple[int, int]):
    app = pilot.app
    screen = await open_exercise(pilot, "counter-race")
    screen.show_verdict(lost_update_verdict())
    await pilot.pause()
    return app, screen, screen.query_one("#timeline", Timeline)


async def test_the_timeline_uses_a_wide_terminal() -> None:
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        _, _, timeline = await _shown(pilot, (200, 50))
        widths = [column.width for column in timeline.columns.values()]
        assert widths[-1] > 70 and widths[-2] > 70, widths
        assert timeline.max_scroll_x == 0


async def test_at_60x20_both_threads_stay_on_screen() -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        _, screen, timeline = await _shown(pilot, (60, 20))
        labels = [str(column.label) for column in timeline.columns.values()]
        assert "T1" in labels and "T2" in labels
        assert timeline.max_scroll_x == 0, "no thread column is cut off"
        await pilot.press("f12")
        assert isinstance(app.screen, TimelineScreen)
        full = app.screen.query_one(Timeline)
        assert full.row_count == len(lost_update_verdict().failure.timeline)
        await pilot.press("down", "down", "escape")
        assert app.screen is screen and timeline.cursor_row == 2


async def test_at_60x20_the_help_fits_and_scrolls_to_every_key() -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await open_exercise(pilot, "counter-race")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body")
        assert body.region.right <= 60 and body.region.bottom <= 20
        assert body.max_scroll_y > 0, "the rest of the keys are a scroll away"


async def test_cut_titles_end_with_an_ellipsis() -> None:
    from tutor.ui.app import TutorApp

    app = TutorApp(None)  # the built-in course has long titles
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        prompts = [str(o.prompt) for o in app.screen.query_one("#map-list", OptionList).options]
        cut = [p for p in prompts if "…" in p]
        assert cut and all(len(p) <= 56 for p in prompts if p.startswith("  "))


async def test_notifications_are_short_never_pile_up_and_hints_go_under_the_task() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        app.clear_notifications()  # where tree-sitter is missing, the one plain-text notice
        await pilot.press("ctrl+g", "ctrl+g")
        assert not app._notifications, "hints are shown in the task pane, not in toasts"
        assert "hint 2 of" in str(screen.query_one("#status-line").render())
        app.say("one")
        app.say("two")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["two"]
        rack = app.screen.get_child_by_type(ToastRack)
        assert rack.styles.align_vertical == "top"
        (toast,) = rack.query("Toast")
        assert toast.region.bottom <= 6, "the toast stays over the title and task, not the editor"


async def test_the_first_line_of_the_results_is_one_line_at_60_columns() -> None:
    from dataclasses import replace

    from tutor.verdict import TestResult

    verdict = lost_update_verdict()
    verdict = replace(verdict, tests=[TestResult(
        "test_downloads_are_in_flight_together_and_all_done_on_return", "failed", "")])
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        screen.show_verdict(verdict)
        await pilot.pause()
        headline = screen.query_one("#verdict-headline", Static)
        assert headline.size.height == 1 and headline.region.right <= 60
        frame = "\n".join(  # the frame as drawn
            "".join(segment.text for segment in strip)
            for strip in app.screen._compositor.render_strips()
        )
        assert "✗ Failed · race · test_downloads_are_in_flight" in frame and "…" in frame


async def test_at_60_columns_every_footer_key_is_whole() -> None:
    from textual.widgets._footer import FooterKey

    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        for opened in ("map", "exercise"):
            if opened == "exercise":
                await open_exercise(pilot, "counter-race")
            await wait_until(pilot, lambda: all(
                k.region.width > 0 for k in app.screen.query(FooterKey)))
            keys = list(app.screen.query(FooterKey))
            assert max(k.region.right for k in keys) <= 60, opened
            shown = {k.key_display or k.key for k in keys}
            assert "f1" in shown, f"the help key is visible on the {opened} at 60 columns"


async def test_a_long_course_description_is_cut_with_an_ellipsis(tmp_path) -> None:
    import shutil

    from ui_helpers import FIXTURE_COURSE

    from tutor.ui.app import TutorApp

    course = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, course)
    toml = course / "course.toml"
    long = "a description far longer than any terminal is wide, " * 4
    text = toml.read_text(encoding="utf-8")
    if "description" in text:
        text = "\n".join(
            line for line in text.splitlines() if not line.startswith("description")
        ) + "\n"
    toml.write_text(text + f'description = "{long.strip()}"\n', encoding="utf-8")
    app = TutorApp(course)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        title = app.screen.query_one("#map-title", Static)
        line = title.render_line(0).text if hasattr(title, "render_line") else ""
        assert title.size.height == 1
        assert line.rstrip().endswith("…"), line
