"""The child side of a play session: a pytest plugin, loaded with ``-p tutor.play.driver``.

The sandboxed pytest runs one hidden test (the scenario). Before the tests are imported, this
plugin makes ``threading`` scheduler-aware (``tutor.interleave.install()``, as grading does);
once they are collected, it replaces ``explore`` in the test module and in ``tutor.interleave``
with a stub. When the test calls ``explore(setup, threads, check)``, the stub does not search:
it serves the session right there, inside the test (so its fixtures stay alive), stepping a
``tutor.interleave.Controller`` on the decisions read from ``$TUTOR_FD_CONTROL`` and writing
each resulting state to ``$TUTOR_FD_EVENTS``, one JSON object per line. The test's own
assertions never run; the process ends when the parent says ``quit`` or closes the pipe.

Requests (parent -> child): ``{"op": "step", "seq", "thread": int | null}``,
``{"op": "goto", "seq", "choices": [int]}`` (restart, then replay those decisions),
``{"op": "show", "seq"}`` (run the real explorer; reply with its failing order) and
``{"op": "quit"}``. Replies carry the request's ``seq``: ``ready``, ``state``, ``plan``,
``problem``. Everything here runs beside the learner's code, which can write to the same pipe:
the parent validates every message and believes none of it (``tutor.play.messages``).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

import pytest

from tutor.play.snapshot import shared_rows

_THREAD_STACK_SIZE = 512 * 1024
MAX_TIMELINE = 60
#: scheduling points before a run counts as starved (the explorer allows 50,000): a spin loop
#: left to run alone ends sooner; every correct scenario of the course needs far fewer
PLAY_MAX_STEPS = 20_000
_TEXT_CAP = 400
_MESSAGE_BUDGET = 56 * 1024  # under the sandbox's 64 KiB per message


def _text(value: Any, cap: int = _TEXT_CAP) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= cap else text[: cap - 1] + "…"


class Channel:
    """Lines of JSON both ways over the two pipes the sandbox gave this process."""

    def __init__(self, events_fd: int, control_fd: int) -> None:
        self.events_fd = events_fd
        self.control = os.fdopen(control_fd, "rb", buffering=0)
        self._pending = b""

    def send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message, separators=(",", ":"), default=str).encode() + b"\n"
        view = memoryview(data)
        while view:
            written = os.write(self.events_fd, view)
            view = view[written:]

    def receive(self) -> dict[str, Any] | None:
        """The next request, or None once the parent has closed the pipe."""
        while b"\n" not in self._pending:
            chunk = self.control.read(65536)
            if not chunk:
                return None
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError:
            return {}
        return message if isinstance(message, dict) else {}


def _decode_schedule(schedule: str) -> dict[int, int]:
    """``v1:4>1,9>0`` -> {4: 1, 9: 0}: the documented schedule string (docs/interleave.md)."""
    body = "".join(str(schedule).split()).removeprefix("v1:")
    plan = {}
    for part in filter(None, body.split(",")):
        decision, _, thread = part.partition(">")
        plan[int(decision)] = int(thread)
    return plan


def _root_name(threads: list[Any]) -> str:
    """What the learner's threads call the shared state (their first parameter), else state."""
    for function in threads:
        code = getattr(function, "__code__", None)
        if code is not None and code.co_argcount >= 1 and code.co_varnames[0].isidentifier():
            return code.co_varnames[0]
    return "state"


def _outcome(controller: Any, failure: Any) -> dict[str, Any]:
    if failure is None:
        return {"passed": True, "kind": None, "headline": "", "message": "",
                "explanation": None, "schedule": controller.schedule}  # fmt: skip
    data = failure.to_dict()
    return {
        "passed": False,
        "kind": data.get("kind"),
        "headline": _text(data.get("headline") or ""),
        "message": _text(data.get("message") or ""),
        "explanation": data.get("explanation"),
        "schedule": data.get("schedule"),
    }


