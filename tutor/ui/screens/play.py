"""You are the scheduler: step an exercise's threads by hand, on the learner's own code.

The engine side is ``tutor.play.PlaySession`` (a sandboxed child, every answer checked); this
screen only asks and shows. Requests go, one at a time and in the order the keys were
pressed, to a thread worker that owns the session; its answers come back as ``Answered``
messages. ``s`` ("show me") loads the explorer's failing order and plays it, a step every
``AUTOPLAY_S``; any key takes over. The screen is dismissed with the line to show in the
editor (``e``), or None.
"""

from __future__ import annotations

import queue
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from tutor.play.messages import Plan, Problem, ShowMe, State
from tutor.play.session import DEFAULT, HAND, PLAN, PlaySession
from tutor.ui.widgets.play_outcome import OutcomePanel, ending_text, plan_text, turn_text
from tutor.ui.widgets.play_shared import SharedState
from tutor.ui.widgets.play_threads import ThreadColumns
from tutor.ui.widgets.play_timeline import PlayTimeline
from tutor.ui.widgets.title_bar import PlayTitle

if TYPE_CHECKING:
    from tutor.course import Exercise

AUTOPLAY_S = 0.7
SLOW_S = 0.15  # an answer slower than this shows "working..."
MAX_PENDING = 32  # keys pressed while the child is busy are queued, up to this many


