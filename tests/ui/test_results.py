"""The results of a check lead with the explanation, mark the conflict in the editor and the
timeline, and keep the grader's internal terms in the details (ctrl+t)."""

from __future__ import annotations

from explained_verdicts import TARGET, lost_update_verdict
from textual.widgets import Static
from ui_helpers import make_app, open_exercise

from tutor.ui.widgets.code_editor import CodeEditor
from tutor.ui.widgets.timeline import CONFLICT_MARK, Timeline


async def test_the_explanation_leads_and_the_conflict_is_marked_everywhere() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        screen.show_verdict(lost_update_verdict(coverage={"schedules": 37, "complete": True}))
        await pilot.pause()
        headline = screen.query_one("#verdict-headline", Static)
        assert headline.size.height == 1, "the headline is one line, cut with an ellipsis"
        summary = [str(headline.render())] + str(
            screen.query_one("#verdict-summary", Static).render()).splitlines()
        assert summary[1].startswith("T1 and T2 both read")
        assert "Look at line 14" in summary[-1] and "proved: all 37" in summary[-1]
        assert "check(state)" not in "\n".join(summary)

        editor = screen.query_one("#editor", CodeEditor)
        assert editor.marks == {14: "conflict", 15: "conflict"}
        assert editor.cursor_location[0] == 13, "the editor shows the line to look at first"

        timeline = screen.query_one("#timeline", Timeline)
        marked = [row for row in range(timeline.row_count)
                  if str(timeline.get_row_at(row)[0]).startswith(CONFLICT_MARK)]
        assert marked == [1, 3, 4, 6]
        cells = [str(cell) for cell in timeline.get_row_at(1)]
        assert any(cell.startswith(f"read {TARGET} → 0") for cell in cells)

        await pilot.press("ctrl+n", "ctrl+n")
        status = str(screen.query_one("#status-line").render())
        assert f"step 2/8 T1 L14: read {TARGET} → 0" in status


async def test_ctrl_t_shows_the_task_the_steps_and_the_details_in_turn() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(pilot, "counter-race")
        await pilot.press("ctrl+t")
        assert screen.pane == "task" and "no results yet" in str(
            screen.query_one("#status-line").render())
        screen.show_verdict(lost_update_verdict())
        await pilot.pause()
        assert screen.pane == "timeline"
        await pilot.press("ctrl+t")
        assert screen.pane == "details"
        details = screen.results.details.text
        assert "check(state)" in details and "v1:3>1" in details
        await pilot.press("ctrl+t", "ctrl+t")
        assert screen.pane == "timeline"
