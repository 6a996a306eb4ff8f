"""Helpers shared by the play tests."""

from __future__ import annotations

import sys

import pytest

from tutor.play.messages import Plan, Problem, State
from tutor.play.session import PlaySession
from tutor.runner import portable

needs_sandbox = pytest.mark.skipif(
    sys.platform != "linux" or portable.wanted(),
    reason="play sessions need the Linux sandbox (start_sandboxed)",
)

# transfer-deadlock's starter: T1 and T2 alternate until each holds one lock and wants the other
DEADLOCK_KEYS = (0, 1, 0, 1, 0, 1, 0, 1, 0)


def as_state(reply: State | Plan | Problem) -> State:
    assert isinstance(reply, State), reply
    return reply


def play(session: PlaySession, keys: tuple[int, ...] = DEADLOCK_KEYS) -> State:
    """Start the session and press ``keys`` (threads from 0); a key that cannot run now
    lets the default order choose. The last state."""
    state = session.start()
    for thread in keys:
        state = as_state(session.step(thread if thread in state.choices else None))
    return state
