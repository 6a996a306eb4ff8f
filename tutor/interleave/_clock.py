"""Virtual time: ``time.sleep`` parks a controlled thread; the clocks read the virtual clock.

Outside a schedule (or in a thread the scheduler does not control) these are the real ones.
"""

from __future__ import annotations

from ._dpor import CLOCK
from ._points import untraced
from ._runtime import ACTIVE, MAIN, REAL
from ._types import SLEEP

_BASE = {"monotonic": REAL.monotonic(), "time": REAL.time(), "perf": REAL.perf_counter()}


def set_time_base() -> None:
    """Virtual clocks read as (real clock at the start of ``explore``) + virtual time."""
    _BASE["monotonic"] = REAL.monotonic()
    _BASE["time"] = REAL.time()
    _BASE["perf"] = REAL.perf_counter()


@untraced
def sleep(secs) -> None:
    """``time.sleep``: in a controlled thread, a yield that lets virtual time pass."""
    run = ACTIVE.run
    if run is not None:
        me = run.who()
        if me is not None:
            if secs < 0:
                raise ValueError("sleep length must be non-negative")
            if me is MAIN:
                run.clock += secs
                return
            if secs == 0:
                run.record(me, ("sleep", 0))
                run.yield_now(me)
            else:
                run.block(me, SLEEP, run.clock + secs, ("sleep", secs))
            return
    REAL.sleep(secs)


def monotonic() -> float:
    run = ACTIVE.run
    if run is not None and run.who() is not None:
        run.touch(run.current, CLOCK, False)
        return _BASE["monotonic"] + run.clock
    return REAL.monotonic()


def time() -> float:
    run = ACTIVE.run
    if run is not None and run.who() is not None:
        run.touch(run.current, CLOCK, False)
        return _BASE["time"] + run.clock
    return REAL.time()


def perf_counter() -> float:
    run = ACTIVE.run
    if run is not None and run.who() is not None:
        run.touch(run.current, CLOCK, False)
        return _BASE["perf"] + run.clock
    return REAL.perf_counter()
