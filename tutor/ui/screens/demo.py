"""Running a lesson's demo: the code, then what it printed on the learner's own machine.

The demo runs in the sandboxed runner from a thread worker (``tutor.demos.run_demo``), so the
screen stays responsive; Escape cancels a run and goes back, ``r`` runs it again.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tutor.ui.widgets import code_editor
from tutor.ui.widgets.footer import TutorFooter

if TYPE_CHECKING:
    from tutor.demos import Demo, DemoRun


class DemoPickerScreen(ModalScreen["Demo | None"]):
    """Which demo to run, when a lesson has several."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, demos: tuple[Demo, ...]) -> None:
        super().__init__(classes="dialog-screen")
        self.demos = demos

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Run which demo?")
            yield OptionList(
                *[Option(Text(f"{d.number}  {d.title}"), id=str(d.number)) for d in self.demos],
                id="demo-list",
            )
        yield TutorFooter()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.demos[int(event.option.id or 1) - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class DemoScreen(Screen[None]):
    """The demo's code above, its output below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "app.help", "Help", show=False),
        Binding("escape", "back", "Back", tooltip="Cancel a running demo and go back"),
        Binding("r", "rerun", "Run again"),
        Binding("tab", "app.focus_next", "Code/output", show=False),
    ]

    def __init__(self, demo: Demo) -> None:
        super().__init__(id="demo")
        self.demo = demo
        self._cancel = threading.Event()
        self.last_run: DemoRun | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Demo {self.demo.number}: {self.demo.title}", style="bold"),
                     classes="title-bar")
        code = TextArea.code_editor(self.demo.code, id="demo-code", read_only=True,
                                    show_cursor=False, soft_wrap=True)
        if code_editor.python_highlighting():
            code.language = "python"
        yield code
        yield Static("", id="demo-status")
        yield TextArea("", id="demo-output", read_only=True, soft_wrap=True)
        yield TutorFooter()

    def on_mount(self) -> None:
        if getattr(self.app, "quiet", False):
            for area in self.query(TextArea):
                area.cursor_blink = False
        self.action_rerun()

    def action_rerun(self) -> None:
        if self.running:
            return
        self._cancel = threading.Event()
        self.query_one("#demo-status", Static).update(
            f"running... (limit {self.demo.timeout_s:.0f}s; Escape cancels)"
        )
        self._run(self._cancel)

    @property
    def running(self) -> bool:
        return any(w.is_running for w in self.workers if w.group == "demo")

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def _run(self, cancel: threading.Event) -> None:
        from tutor.demos import run_demo

        try:
            result = run_demo(self.demo, cancel=cancel)
        except Exception as exc:  # noqa: BLE001 - shown, not a crash
            self.app.call_from_thread(self._show_error, f"{type(exc).__name__}: {exc}")
            return
        if not cancel.is_set():
            self.app.call_from_thread(self._show_run, result)

    def _show_error(self, message: str) -> None:
        self.query_one("#demo-status", Static).update(Text(f"could not run the demo: {message}"))

    def _show_run(self, run: DemoRun) -> None:
        self.last_run = run
        verdict = "finished" if run.ok else run.ended
        self.query_one("#demo-status", Static).update(
            Text(f"{verdict} in {run.duration_s:.1f}s · r runs it again")
        )
        self.query_one("#demo-output", TextArea).load_text(run.output or "(no output)")

    def action_back(self) -> None:
        self._cancel.set()
        self.dismiss()
