"""The exercise screen's secondary actions: hints, panes, history, solution, other editors.

A mixin of ``ExerciseScreen`` (which provides ``editor``, ``keeper``, ``results``, ``status``,
``show_pane`` and ``tutor``), so the screen module keeps to its wiring. Each action that opens
another screen gets its answer back through a callback and applies it through the keeper, so
restores and resets are undoable edits in the editor and versions in the history.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from typing import TYPE_CHECKING, Any, ClassVar

from tutor.verdict import Verdict

if TYPE_CHECKING:
    from tutor.ui.screens.history import HistoryChoice

PANE_ORDER = ("task", "timeline", "details")


def syntax_error_line(verdict: Verdict, text: str) -> int | None:
    """The line of a syntax error in the learner's code, found by compiling it here (the
    grader's rendered message is never parsed)."""
    if verdict.status != "error":
        return None
    explanation = verdict.failure.explanation if verdict.failure else None
    if isinstance(explanation, dict) and isinstance(explanation.get("line"), int):
        return int(explanation["line"])
    try:
        compile(text, "submission.py", "exec")
    except SyntaxError as exc:
        return exc.lineno or None
    except ValueError:  # null bytes
        return None
    return None


class ExerciseActions:
    """Actions of the exercise screen that are not about editing or checking."""

    # Extra command-palette entries (title, help, action) for actions without a key.
    PALETTE: ClassVar[list[tuple[str, str, str]]] = [
        ("Reset to the starter", "Start over; your code stays in the history", "reset"),
        ("Auto-check", "Check again whenever the file changes on disk (toggle)",
         "toggle_auto_check"),
    ]

    if TYPE_CHECKING:  # provided by ExerciseScreen
        editor: Any
        keeper: Any
        results: Any
        status: Any
        exercise: Any
        tutor: Any
        app: Any
        pane: str
        auto_check: bool

        def show_pane(self, pane: str) -> None: ...
        def save_now(self) -> bool: ...
        def dismiss(self, result: Any = None) -> Any: ...
        def _show_mode(self) -> None: ...
        def show_line(self, line: int) -> None: ...

    def action_back(self) -> None:
        """Escape: from the editor, leave it (to the results or the task); else go back."""
        if self.editor.screen.focused is self.editor:  # has_focus lags a key behind
            target = self.results.timeline if self.pane == "timeline" else None
            if target is not None and target.steps:
                target.focus()
            else:
                self.editor.screen.focus_next()
            return
        self.save_now()
        self.dismiss()

    def action_save(self) -> None:
        if not self.save_now():
            self.status.say("nothing to save: every change is on disk")

    def action_editor_edge(self, edge: str) -> None:
        """TextArea has no ctrl+home / ctrl+end; code editors do."""
        document = self.editor.document
        self.editor.move_cursor(document.end if edge == "end" else document.start)
        self.editor.focus()

    def action_hint(self) -> None:
        state = self.tutor.state
        revealed = state.next_hint(self.exercise.id)
        total = len(self.exercise.hints)
        if revealed is None:
            self.status.say("no more hints" if total else "this exercise has no hints")
        else:
            self.status.say(f"hint {revealed[0]} of {total} is under the task")
        self.editor.screen.query_one("#task").show_hints(state.hints_used(self.exercise.id))
        self.show_pane("task")

    def action_cycle_pane(self) -> None:
        """Task, then the steps, then the details (the steps only when there are some)."""
        if self.results.verdict is None:
            self.show_pane("task")
            self.status.say("no results yet: ^r checks your code")
            return
        order = [p for p in PANE_ORDER if p != "timeline" or self.results.timeline.steps]
        self.show_pane(order[(order.index(self.pane) + 1) % len(order)]
                       if self.pane in order else order[0])

    def action_toggle_auto_check(self) -> None:
        self.auto_check = not self.auto_check
        self._show_mode()

    def action_full_timeline(self) -> None:
        from tutor.ui.screens.timeline_view import TimelineScreen

        timeline = self.results.timeline
        if not timeline.steps:
            self.status.say("no interleaving to show")
            return

        def back_at(row: int | None) -> None:
            if row is not None:
                self.show_pane("timeline")
                timeline.show_steps(timeline.steps, cursor=row)
                timeline.announce()

        self.app.push_screen(
            TimelineScreen(timeline.steps, timeline.cursor_row, self.exercise.title), back_at)

    def action_history(self) -> None:
        from tutor.ui.screens.history import HistoryScreen

        self.save_now()
        versions = self.tutor.state.history(self.exercise.id).versions()
        starter = self.exercise.starter_path.read_text(encoding="utf-8")
        self.app.push_screen(HistoryScreen(self.exercise.title, versions, self.editor.text,
                                           starter), self._history_chosen)

    def _history_chosen(self, choice: HistoryChoice | None) -> None:
        if choice is None:
            return
        if choice.version is None:
            changed = self.keeper.reset()
            self.status.say("reset to the starter (ctrl+z or f9 brings your code back)"
                            if changed else "this already is the starter code")
        else:
            self.keeper.restore(choice.version)
            self.status.say("restored an older version (ctrl+z or f9 undoes it)")

    def action_reset(self) -> None:
        from tutor.ui.screens.dialogs import ConfirmScreen

        question = (f"Reset {self.exercise.title!r} to the starter code?\n"
                    "Your code stays in the history (f9 brings it back).")

        def confirmed(yes: bool | None) -> None:
            if yes:
                from tutor.ui.screens.history import HistoryChoice

                self._history_chosen(HistoryChoice(None))

        self.app.push_screen(ConfirmScreen(question), confirmed)

    def action_solution(self) -> None:
        if self.tutor.state.status(self.exercise.id) != "passed":
            self.status.say("the reference solution opens once your code passes")
            return
        if not self.exercise.has_solution:
            self.status.say("this exercise has no reference solution")
            return
        from tutor.ui.screens.solution import SolutionScreen

        solution = self.exercise.solution_path.read_text(encoding="utf-8")
        self.app.push_screen(SolutionScreen(self.exercise.title, self.editor.text, solution))

    def action_play(self) -> None:
        """Open the scheduler screen on the working copy (``tutor.ui.screens.play``)."""
        from tutor.ui.screens.play import PlayScreen

        self.save_now()
        strict = self.tutor.state.course.strict
        path = self.tutor.state.working_copy(self.exercise.id)
        screen = PlayScreen(self.exercise, path, strict=strict)
        self.app.push_screen(screen, lambda line: line is not None and self.show_line(line))

    def action_external_editor(self) -> None:
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        path = self.tutor.state.working_copy(self.exercise.id)
        if not command:
            self.status.say(f"set $VISUAL or $EDITOR, or open {path} in any editor", "warning")
            return
        self.save_now()
        from textual.app import SuspendNotSupported

        try:
            with self.app.suspend():
                subprocess.call([*shlex.split(command), str(path)])
        except SuspendNotSupported:
            self.status.say(f"this terminal cannot hand over to another editor: {path}",
                            "warning")
            return
        except OSError as exc:
            self.status.say(f"could not run {command!r}: {exc}", "error")
            return
        news = self.keeper.poll()
        self.status.say(news.message if news else "back from your editor: no change")
