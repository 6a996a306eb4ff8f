"""Controlled interleaving explorer: run threads one at a time, under chosen schedules.

``explore(setup, threads, check)`` runs the threads under many schedules (bounded-preemption
search, then PCT and random walks) with preemption between bytecodes of learner code and
scheduler-aware ``threading``/``queue``/``time.sleep``, and raises ``InterleavingFailure``
with a replayable schedule and a readable timeline on the first failing one.
Standard library only; see docs/interleave.md.
"""

from ._explore import Report, explore, replay
from ._failure import InterleavingFailure
from ._patching import install, is_installed, uninstall
from ._points import point_mode, set_point_mode
from .controller import Controller

__all__ = [
    "Controller",
    "InterleavingFailure",
    "Report",
    "explore",
    "install",
    "is_installed",
    "point_mode",
    "replay",
    "set_point_mode",
    "uninstall",
]
