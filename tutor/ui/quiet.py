"""Whether to keep the terminal quiet: no cursor blink, no animation.

An idle blinking cursor repaints twice a second; over SSH that is a steady trickle of bytes
(and battery) for nothing. So blink and animate only on a local, interactive terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TextIO

REMOTE_MARKERS = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")


def quiet_terminal(
    env: Mapping[str, str] | None = None, stream: TextIO | None = None
) -> bool:
    """True when ``TUTOR_NO_BLINK`` is set, the session is remote, or stdout is not a tty."""
    env = os.environ if env is None else env
    stream = sys.__stdout__ if stream is None else stream
    if env.get("TUTOR_NO_BLINK", "") not in ("", "0"):
        return True
    if any(env.get(name) for name in REMOTE_MARKERS):
        return True
    try:
        return stream is None or not stream.isatty()
    except (ValueError, OSError):  # closed or detached stream
        return True
