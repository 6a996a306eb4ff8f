"""End to end, as a person would: ``python -m tutor`` in a real 80x24 terminal (tmux).

From the course map to a passed exercise with the keyboard alone: continue, check (fails,
with the race on screen), type the fix, check (passes), read the solution, back to the map,
quit. Each step asserts on the captured screen. Skipped where tmux is absent. The tmux server
is private to the test (its own socket), so nothing else is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ui_helpers import FIXTURE_COURSE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

SCREEN_TIMEOUT_S = 60.0


class Terminal:
    """One tmux session on a private server, 80x24."""

    def __init__(self, socket: str) -> None:
        self.socket = socket
        self.session = "tutor"

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check,
            timeout=30,
        )

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-s", self.session, "-x", "80", "-y", "24", command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session).stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.session, key)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.session, "-l", text)

    def wait_for(self, *texts: str, timeout_s: float = SCREEN_TIMEOUT_S) -> str:
        deadline = time.monotonic() + timeout_s
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {texts!r}; the screen was:\n{screen}")
            time.sleep(0.1)

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", self.session, check=False).returncode == 0

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


@pytest.fixture
def terminal(tmp_path: Path):
    term = Terminal(socket=f"tutor-e2e-{os.getpid()}-{tmp_path.name}")
    yield term
    term.kill()


def test_from_the_course_map_to_a_passed_exercise_by_keyboard(
    terminal: Terminal, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    command = (
        f"env TUTOR_HOME={home} TUTOR_NO_BLINK=1 "
        f"{sys.executable} -m tutor --course {FIXTURE_COURSE}"
    )
    terminal.start(command)
    screen = terminal.wait_for("Fixture course", "0/2 passed", "Lost update")
    assert "^q Quit" in screen.splitlines()[-1], "the footer shows how to quit"

    terminal.keys("c")  # continue where I left off: the first exercise not passed
    terminal.wait_for("Lost update  race", "NO_LOCK = contextlib", "watching the file")

    terminal.keys("C-r")
    terminal.wait_for("Failed", "race", " T1", " T2")  # one timeline column per thread
    terminal.keys(*["C-n"] * 7)  # step through the interleaving to a context switch
    screen = terminal.wait_for("step 7/")
    assert "⇄" in screen, "context switches are marked"

    terminal.keys("C-End", *["Up"] * 3, "End", *["BSpace"] * 8)
    # As a person would, look before typing on: a `send-keys -l` burst right after a run of
    # backspaces loses keys in tmux (seen with the old screen too: Textual's input, not ours).
    deadline = time.monotonic() + SCREEN_TIMEOUT_S
    while not any(line.rstrip(" ▁▂▃▄▅▆▇█").endswith("19          with")
                  for line in terminal.screen().splitlines()):
        assert time.monotonic() < deadline, terminal.screen()
        time.sleep(0.1)
    terminal.type("self.lock:")
    terminal.wait_for("with self.lock:")
    terminal.keys("C-r")
    screen = terminal.wait_for("Passed")
    assert "passed" in screen.splitlines()[0], "the title shows the new status"

    terminal.keys("F4")
    terminal.wait_for("Reference solution", "Solution")
    terminal.keys("Escape")
    terminal.wait_for("watching the file")
    terminal.keys("Escape", "Escape")
    screen = terminal.wait_for("1/2 passed")
    assert "●" in screen

    terminal.keys("C-q")
    deadline = time.monotonic() + 20
    while terminal.alive():
        assert time.monotonic() < deadline, "ctrl+q did not quit"
        time.sleep(0.1)
