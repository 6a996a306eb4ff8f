"""End to end in a real 80x24 terminal: transfer-deadlock's deadlock, made by keys alone.

``python -m tutor play transfer-deadlock`` in tmux (a private server), the keys 1 2 1 2 ...,
the explanation on screen, ``e`` to the line in the editor, ctrl+q. Skipped without tmux.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from play_helpers import FIXTURE_COURSE, Terminal, needs_sandbox, play_command

from tutor.course import load_course
from tutor.state import LearnerState

pytestmark = [
    pytest.mark.slow,
    needs_sandbox,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def terminal(tmp_path: Path):
    term = Terminal(socket=f"tutor-play-{os.getpid()}-{tmp_path.name}")
    yield term
    term.kill()


def test_transfer_deadlocks_deadlock_by_keys(terminal: Terminal, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    home = tmp_path / "home"
    terminal.start(play_command(home, "transfer-deadlock"))
    screen = terminal.wait_for("Scheduler", "Who runs next? 1 T1  2 T2", "step 0")
    assert "bank[0]" in screen and ".balance" in screen, "the shared state is shown"
    assert "1-9 Run" in screen.splitlines()[-1]

    screen = terminal.take_turns(until="Deadlock:")  # 1 2 1 2 ...
    assert "T1 holds `bank[0].lock` and waits for `bank[1].lock`" in " ".join(screen.split())
    assert "waits for Lock bank[1].lock" in screen and "holds Lock bank[0].lock" in screen
    assert "You broke it yourself" in screen
    assert all(len(line) <= 80 for line in screen.splitlines())
    monkeypatch.setenv("TUTOR_HOME", str(home))
    assert LearnerState(load_course(FIXTURE_COURSE)).found_it_ids() == {"transfer-deadlock"}

    tutor = int(terminal.tmux("list-panes", "-t", "play", "-F", "#{pane_pid}").stdout)
    assert _sandboxed_children(tutor), "the session runs in a sandboxed child"

    terminal.keys("e")  # to the line in the editor (the session ends with the screen)
    screen = terminal.wait_for("Bank transfers that freeze  deadlock", "with target.lock:")
    terminal.keys("C-q")
    deadline = time.monotonic() + 20
    while terminal.alive():
        assert time.monotonic() < deadline, "ctrl+q did not quit"
        time.sleep(0.1)
    while _sandboxed_children(tutor):
        assert time.monotonic() < deadline + 10, "the sandboxed child outlived its screen"
        time.sleep(0.1)


def test_quitting_in_the_middle_of_a_run_leaves_no_process(terminal: Terminal,
                                                             tmp_path: Path) -> None:  # fmt: skip
    terminal.start(play_command(tmp_path / "home", "transfer-deadlock"))
    terminal.wait_for("Who runs next?", "step 0")
    terminal.keys("1", "2")
    terminal.wait_for("step 2")
    tutor = int(terminal.tmux("list-panes", "-t", "play", "-F", "#{pane_pid}").stdout)
    assert _sandboxed_children(tutor)
    terminal.keys("C-q")
    deadline = time.monotonic() + 30
    while terminal.alive() or _sandboxed_children(tutor):
        assert time.monotonic() < deadline, "a process of the session outlived the tutor"
        time.sleep(0.1)


def _sandboxed_children(tutor: int) -> list[int]:
    """Live processes of the sandbox runs this tutor process started (their run marker)."""
    marker = f"TUTOR_RUN_ID=tutor-run-{tutor}-".encode()
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/environ", "rb") as environ:
                if marker in environ.read():
                    found.append(int(entry))
        except (OSError, ValueError):
            continue
    return found
