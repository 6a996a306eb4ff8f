"""The exercise screen: the task, the learner's code in an editor, checks and their results.

The editor's text is saved through the learner state (atomic writes), a moment after typing
stops and whenever the screen is left. The working copy is watched: an edit made in another
window is loaded, and optionally checked at once, like rustlings' watch mode. Checks run in a
thread worker, so the keyboard keeps working while the grader runs, and can cancel it.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static, TextArea
from textual.worker import Worker, WorkerState

from tutor.ui.glyphs import STATUS_STYLE, difficulty_stars
from tutor.ui.widgets.results import ResultsPanel
from tutor.ui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from tutor.course import Exercise
    from tutor.state import LearnerState
    from tutor.verdict import Verdict

AUTOSAVE_DELAY_S = 1.0
WATCH_INTERVAL_S = 1.0
PROGRESS_INTERVAL_S = 0.5
_ERROR_LINE = re.compile(r"submission\.py(?:\", line |, line |:)(\d+)")
DARK_EDITOR_THEME = "monokai"
LIGHT_EDITOR_THEME = "github_light"


class ExerciseScreen(Screen[None]):
    """Edit, check, read hints; the results pane replaces the task pane after a check."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Save and go back (in the editor: leave it)"),
        Binding("ctrl+r,f5", "check", "Check", key_display="^r",
                tooltip="Grade your code with the hidden tests (again to cancel)"),
        Binding("ctrl+g,f2", "hint", "Hint", key_display="^g", tooltip="Show the next hint"),
        Binding("ctrl+n,f8", "step(1)", "Step", key_display="^n",
                tooltip="Next step of the failing interleaving"),
        Binding("ctrl+b,f7", "step(-1)", "Back step", show=False,
                tooltip="Previous step of the failing interleaving"),
        Binding("ctrl+s", "save", "Save", show=False, tooltip="Save now (saving is automatic)"),
        Binding("f6", "toggle_pane", "Task/results", show=False,
                tooltip="Switch the top pane between the task and the results"),
        Binding("ctrl+o", "external_editor", "Open in $EDITOR", show=False,
                tooltip="Edit the file in $VISUAL or $EDITOR, then reload it"),
        Binding("f3", "toggle_watch", "Auto-check", show=False,
                tooltip="Check again whenever the file changes on disk"),
        Binding("f4", "solution", "Solution", show=False,
                tooltip="The reference solution next to your code (after a pass)"),
        Binding("f9", "reset", "Reset", show=False,
                tooltip="Start over from the starter code (your code is backed up)"),
        Binding("f10", "restore", "Restore", show=False,
                tooltip="Bring back code saved by an earlier reset"),
        Binding("ctrl+l", "play", "Scheduler", show=False,
                tooltip="Be the scheduler: step the threads of a test by hand"),
        Binding("ctrl+home", "editor_edge('start')", "Top of file", show=False),
        Binding("ctrl+end", "editor_edge('end')", "End of file", show=False),
    ]

    def __init__(self, exercise: Exercise) -> None:
        super().__init__(id="exercise")
        self.exercise = exercise
        self.saved_text = ""
        self.auto_check = False
        self._disk_stamp: tuple[int, int] | None = None
        self._autosave_timer: Timer | None = None
        self._progress_timer: Timer | None = None
        self._check_started = 0.0
        self._cancel = threading.Event()
        self._check_worker: Worker[None] | None = None
        self.last_verdict: Verdict | None = None

    # -- layout ----------------------------------------------------------------------------

    @property
    def state(self) -> LearnerState:
        return self.app.state  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Static("", id="exercise-title", classes="title-bar")
        with VerticalScroll(id="task"):
            yield Static(self._task_text(), id="task-text")
        yield ResultsPanel(id="results")
        yield self._make_editor()
        yield Static("", id="status-line")
        yield Footer(compact=True)

    def _make_editor(self) -> TextArea:
        editor = TextArea.code_editor("", id="editor", soft_wrap=False)
        if "python" in editor.available_languages:
            editor.language = "python"
        if getattr(self.app, "quiet", False):
            editor.cursor_blink = False
        editor.theme = self._editor_theme()
        return editor

    def _editor_theme(self) -> str:
        dark = self.app.current_theme.dark if self.app.current_theme else True
        return DARK_EDITOR_THEME if dark else LIGHT_EDITOR_THEME

    def _task_text(self, hints: list[str] | None = None) -> Text:
        text = Text(self.exercise.task_text().strip())
        for number, hint in enumerate(hints or [], start=1):
            text.append(f"\nHint {number}: ", style="bold yellow")
            text.append(hint)
        return text

    def on_mount(self) -> None:
        state = self.state
        self.saved_text = state.read_code(self.exercise.id)
        editor = self.editor
        editor.load_text(self.saved_text)
        self._disk_stamp = self._stamp()
        state.touch(self.exercise.id)
        hints = state.hints_used(self.exercise.id)
        if hints:
            self.query_one("#task-text", Static).update(self._task_text(hints))
        self._show_pane("task")
        self._update_title()
        self._set_status("")
        if editor.language is None:
            self.notify("No syntax highlighting: install tree-sitter and tree-sitter-python.")
        self.set_interval(WATCH_INTERVAL_S, self._poll_disk)
        self.app.theme_changed_signal.subscribe(self, self._on_theme_changed)
        editor.focus()

    def _on_theme_changed(self, _theme: object) -> None:
        self.editor.theme = self._editor_theme()

    @property
    def editor(self) -> TextArea:
        return self.query_one("#editor", TextArea)

    @property
    def results(self) -> ResultsPanel:
        return self.query_one("#results", ResultsPanel)

    def _update_title(self) -> None:
        ex = self.exercise
        status = self.state.status(ex.id)
        title = Text(ex.title, style="bold")
        title.append(f"  {ex.kind} · {difficulty_stars(ex.difficulty)} · ")
        title.append(status, style=STATUS_STYLE.get(status, ""))
        self.query_one("#exercise-title", Static).update(title)

    def _set_status(self, message: str) -> None:
        parts = [message] if message else []
        parts.append("auto-check on (f3)" if self.auto_check else "watching the file")
        self.query_one("#status-line", Static).update(Text(" · ".join(parts)))

    def _show_pane(self, pane: str) -> None:
        self.query_one("#task").display = pane == "task"
        self.results.display = pane == "results"

    def action_toggle_pane(self) -> None:
        showing_task = bool(self.query_one("#task").display)
        self._show_pane("results" if showing_task else "task")

    def action_editor_edge(self, edge: str) -> None:
        """TextArea has no ctrl+home/ctrl+end; code editors do."""
        editor = self.editor
        editor.move_cursor(editor.document.end if edge == "end" else editor.document.start)
        editor.focus()

    # -- saving ----------------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id != "editor":
            return
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        if self.editor.text != self.saved_text:
            self._autosave_timer = self.set_timer(AUTOSAVE_DELAY_S, self.save_now)

    def save_now(self) -> bool:
        """Save the editor's text if it changed; True when something was written."""
        if not self.is_mounted:
            return False
        text = self.editor.text
        if text == self.saved_text:
            return False
        self.state.save_code(self.exercise.id, text)
        self.saved_text = text
        self._disk_stamp = self._stamp()
        self._set_status(f"saved {time.strftime('%H:%M:%S')}")
        return True

    def action_save(self) -> None:
        if not self.save_now():
            self._set_status("nothing to save")

    def action_back(self) -> None:
        self.save_now()
        self._cancel.set()
        self.dismiss()

    def on_unmount(self) -> None:
        self._cancel.set()

    # -- watching the file on disk ---------------------------------------------------------

    def _stamp(self) -> tuple[int, int] | None:
        try:
            info = self.state.working_copy(self.exercise.id).stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def _poll_disk(self) -> None:
        stamp = self._stamp()
        if stamp == self._disk_stamp:
            return
        self._disk_stamp = stamp
        if self.editor.text != self.saved_text:
            self.notify(
                "The file changed on disk while you were typing here; your edits are kept "
                "and will overwrite it (f9 resets, f10 restores a backup).",
                severity="warning",
                timeout=10,
            )
            return
        self.reload_from_disk("changed on disk: reloaded")
        if self.auto_check:
            self.action_check()

    def reload_from_disk(self, message: str) -> None:
        """Load the working copy into the editor (after a reset, restore or outside edit)."""
        text = self.state.read_code(self.exercise.id)
        self._disk_stamp = self._stamp()
        if text == self.editor.text:
            self.saved_text = text
            return
        cursor = self.editor.cursor_location
        self.editor.load_text(text)
        self.saved_text = text
        last_line = max(0, self.editor.document.line_count - 1)
        self.editor.cursor_location = (min(cursor[0], last_line), 0)
        self._set_status(message)

    def action_toggle_watch(self) -> None:
        self.auto_check = not self.auto_check
        self._set_status("")

    def action_external_editor(self) -> None:
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        path = self.state.working_copy(self.exercise.id)
        if not command:
            self.notify(
                f"Set $VISUAL or $EDITOR to edit here, or open {path} in any editor.",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        self.save_now()
        from textual.app import SuspendNotSupported

        try:
            with self.app.suspend():
                subprocess.call([*shlex.split(command), str(path)])
        except SuspendNotSupported:
            self.notify(
                "This terminal cannot hand over to another editor; edit the file in another "
                f"window: {path}",
                severity="warning",
                markup=False,
            )
            return
        except OSError as exc:
            self.notify(f"Could not run {command!r}: {exc}", severity="error", markup=False)
            return
        self.reload_from_disk("reloaded after your editor")

    # -- checking --------------------------------------------------------------------------

    @property
    def checking(self) -> bool:
        worker = self._check_worker
        return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def action_check(self) -> None:
        if self.checking:
            self._cancel.set()
            self._set_status("cancelling the check...")
            return
        self.save_now()
        self._cancel = threading.Event()
        self._check_started = time.monotonic()
        self._show_pane("results")
        self.results.show_progress("Checking... (^r again cancels)")
        self._progress_timer = self.set_interval(PROGRESS_INTERVAL_S, self._show_check_progress)
        path = self.state.working_copy(self.exercise.id)
        self._check_worker = self._grade(path, self._cancel)

    def _show_check_progress(self) -> None:
        elapsed = time.monotonic() - self._check_started
        self._set_status(f"checking {elapsed:.0f}s ({self.exercise.timeout_s:.0f}s limit)")

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def _grade(self, path: Path, cancel: threading.Event) -> None:
        """Runs in a thread: grading blocks on a child process, never on the event loop."""
        try:
            from tutor.grading import grade

            verdict = grade(self.exercise, path, cancel=cancel)
        except Exception as exc:  # noqa: BLE001 - shown to the learner, not a crash
            self.app.call_from_thread(self._check_failed, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._check_finished, verdict, cancel.is_set())

    def _stop_progress(self) -> None:
        if self._progress_timer is not None:
            self._progress_timer.stop()
            self._progress_timer = None

    def _check_failed(self, message: str) -> None:
        self._stop_progress()
        self.results.show_progress(f"The grader failed: {message}")
        self._set_status("check failed")

    def _check_finished(self, verdict: Verdict, cancelled: bool) -> None:
        self._stop_progress()
        if cancelled:
            self.results.show_progress("Check cancelled.")
            self._set_status("check cancelled")
            return
        self.state.record_verdict(self.exercise.id, verdict.to_dict())
        self.show_verdict(verdict)
        self._update_title()
        self._set_status(f"checked {time.strftime('%H:%M:%S')}")
        if verdict.passed:
            self.notify("Passed! f4 shows the reference solution.", title="Well done")

    def show_verdict(self, verdict: Verdict) -> None:
        """Display a verdict in the results pane (also used by snapshot tests)."""
        self.last_verdict = verdict
        self._show_pane("results")
        self.results.show_verdict(verdict)
        failure = verdict.failure
        if failure is not None and not failure.timeline:
            match = _ERROR_LINE.search(failure.message)
            if match:
                self._highlight_line(int(match.group(1)))

    def _highlight_line(self, line: int) -> None:
        """Select a 1-based line of the learner's file in the editor and scroll to it."""
        editor = self.editor
        row = max(0, min(line - 1, editor.document.line_count - 1))
        editor.select_line(row)
        editor.scroll_cursor_visible(center=True)

    def show_line(self, line: int) -> None:
        """Show a 1-based line of the learner's file (the scheduler screen's ``e``)."""
        self._highlight_line(line)

    def action_play(self) -> None:
        """Open the scheduler screen on the working copy (``tutor.ui.screens.play``)."""
        from tutor.ui.screens.play import PlayScreen

        self.save_now()
        strict = self.state.course.strict
        path = self.state.working_copy(self.exercise.id)
        screen = PlayScreen(self.exercise, path, strict=strict)
        self.app.push_screen(screen, lambda line: line is not None and self.show_line(line))

    # -- the timeline ----------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        timeline = self.results.timeline
        if not timeline.steps:
            self._set_status("no interleaving to step through")
            return
        self._show_pane("results")
        timeline.step_by(delta)

    def on_timeline_step_highlighted(self, event: Timeline.StepHighlighted) -> None:
        step = event.step
        what = step.note or step.source.strip()
        self.query_one("#status-line", Static).update(Text(
            f"step {step.number}/{len(self.results.timeline.steps)} {step.thread}"
            f"{' ' + step.location if step.location else ''}: {what}"
        ))
        if step.in_submission and step.line >= 1:
            self._highlight_line(step.line)

    # -- hints, reset, restore, solution ---------------------------------------------------

    def action_hint(self) -> None:
        revealed = self.state.next_hint(self.exercise.id)
        if revealed is None:
            total = len(self.exercise.hints)
            self.notify("No more hints." if total else "This exercise has no hints.")
        else:
            number, hint = revealed
            self.notify(hint, title=f"Hint {number}/{len(self.exercise.hints)}", timeout=10,
                        markup=False)
        hints = self.state.hints_used(self.exercise.id)
        self.query_one("#task-text", Static).update(self._task_text(hints))
        self._show_pane("task")

    def action_reset(self) -> None:
        from tutor.ui.screens.dialogs import ConfirmScreen

        self.save_now()
        question = (
            f"Reset {self.exercise.title!r} to the starter code?\n"
            "Your current code is kept as a backup (f10 restores it)."
        )
        self.app.push_screen(ConfirmScreen(question), self._reset_confirmed)

    def _reset_confirmed(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        backup = self.state.reset(self.exercise.id)
        self.reload_from_disk("reset to the starter")
        if backup is not None:
            self.notify(f"Your code was backed up as {backup.name}; f10 restores it.")

    def action_restore(self) -> None:
        from tutor.ui.screens.dialogs import RestoreScreen

        backups = self.state.backups(self.exercise.id)
        if not backups:
            self.notify("No backups yet: a reset makes one.")
            return
        self.save_now()
        self.app.push_screen(RestoreScreen(backups), self._restore_chosen)

    def _restore_chosen(self, backup: Path | None) -> None:
        if backup is None:
            return
        self.state.restore(self.exercise.id, backup)
        self.reload_from_disk(f"restored {backup.name}")

    def action_solution(self) -> None:
        if self.state.status(self.exercise.id) != "passed":
            self.notify("The reference solution opens once your code passes.")
            return
        from tutor.ui.screens.solution import SolutionScreen

        solution = self.exercise.solution_path.read_text(encoding="utf-8")
        self.app.push_screen(SolutionScreen(self.exercise.title, self.editor.text, solution))
