"""The stuck-thread watchdog: it catches real stalls, not a busy machine, and leaves nothing behind.

A thread that stops reaching scheduling points (an endless loop over locals, a wait outside
threading) is reported as starvation. A thread the OS simply does not run for seconds (a loaded
CI machine) must not be: that flake turned a correct solution into a verdict. And once
``explore`` has returned, no engine thread may keep the process alive.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from types import SimpleNamespace as NS

import pytest

from tutor.interleave import InterleavingFailure, explore

pytestmark = pytest.mark.usefixtures("clean_process")

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _count(n):
    """Local work only: no scheduling point inside (loads of locals and builtins)."""
    total = 0
    for i in range(n):
        total += i
    return total


@pytest.mark.leaks_threads  # the OS thread may need a moment to leave once interrupted
def test_an_endless_loop_over_locals_is_reported_as_starvation():
    def spinner(s):
        s.started = True
        while True:
            _count(1000)

    with pytest.raises(InterleavingFailure) as info:
        explore(NS, [spinner])
    assert info.value.kind == "starvation"
    assert "without reaching a point the scheduler controls" in info.value.message
    assert "test_stuck_threads.py" in info.value.message  # where it was stuck


@pytest.mark.slow
@pytest.mark.skipif(
    not (hasattr(os, "SCHED_IDLE") and hasattr(os, "sched_setaffinity")),
    reason="needs Linux scheduling policies to starve one thread for real",
)
def test_a_thread_the_os_does_not_run_is_not_taken_for_a_stuck_one():
    """The running thread is made SCHED_IDLE and pinned to a CPU that a hog keeps busy.

    It then gets a fraction of a percent of that CPU: for 3 s of wall time it runs local work
    with no scheduling point, but uses only milliseconds of CPU. By the wall clock (the
    watchdog before the fix) that was "stuck for more than 2 s": a false starvation verdict.
    """
    cpu = min(os.sched_getaffinity(0))
    hog = subprocess.Popen(
        [sys.executable, "-c",
         f"import os\nos.sched_setaffinity(0, {{{cpu}}})\nprint('busy', flush=True)\nwhile 1: pass"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert hog.stdout.readline().strip() == "busy"  # the CPU is taken before we start

        def starved(s):
            os.sched_setaffinity(0, {cpu})  # 0: the calling thread only
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            end = time.clock_gettime(time.CLOCK_MONOTONIC) + 3.0  # the real clock
            while time.clock_gettime(time.CLOCK_MONOTONIC) < end and time.thread_time() < 1:
                _count(1000)  # no scheduling point in this loop
            s.cpu = time.thread_time()

        used = []
        report = explore(NS, [starved], lambda s: used.append(s.cpu), max_schedules=1)
    finally:
        hog.kill()
        hog.wait()
    assert report.schedules == 1  # and no InterleavingFailure("starvation")
    assert used and used[0] < 0.5, f"the thread was not starved: {used} s of CPU in 3 s"


EXITS_PROMPTLY = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {repo!r})
    from tutor.interleave import InterleavingFailure, explore

    r, w = os.pipe()

    def blocked(s):
        s.append(1)
        os.read(r, 1)  # I/O is not controlled: the watchdog has to give up on this thread

    try:
        explore(list, [blocked])
    except InterleavingFailure as exc:
        print(exc.kind, flush=True)
    os.write(w, b"x")  # the abandoned worker gets free after explore has returned
    deadline = time.monotonic() + 10
    while len(os.listdir("/proc/self/task")) > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    print("threads left", len(os.listdir("/proc/self/task")) - 1, flush=True)
""")


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts OS threads in /proc")
def test_the_process_exits_promptly_after_the_watchdog_gave_up_on_a_thread():
    result = subprocess.run(
        [sys.executable, "-c", EXITS_PROMPTLY.format(repo=REPO)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["starvation", "threads left 0"], result.stdout