class PlayScreen(Screen["int | None"]):
    """Thread cards, the steps so far, the shared state, and what happened."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "run_thread(0)", "Run", key_display="1-9",
                tooltip="1-9: run that thread (T1-T9) to its next decision"),
        *[Binding(str(n), f"run_thread({n - 1})", show=False) for n in range(2, 10)],
        Binding("space", "default_step", "Next", key_display="space",
                tooltip="Let the default order choose (during show me: its next step)"),
        Binding("u", "undo", "Undo", tooltip="Undo the last step (the run is replayed to it)"),
        Binding("r", "restart", "Restart", tooltip="Run the scenario again from the start"),
        Binding("s", "show_me", "Show me",
                tooltip="Load the explorer's failing order and step through it"),
        Binding("e", "jump", "Line", tooltip="Go to the line to look at, in the editor"),
        Binding("escape", "back", "Back", show=False, tooltip="Leave the scheduler"),
    ]  # fmt: skip

    class Answered(Message):
        """The session's answer to ``request``: a State, Plan, Problem or an exception, with
        the session's decisions so far and whether the learner broke the starter by hand."""

        def __init__(self, request: tuple[Any, ...], result: object,
                     decisions: tuple[int, ...], found: bool) -> None:  # fmt: skip
            super().__init__()
            self.request, self.result, self.decisions, self.found = (
                request, result, decisions, found)

    def __init__(self, exercise: Exercise, path: Path, *, strict: bool = False,
                 record: bool = True) -> None:  # fmt: skip
        super().__init__(id="play")
        self.exercise, self.path, self.strict, self.record = exercise, Path(path), strict, record
        self.session: PlaySession | None = None
        self.state: State | None = None
        self.show_me: ShowMe | None = None  # "s": the explorer's order, while it is followed
        self.pending = 0
        self.found = False
        self._requests: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self._autoplay: Timer | None = None
        self._jump_shown = False

    def compose(self) -> ComposeResult:
        yield PlayTitle(self.exercise.title, id="play-title")
        yield ThreadColumns(id="play-threads")
        with Horizontal(id="play-middle"):
            yield PlayTimeline(id="play-timeline")
            yield SharedState(id="play-shared")
        yield OutcomePanel(Text("Starting the scenario in the sandbox..."), id="play-outcome")
        yield Static("", id="play-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._serve()
        self._request("start")

    def on_unmount(self) -> None:
        self._requests.put(("close",))

    def _request(self, *request: Any) -> None:
        if self.pending >= MAX_PENDING:
            self._status("busy: wait for the last steps to finish")
            return
        self.pending += 1
        self._requests.put(request)
        self.set_timer(SLOW_S, lambda: self.pending and self._status())  # a slow answer

    @work(thread=True, exclusive=True, group="play", exit_on_error=False)
    def _serve(self) -> None:
        """Runs in a thread: every call to the session blocks on the sandboxed child."""
        session: PlaySession | None = None
        while (request := self._requests.get())[0] != "close":
            try:
                if request[0] == "start":
                    if session is not None:
                        session.close()
                    session = self.session = PlaySession(self.exercise, self.path,
                                                         strict=self.strict)  # fmt: skip
                    result: object = session.start()
                elif session is None:
                    result = Problem("the scenario has not started: r starts it")
                else:  # step(thread, origin), undo(), restart(), show_me()
                    result = getattr(session, request[0])(*request[1:])
            except Exception as exc:  # noqa: BLE001 - PlayError, NoScenario, OSError: shown
                result = exc
            decisions = tuple(d.thread for d in session.decisions) if session else ()
            found = session is not None and session.found_it()
            self.post_message(self.Answered(request, result, decisions, found))
        if session is not None:
            session.close()

    @on(Answered)
    def _answered(self, message: Answered) -> None:
        self.pending = max(0, self.pending - 1)
        result, op = message.result, message.request[0]
        if self.session is not None:
            self.query_one(PlayTitle).test = self.session.scenario.test
        if isinstance(result, State):
            self._show_state(result, message.decisions, message.found,
                             fresh=op in ("start", "undo", "restart"))  # fmt: skip
        elif isinstance(result, Plan):
            self._plan_arrived(result)
        elif not isinstance(result, Problem):  # the session is over: PlayError and the like
            self._stop_autoplay()
            self.query_one(OutcomePanel).say(
                Text.assemble((f"✗ {result}\n", "bold red"), ("r starts again", "dim")))
        self._status(f"✗ {result.message}" if isinstance(result, Problem) else "")
        if self._jump_shown != (self._line() is not None):  # the footer is costly to redo
            self._jump_shown = not self._jump_shown
            self.refresh_bindings()

    def _show_state(self, state: State, decisions: tuple[int, ...], found: bool, *,
                    fresh: bool) -> None:  # fmt: skip
        self.state = state
        functions = self.session.ready.functions if self.session and self.session.ready else ()
        self.query_one(ThreadColumns).show(state, functions)
        self.query_one(PlayTimeline).show(state.timeline, [t.name for t in state.threads],
                                          state.timeline_first)  # fmt: skip
        self.query_one(SharedState).show(state.shared, fresh=fresh)
        if self.show_me is not None and not self.show_me.follow(decisions):
            self.show_me = None  # the learner took over
        outcome = self.query_one(OutcomePanel)
        if state.finished and state.outcome is not None:
            self._stop_autoplay()
            if found and self.record and not self.found:  # once; not for ``play --file``
                self.app.state.record_found_it(  # type: ignore[attr-defined]
                    self.exercise.id, state.outcome.kind or "", state.step)
            self.found = self.found or found
            outcome.say(ending_text(state.outcome, line=self._line(), found=found))
        elif self.show_me is not None:  # its order being played, or that there is none
            outcome.say(plan_text(self.show_me.plan, self.show_me.position))
        else:
            outcome.say(turn_text(state, functions))

    def _plan_arrived(self, plan: Plan) -> None:
        self.show_me = ShowMe(plan)
        self._request("restart")
        if plan.choices is not None:
            self._autoplay = self.set_interval(AUTOPLAY_S, self._autoplay_tick)

    def _autoplay_tick(self) -> None:
        choice = self.show_me.next_choice if self.show_me is not None else None
        if choice is None or self.state is None or self.state.finished:
            self._stop_autoplay()
        elif self.pending == 0:
            self._request("step", choice, PLAN)

    def _stop_autoplay(self) -> None:
        if self._autoplay is not None:
            self._autoplay.stop()
            self._autoplay = None

    def _line(self) -> int | None:
        return self.state.line_to_show if self.state is not None else None

    def _status(self, message: str = "") -> None:
        parts = [message] if message else []
        if self.state is not None:
            parts.append(f"step {self.state.step}")
        if self.show_me is not None and self.show_me.plan.choices is not None:
            parts.append(f"show me {self.show_me.position}/{len(self.show_me.plan.choices)}")
        if self.pending:
            parts.append("working...")
        self.query_one("#play-status", Static).update(Text(" · ".join(parts)), layout=False)

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "jump":
            return self._line() is not None
        return True

    def _ask(self, *request: Any) -> None:
        """A key's request, unless the session is over (starting counts as live)."""
        self._stop_autoplay()
        if self.pending or (self.session is not None and self.session.alive):
            self._request(*request)
        else:
            self._status("the session is over: r starts a new one")

    def action_run_thread(self, index: int) -> None:
        self._ask("step", index, HAND)

    def action_default_step(self) -> None:
        choice = self.show_me.next_choice if self.show_me is not None else None
        self._ask("step", choice, DEFAULT if choice is None else PLAN)

    def action_undo(self) -> None:
        self._ask("undo")

    def action_restart(self) -> None:
        live = self.pending or (self.session is not None and self.session.alive)
        self._stop_autoplay()
        self._request("restart" if live else "start")

    def action_show_me(self) -> None:
        self.query_one(OutcomePanel).say("Show me: the explorer is searching...")
        self._ask("show_me")

    def action_jump(self) -> None:
        line = self._line()
        if line is not None:
            self.dismiss(line)

    def action_back(self) -> None:
        self.dismiss(None)

