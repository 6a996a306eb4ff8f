"""The reduction's bookkeeping for the default schedule, written down now and done later.

``explore`` runs the default schedule first, on its own, because many bugs fail right there
and the reduction's bookkeeping (vector clocks, races, the tree) costs about as much again as
running the schedule. If it passes, the reduction starts from that very schedule. It used to
run it a second time, with the bookkeeping on; now the first run writes down, in order, every
call the bookkeeping would have received (each step's footprint is worked out in the live
frame as it runs, as only then can it be), and ``replay`` feeds them to a fresh ``RunState``
afterwards. The tree, the races and the alternatives queued are the same as the second run's
would have been, since that run would have made the very same calls, and one schedule fewer
is run.

A long schedule (most often one that spins until it is declared starving) is not written
down past ``LIMIT`` calls: its record would cost more than the rerun it saves, in time (each
step's footprint) and in memory. The recording stops there (``overflowed``), and the
reduction runs the default schedule again as before.
"""

from __future__ import annotations

from ._dpor import Dpor, RunState

_DECLARE, _EXECUTE, _TOUCH, _SPAWNED, _PARK, _UNPARK, _FAIR, _DECIDED, _WOKEN = range(9)
#: calls written down at most (a schedule of some 600 steps; the built-in solutions' default
#: schedules need up to 720 calls, spin-under-lock's starter spinning until it starves 15,068)
LIMIT = 2_000


class _PendingLog(dict):
    """``RunState.pending`` as the run writes it (a thread parks on a primitive, or ends)."""

    def __init__(self, calls: list) -> None:
        super().__init__()
        self._calls = calls

    def __setitem__(self, thread, fp) -> None:
        self._calls.append((_PARK, thread, fp))
        super().__setitem__(thread, fp)

    def pop(self, thread, *default):
        self._calls.append((_UNPARK, thread))
        return super().pop(thread, *default)


class Deferred:
    """Stands in for ``RunState`` during the default schedule: the same calls, only kept."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.pending = _PendingLog(self.calls)
        self._fair = False
        self.overflowed = False  # too long to write down: nothing to replay

    @property
    def fair(self) -> bool:
        return self._fair

    @fair.setter
    def fair(self, value: bool) -> None:
        if value and not self._fair:
            self.calls.append((_FAIR,))
        self._fair = value

    def declare(self, thread: int, fp: tuple) -> None:
        self.calls.append((_DECLARE, thread, fp))

    def execute(self, thread: int, run) -> None:
        calls = self.calls
        calls.append((_EXECUTE, thread))
        if len(calls) > LIMIT:
            # stop here: the run sheds its bookkeeping (no more footprints), the record goes
            self.overflowed = True
            self.calls = self.pending._calls = []
            run.dpor_state = None

    def touch(self, thread: int, run, loc, write: bool) -> None:
        self.calls.append((_TOUCH, thread, loc, write))

    def spawned(self, parent: int | None, child: int) -> None:
        self.calls.append((_SPAWNED, parent, child))

    def woken(self, thread: int, by: int, fp: tuple) -> None:
        self.calls.append((_WOKEN, thread, by, fp))

    def decided(self, cands: tuple, chosen: int) -> None:
        """A decision of the default policy: ``chosen`` among thread indices ``cands``."""
        self.calls.append((_DECIDED, cands, chosen))

    def replay(self, dpor: Dpor) -> RunState:
        """The reduction's first schedule, built from these calls instead of a second run."""
        if self.overflowed:
            raise ValueError("the schedule was too long to write down: run it again")
        dpor.begin()
        state = RunState(dpor)
        for call in self.calls:
            kind = call[0]
            if kind == _DECLARE:
                state.declare(call[1], call[2])
            elif kind == _EXECUTE:
                state.execute(call[1], None)
            elif kind == _TOUCH:
                state.touch(call[1], None, call[2], call[3])
            elif kind == _SPAWNED:
                state.spawned(call[1], call[2])
            elif kind == _PARK:
                state.pending[call[1]] = call[2]
            elif kind == _UNPARK:
                state.pending.pop(call[1], None)
            elif kind == _FAIR:
                state.fair = True
            elif kind == _WOKEN:
                state.woken(call[1], call[2], call[3])
            else:
                dpor.decide(state, call[1], call[2])
        return state