def _step(step: dict[str, Any]) -> dict[str, Any]:
    out = {key: step.get(key) for key in ("thread", "file", "line", "source", "event")}
    out["file"] = os.path.basename(str(out["file"] or ""))
    accesses = step.get("accesses")
    if isinstance(accesses, list):
        out["accesses"] = [
            {k: _text(a.get(k), 80) for k in ("op", "target", "value")}
            for a in accesses[:6]
            if isinstance(a, dict)
        ]
    if step.get("conflict"):
        out["conflict"] = True
    return out


class Server:
    """One scenario, served: a Controller per run, rebuilt to undo (replaying the prefix)."""

    def __init__(self, channel: Channel, setup: Any, threads: list[Any], check: Any,
                 options: dict[str, Any], explore: Any, controller_class: Any) -> None:
        self.channel = channel
        self.setup, self.threads, self.check = setup, threads, check
        self.options = options
        self.explore = explore
        self.controller_class = controller_class
        self.controller: Any = None
        self.root = _root_name(threads)

    # -- runs -----------------------------------------------------------------------------

    def _fresh(self) -> Any:
        self.close()
        max_steps = self.options.get("max_steps") or PLAY_MAX_STEPS
        self.controller = self.controller_class(self.setup, self.threads, self.check,
                                                max_steps=max_steps)  # fmt: skip
        self.controller.start()
        return self.controller

    def close(self) -> None:
        if self.controller is not None:
            controller, self.controller = self.controller, None
            controller.close()

    def goto(self, choices: list[int]) -> tuple[Any, int | None]:
        """A fresh run, then ``choices`` replayed; (controller, step where it diverged)."""
        controller = self._fresh()
        for number, thread in enumerate(choices):
            if controller.finished or thread not in controller.choices:
                return controller, number
            controller.step(thread)
        return controller, None

    def state(self, seq: int, chosen: int | None, diverged: int | None = None) -> dict[str, Any]:
        c = self.controller
        threads = c.threads
        failure = c.failure if c.finished else None
        # A failed run's timeline marks the conflicting steps, with their values.
        timeline = failure.timeline if failure is not None else c.timeline
        holders = {}
        for thread in threads:
            for held in thread.get("holds", ()):
                holders[str(held).split(" ", 1)[-1]] = thread["name"]
        message = {
            "type": "state",
            "seq": seq,
            "step": len(c.decisions),
            "chosen": chosen,
            "threads": [{k: t.get(k) for k in ("index", "name", "state", "file", "line",
                                                "source", "waiting_for", "holds", "next")}
                        for t in threads],  # fmt: skip
            "choices": c.choices,
            "current": c.current,
            "finished": c.finished,
            "shared": shared_rows(c.state, self.root, holders),
            "timeline": [_step(s) for s in timeline[-MAX_TIMELINE:]],
            "timeline_first": max(0, len(timeline) - MAX_TIMELINE),
        }
        if diverged is not None:
            message["diverged"] = diverged
        if c.finished:
            message["outcome"] = _outcome(c, failure)
        while len(json.dumps(message, default=str)) > _MESSAGE_BUDGET and message["timeline"]:
            cut = len(message["timeline"]) // 2 + 1
            message["timeline"] = message["timeline"][cut:]
            message["timeline_first"] += cut
        return message

    # -- requests ------------------------------------------------------------------------

    def handle(self, request: dict[str, Any]) -> dict[str, Any] | None:
        op, seq = request.get("op"), request.get("seq")
        if op == "step":
            thread = request.get("thread")
            if self.controller is None or self.controller.finished:
                return {"type": "problem", "seq": seq, "message": "the run is over"}
            if thread is not None and thread not in self.controller.choices:
                return {"type": "problem", "seq": seq, "message": f"T{thread + 1} cannot run now"}
            self.controller.step(thread)
            return self.state(seq, self.controller.decisions[-1]
                              if self.controller.decisions else None)  # fmt: skip
        if op == "goto":
            choices = [c for c in request.get("choices") or [] if isinstance(c, int)]
            _, diverged = self.goto(choices)
            return self.state(seq, None, diverged)
        if op == "show":
            return self.show(seq)
        return {"type": "problem", "seq": seq, "message": f"unknown request {op!r}"}

    def show(self, seq: int) -> dict[str, Any]:
        """Run the real explorer on the scenario; its failing order as one choice per step."""
        self.close()
        options = {k: v for k, v in self.options.items() if k != "minimize"}
        try:
            report = self.explore(self.setup, self.threads, self.check, **options)
        except AssertionError as exc:
            if not hasattr(exc, "to_dict"):
                raise
            data = exc.to_dict()
            schedule = data.get("schedule")
            if not schedule:
                return {"type": "plan", "seq": seq, "choices": None,
                        "headline": _text(data.get("headline") or ""), "kind": data.get("kind"),
                        "summary": "its order cannot be replayed step by step"}  # fmt: skip
            plan = _decode_schedule(schedule)
            controller = self._fresh()
            while not controller.finished:
                wanted = plan.get(len(controller.decisions))
                controller.step(wanted if wanted in controller.choices else None)
            return {"type": "plan", "seq": seq, "choices": controller.decisions,
                    "headline": _text(data.get("headline") or ""), "kind": data.get("kind"),
                    "summary": _text((data.get("coverage") or {}).get("summary") or "")}
        return {"type": "plan", "seq": seq, "choices": None, "headline": "", "kind": None,
                "summary": _text(getattr(report, "summary", "") or str(report))}

    def serve(self) -> None:
        self.channel.send({"type": "ready", "seq": 0, "threads": len(self.threads),
                           "functions": [_text(getattr(f, "__name__", "?"), 40)
                                         for f in self.threads],
                           "root": self.root})  # fmt: skip
        while True:
            request = self.channel.receive()
            if request is None or request.get("op") == "quit":
                break
            try:
                reply = self.handle(request)
            except Exception as exc:  # noqa: BLE001 - reported to the parent, the session goes on
                reply = {"type": "problem", "seq": request.get("seq"),
                         "message": _text(f"{type(exc).__name__}: {exc}")}
            if reply is not None:
                self.channel.send(reply)
        self.close()


