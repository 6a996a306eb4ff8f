"""The default policy: who runs when a schedule does not say otherwise.

Keep the current thread; else the runnable thread that has waited longest (lowest index
first); else let the earliest deadline pass. A *departure* (a preemption, in the reports) is
any choice that differs from it; the schedule string lists exactly those.
"""

from __future__ import annotations

from ._types import RUNNABLE


def default_choice(cur, cands):
    """Keep the current thread; else the runnable one waiting longest; else the first deadline."""
    if cur is not None and cur in cands:
        return cur
    best = None
    for t in cands:
        if t.status == RUNNABLE and (best is None or t.last_run < best.last_run):
            best = t
    if best is not None:
        return best
    return min(cands, key=lambda t: (t.deadline, t.index))
