"""Helpers shared by the play tests."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tutor.play.messages import Plan, Problem, State
from tutor.play.session import PlaySession
from tutor.runner import portable

FIXTURE_COURSE = Path(__file__).resolve().parent / "fixtures" / "course"
SIZE = (80, 24)

needs_sandbox = pytest.mark.skipif(
    sys.platform != "linux" or portable.wanted(),
    reason="play sessions need the Linux sandbox (start_sandboxed)",
)

# transfer-deadlock's starter deadlocks when T1 and T2 take turns, one decision each, until
# each holds one lock and wants the other: 9 decisions on 3.11, more where the bytecode has
# more points (3.14), so the tests alternate until the run ends rather than count keys.
MAX_ALTERNATION = 40


def alternate(choices: tuple[int, ...], turn: int) -> int:
    """The thread whose turn it is (T1, T2, T1...), or the other one if it cannot run."""
    wanted = turn % 2
    return wanted if wanted in choices else choices[0]


def as_state(reply: State | Plan | Problem) -> State:
    assert isinstance(reply, State), reply
    return reply


def play(session: PlaySession, keys: tuple[int, ...] | None = None) -> State:
    """Start the session and press ``keys`` (threads from 0; a key that cannot run now lets
    the default order choose), or, with none, let T1 and T2 take turns to the run's end."""
    state = session.start()
    if keys is not None:
        for thread in keys:
            state = as_state(session.step(thread if thread in state.choices else None))
        return state
    turn = 0
    while not state.finished and turn < MAX_ALTERNATION:
        state = as_state(session.step(alternate(state.choices, turn)))
        turn += 1
    return state


async def take_turns(pilot: Any, screen: Any) -> None:
    """On the scheduler screen: press T1's and T2's keys in turn until the run ends."""
    for turn in range(MAX_ALTERNATION):
        await wait_for(pilot, settled(screen), "the screen to settle")
        if screen.state.finished:
            return
        await pilot.press(str(alternate(screen.state.choices, turn) + 1))
    raise AssertionError("the run did not end")


async def wait_for(pilot: Any, condition: Any, what: str, timeout_s: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds (the sandboxed child answers in its time)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"never saw {what}"
        await pilot.pause(0.05)


def settled(screen: Any, step: int | None = None) -> Any:
    """A condition: the scheduler screen has no request in flight (and is at ``step``)."""
    return lambda: (screen.pending == 0 and screen.state is not None
                    and (step is None or screen.state.step == step))  # fmt: skip


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).render())


NEXT = re.compile(r"Who runs next\? (.*)$", re.MULTILINE)
STEP = re.compile(r"^(?:✗ .* · )?step (\d+)", re.MULTILINE)


class Terminal:
    """``tutor`` in a real terminal: one tmux session, 80x24, on a private tmux server."""

    def __init__(self, socket: str, size: tuple[int, int] = SIZE) -> None:
        self.socket = socket
        self.size = size

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=check, timeout=30)  # fmt: skip

    def start(self, command: str) -> None:
        width, height = self.size
        self.tmux("new-session", "-d", "-s", "play", "-x", str(width), "-y", str(height), command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "play").stdout

    def keys(self, *keys: str, pause_s: float = 0.05) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "play", key)
            time.sleep(pause_s)

    def wait_for(self, *texts: str, timeout_s: float = 90.0, poll_s: float = 0.1) -> str:
        deadline = time.monotonic() + timeout_s
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {texts!r}; the screen was:\n{screen}")
            time.sleep(poll_s)

    def take_turns(self, until: str) -> str:
        """Press T1's and T2's keys in turn, each once the last step is on screen, until
        ``until`` is; the screen then."""
        screen = self.wait_for("Who runs next?")
        for turn in range(MAX_ALTERNATION):
            if until in screen:
                return screen
            offered = NEXT.search(screen)
            assert offered is not None, screen
            choices = tuple(int(k) - 1 for k in re.findall(r"(\d) T\d+", offered.group(1)))
            step = STEP.search(screen)
            self.keys(str(alternate(choices, turn) + 1))
            after = f"step {int(step.group(1)) + 1}" if step else "step"
            screen = self.wait_for(after)
        raise AssertionError(f"never saw {until!r}:\n{screen}")

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", "play", check=False).returncode == 0

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


def play_command(home: Path, *args: str) -> str:
    """The shell command that opens ``tutor play`` on the fixture course."""
    return (f"env TUTOR_HOME={home} TUTOR_NO_BLINK=1 {sys.executable} -m tutor "
            f"--course {FIXTURE_COURSE} play {' '.join(args)}")  # fmt: skip