class _Driver:
    """The plugin object: finds the pipes, installs the hybrids, swaps in the stub."""

    def __init__(self) -> None:
        events = os.environ.pop("TUTOR_FD_EVENTS", None)
        control = os.environ.pop("TUTOR_FD_CONTROL", None)
        self.channel = Channel(int(events), int(control)) if events and control else None
        self.served = False
        self.problem: str | None = None

    def fail(self, message: str) -> None:
        if self.channel is not None and not self.served:
            self.channel.send({"type": "problem", "seq": 0, "message": _text(message)})
        self.served = True
        os._exit(3)

    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config: Any) -> None:
        threading.stack_size(_THREAD_STACK_SIZE)
        from tutor import interleave

        interleave.install()

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, session: Any, config: Any, items: list) -> None:
        from tutor import interleave

        real = interleave.explore
        controller_class = interleave.Controller
        driver = self

        def explore(setup: Any, threads: Any, check: Any = None, **options: Any) -> Any:
            """Serve the play session instead of exploring (see the module docstring)."""
            if driver.channel is None:
                raise RuntimeError("no play channel")
            driver.served = True
            server = Server(driver.channel, setup, list(threads), check, options, real,
                            controller_class)  # fmt: skip
            try:
                server.serve()
            finally:
                sys.stdout.flush()
                os._exit(0)

        interleave.explore = explore
        for item in items:
            module = getattr(item, "module", None)
            for name, value in list(vars(module).items()) if module is not None else []:
                if value is real:
                    setattr(module, name, explore)

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            lines = [ln for ln in str(report.longrepr).splitlines() if ln.startswith("E ")]
            self.fail("the code could not be loaded: "
                      + (lines[-1][1:].strip() if lines else "collection failed"))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: Any, call: Any) -> Any:
        outcome = yield
        report = outcome.get_result()
        if report.failed and call.excinfo is not None and not self.served:
            exc = call.excinfo.value
            self.fail(f"the test stopped before it reached explore(): {type(exc).__name__}: "
                      + (str(exc).strip().splitlines() or [""])[0])

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: Any, exitstatus: int) -> None:
        if not self.served:
            self.fail("the test finished without calling explore(): nothing to play")


def pytest_configure(config: Any) -> None:
    config.pluginmanager.register(_Driver(), "tutor-play")
