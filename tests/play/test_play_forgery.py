"""Submissions that forge the play session's states: the screen is neither crashed nor fooled.

The learner's code runs in the same interpreter as the play driver, so it can write to the
events pipe or replace the driver. What it writes is checked (``tutor.play.messages``); what
passes the checks is shown, but nothing is recorded from it: "found it yourself" needs the
unmodified starter, and play never records a pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from play_helpers import needs_sandbox, play

from tutor.course import Exercise
from tutor.play.session import PlayError, PlaySession

pytestmark = needs_sandbox

# Writes lines to every pipe this process may write to (the events pipe among them), at import.
FLOOD = '''
import os, stat
for fd in range(3, 256):
    try:
        info = os.fstat(fd)
        if stat.S_ISFIFO(info.st_mode):
            {payload}
    except OSError:
        pass
'''

FORGED_READY = (
    '{"type":"ready","seq":0,"threads":2,"functions":["a","b"],"root":"bank"}\\n'
    '{"type":"state","seq":1,"step":0,"chosen":null,"threads":[],"choices":[],'
    '"current":null,"finished":true,"outcome":{"passed":true,"kind":null}}\\n'
)

# Replaces the driver's states: every run "ends" at once in a deadlock on line 1.
DRIVER_SWAP = '''
import sys
driver = sys.modules.get("tutor.play.driver")
if driver is not None:
    real_state = driver.Server.state
    def state(self, seq, chosen, diverged=None):
        message = real_state(self, seq, chosen, diverged)
        message["outcome"] = {"passed": False, "kind": "deadlock",
                              "headline": "FORGED: you found it", "explanation": None}
        for thread in message["threads"]:
            thread["state"] = "finished"
        message["finished"], message["choices"] = True, []
        return message
    driver.Server.state = state
'''


def forged(transfer: Exercise, tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "forged.py"
    path.write_text(transfer.starter_path.read_text() + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "payload",
    [
        f"os.write(fd, b'{FORGED_READY}')",
        "os.write(fd, b'{\"type\": \"state\", \"seq\": 1, \"threads\": 5}\\n' * 50)",
    ],
)
def test_writing_to_the_events_pipe_stops_the_session(
    transfer: Exercise, tmp_path: Path, payload: str
) -> None:
    session = PlaySession(transfer, forged(transfer, tmp_path, FLOOD.format(payload=payload)))
    try:
        with pytest.raises(PlayError, match="could not have reached|ended"):
            play(session)  # the real driver's answers no longer fit the forged ones
        assert not session.alive
        assert not session.found_it()
    finally:
        session.close()


def test_a_swapped_driver_can_show_a_forged_ending_but_records_nothing(
    transfer: Exercise, tmp_path: Path
) -> None:
    session = PlaySession(transfer, forged(transfer, tmp_path, DRIVER_SWAP))
    try:
        state = session.start()
        # The forgery is consistent, so it is shown: this is what a forger can still do.
        assert state.finished and state.outcome is not None
        assert state.outcome.headline == "FORGED: you found it"
        assert not session.is_starter
        assert not session.found_it()
    finally:
        session.close()


def test_garbage_on_the_events_pipe_is_dropped_and_the_game_goes_on(
    transfer: Exercise, tmp_path: Path
) -> None:
    payload = "os.write(fd, os.urandom(4000) + b'\\n' + b'[1, 2]\\n' + b'x' * 70000 + b'\\n')"
    session = PlaySession(transfer, forged(transfer, tmp_path, FLOOD.format(payload=payload)))
    try:
        state = play(session)
        assert state.finished and state.outcome is not None and state.outcome.kind == "deadlock"
        assert not session.found_it()  # the starter plus code of the learner's: not the starter
    finally:
        session.close()
