"""The exercise screen: the task, the learner's code, checks and their results.

The screen only wires widgets together: the ``CodeEditor`` edits, a ``WorkingCopyKeeper``
saves and watches the file, the check runs in a thread worker whose result comes back as a
``CheckDone`` message, the ``ResultsPanel`` shows the verdict and its ``Timeline``, and the
``StatusLine`` says what happened (no toast ever covers the editor).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import TextArea

from tutor.course import Exercise
from tutor.failure_text import conflict_lines
from tutor.ui.base import TutorScreen
from tutor.ui.checking import CheckDone, run_check
from tutor.ui.screens import exercise_actions
from tutor.ui.widgets.code_editor import CodeEditor, MarkKind
from tutor.ui.widgets.footer import TutorFooter
from tutor.ui.widgets.results import ResultsPanel
from tutor.ui.widgets.status_line import StatusLine
from tutor.ui.widgets.task_pane import TaskPane
from tutor.ui.widgets.timeline import Timeline
from tutor.ui.widgets.title_bar import ExerciseTitle
from tutor.ui.working_copy import News, WorkingCopyKeeper
from tutor.verdict import Verdict

WATCH_INTERVAL_S = 1.0
PROGRESS_INTERVAL_S = 0.5


class ExerciseScreen(exercise_actions.ExerciseActions, TutorScreen[None]):
    """Edit, check, read hints; the results pane replaces the task pane after a check."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=False,
                tooltip="Leave the editor; elsewhere: save, go back"),
        Binding("ctrl+r,f5", "check", "Check", key_display="^r",
                tooltip="Grade your code with the hidden tests (again: cancel)"),
        Binding("ctrl+g,f2", "hint", "Hint", key_display="^g", tooltip="Show the next hint"),
        Binding("ctrl+n,f8", "step(1)", "Step", key_display="^n",
                tooltip="Next step of the failing interleaving (the editor marks its line)"),
        Binding("ctrl+l,f3", "step(-1)", "Step back", show=False,
                tooltip="Previous step of the failing interleaving"),
        Binding("f9", "history", "History", tooltip="Saved versions of your code: diff, "
                "restore one, or reset to the starter"),
        Binding("ctrl+t", "cycle_pane", "Task/results", show=False,
                tooltip="Show the task, the steps, or the grader's details"),
        Binding("f12", "full_timeline", "Full timeline", show=False,
                tooltip="The failing interleaving on the whole screen"),
        Binding("f4", "solution", "Solution", show=False,
                tooltip="The reference solution next to your code (after a pass)"),
        Binding("f10", "play", "Scheduler", show=False,
                tooltip="Be the scheduler: step the threads of a test by hand"),
        Binding("ctrl+s", "save", "Save", show=False, tooltip="Save now (saving is automatic)"),
        Binding("ctrl+o", "external_editor", "Open in $EDITOR", show=False,
                tooltip="Edit the file in $VISUAL or $EDITOR, then reload it"),
        Binding("ctrl+home", "editor_edge('start')", "Top of file", show=False),
        Binding("ctrl+end", "editor_edge('end')", "End of file", show=False),
    ]

    def __init__(self, exercise: Exercise) -> None:
        super().__init__(id="exercise")
        self.exercise = exercise
        self.auto_check = False
        self.last_verdict: Verdict | None = None
        self.pane = "task"
        self._cancel = threading.Event()
        self._check_started: float | None = None

    def compose(self) -> ComposeResult:
        state = self.tutor.state
        yield ExerciseTitle(self.exercise, id="exercise-title")
        yield TaskPane(self.exercise.task_text(), state.hints_used(self.exercise.id), id="task")
        yield ResultsPanel(id="results")
        yield CodeEditor(quiet=self.tutor.quiet, id="editor")
        yield StatusLine(id="status-line")
        yield TutorFooter()

    def on_mount(self) -> None:
        self.keeper = WorkingCopyKeeper(self.tutor.state, self.exercise.id, self.editor)
        self.keeper.load()
        self.tutor.state.touch(self.exercise.id)
        self.show_pane("task")
        self.update_title()
        self._show_mode()
        if not self.editor.highlighting:
            self.tutor.say_once("plain-editor", "No syntax highlighting on this Python "
                                "(tree-sitter is not installed): the editor shows plain text.")
        self.set_interval(WATCH_INTERVAL_S, self._poll_disk)
        self.set_interval(PROGRESS_INTERVAL_S, self._show_check_progress)
        self.editor.focus()

    # -- parts -----------------------------------------------------------------------------

    @property
    def editor(self) -> CodeEditor:
        return self.query_one("#editor", CodeEditor)

    @property
    def results(self) -> ResultsPanel:
        return self.query_one("#results", ResultsPanel)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status-line", StatusLine)

    def update_title(self) -> None:
        status = self.tutor.state.status(self.exercise.id)
        self.query_one("#exercise-title", ExerciseTitle).show_status(status)

    def _show_mode(self) -> None:
        self.status.mode = "auto-check on" if self.auto_check else "watching the file"

    def tell(self, news: News | None) -> None:
        if news is not None:
            self.status.say(f"{news.message} {time.strftime('%H:%M:%S')}", news.severity)

    def show_pane(self, pane: str) -> None:
        self.pane = pane
        self.query_one("#task").display = pane == "task"
        self.results.display = pane != "task"
        if pane != "task":
            self.results.view = "details" if pane == "details" else "timeline"

    # -- saving and watching ---------------------------------------------------------------

    @on(TextArea.Changed, "#editor")
    def _typed(self) -> None:
        self.keeper.text_changed()

    def save_now(self) -> bool:
        """Save the editor's text if it changed (the app calls this on quit)."""
        if not self.is_mounted:
            return False
        news = self.keeper.save_now()
        self.tell(news)
        return news is not None and news.severity == "information"

    def _poll_disk(self) -> None:
        news = self.keeper.poll()
        self.tell(news)
        if news is not None and news.reloaded and self.auto_check:
            self.action_check()

    def on_unmount(self) -> None:
        self._cancel.set()

    # -- checking --------------------------------------------------------------------------

    @property
    def checking(self) -> bool:
        return self._check_started is not None

    def action_check(self) -> None:
        if self.checking:
            self._cancel.set()
            self.status.say("cancelling the check...")
            return
        self.save_now()
        self._cancel = threading.Event()
        self._check_started = time.monotonic()
        self.show_pane("timeline")
        self.results.show_progress("Checking... (^r again cancels)")
        self._grade(Path(self.keeper.path), self._cancel)

    def _show_check_progress(self) -> None:
        if self._check_started is not None:
            elapsed = time.monotonic() - self._check_started
            self.status.say(f"checking {elapsed:.0f}s ({self.exercise.timeout_s:.0f}s limit)")

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def _grade(self, path: Path, cancel: threading.Event) -> None:
        """Runs in a thread: grading blocks on a child process, never on the event loop."""
        self.post_message(run_check(self.exercise, path, cancel))

    @on(CheckDone)
    def _check_done(self, message: CheckDone) -> None:
        self._check_started = None
        if message.verdict is None or message.cancelled:
            what = "cancelled" if message.cancelled else f"failed: {message.error}"
            self.results.show_progress(f"The check {what}.")
            self.status.say(f"check {what}", "information" if message.cancelled else "error")
            return
        verdict = message.verdict
        self.tutor.state.record_verdict(self.exercise.id, verdict.to_dict())
        self.show_verdict(verdict)
        self.update_title()
        done = "passed! f4 shows the reference solution" if verdict.passed else "checked"
        self.status.say(f"{done} {time.strftime('%H:%M:%S')}")

    def show_verdict(self, verdict: Verdict) -> None:
        """Display a verdict: results pane, conflict marks in the editor (tests use it too)."""
        self.last_verdict = verdict
        self.show_pane("timeline")
        self.results.show_verdict(verdict)
        marks: dict[int, MarkKind] = {line: "conflict" for line in conflict_lines(verdict)}
        error_line = exercise_actions.syntax_error_line(verdict, self.editor.text)
        if error_line:
            marks[error_line] = "error"
        self.editor.set_marks(marks)
        if marks:
            self.editor.show_line(error_line or next(iter(marks)))

    def show_line(self, line: int) -> None:
        """Show a 1-based line of the learner's file (the scheduler screen's ``e``)."""
        self.editor.show_line(line)

    # -- the timeline ----------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        timeline = self.results.timeline
        if not timeline.steps:
            self.status.say("no interleaving to step through")
            return
        self.show_pane("timeline")
        timeline.step_by(delta)

    @on(Timeline.StepHighlighted)
    def _follow_step(self, event: Timeline.StepHighlighted) -> None:
        step = event.step
        total = len(self.results.timeline.steps)
        where = f" {step.location}" if step.location else ""
        self.status.say(f"step {step.number}/{total} {step.thread}{where}: "
                        f"{step.note or step.source.strip()}")
        conflicts = conflict_lines(self.last_verdict) if self.last_verdict else []
        marks: dict[int, MarkKind] = {line: "conflict" for line in conflicts}
        if step.in_submission and step.line >= 1:
            marks[step.line] = "step"
            self.editor.set_marks(marks)
            self.editor.show_line(step.line)
        else:
            self.editor.set_marks(marks)
