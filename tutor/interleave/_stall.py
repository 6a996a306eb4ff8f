"""How long has a thread been stuck? Measured on the thread's own time, not the wall clock.

The stuck-thread watchdog must not blame the learner's code when the OS simply did not run
the thread: on a loaded machine (a dozen graders on two cores) a runnable thread can wait for
a CPU long enough to look stuck by the wall clock. So a thread's *stalled time* leaves out the
time it spent waiting for a CPU:

- Linux: wall time minus the thread's run-queue delay (``/proc/self/task/<tid>/schedstat``,
  second field), i.e. time on a CPU plus time blocked by choice (a socket, a real lock);
- elsewhere, with a per-thread CPU clock (``time.pthread_getcpuclockid``): the thread's CPU
  time, so a spin is caught after ``grace`` CPU seconds, and a thread blocked outside Python
  only after ``BLOCKED_FACTOR`` times as long by the wall clock;
- otherwise the wall clock.
"""

from __future__ import annotations

import time

from ._runtime import SCALE, wall

#: without run-queue figures, a thread that uses no CPU is stuck after this many graces (wall)
BLOCKED_FACTOR = 5.0


def cpu_clock_of(ident: int) -> int | None:
    """The CPU-time clock of a live thread, or None where the platform has none."""
    getter = getattr(time, "pthread_getcpuclockid", None)
    if getter is None:
        return None
    try:
        clock = getter(ident)
        time.clock_gettime(clock)
    except (OSError, OverflowError, ValueError):
        return None
    return clock


def _cpu_seconds(clock: int | None) -> float | None:
    if clock is None:
        return None
    try:
        return time.clock_gettime(clock)
    except OSError:  # the thread is gone
        return None


def _run_delay_s(native_id: int | None) -> float | None:
    """Seconds the thread has spent runnable but waiting for a CPU (Linux), else None."""
    if native_id is None:
        return None
    try:
        with open(f"/proc/self/task/{native_id}/schedstat", "rb") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


class StallClock:
    """Started when a thread last made progress; ``stalled()`` is how long it has not."""

    __slots__ = ("native_id", "cpu_clock", "wall0", "delay0", "cpu0")

    def __init__(self, native_id: int | None, cpu_clock: int | None) -> None:
        self.native_id = native_id
        self.cpu_clock = cpu_clock
        self.wall0 = wall()
        self.delay0 = _run_delay_s(native_id)
        self.cpu0 = _cpu_seconds(cpu_clock) if self.delay0 is None else None

    def stalled(self) -> float:
        """Seconds without progress that the thread could have used (see the module doc)."""
        elapsed = wall() - self.wall0
        if self.delay0 is not None:
            delay = _run_delay_s(self.native_id)
            if delay is not None:
                return elapsed - (delay - self.delay0) * SCALE
        if self.cpu0 is not None:
            cpu = _cpu_seconds(self.cpu_clock)
            if cpu is not None:
                return max((cpu - self.cpu0) * SCALE, elapsed / BLOCKED_FACTOR)
        return elapsed
