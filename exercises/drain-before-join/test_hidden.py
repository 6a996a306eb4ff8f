"""Hidden tests for drain-before-join: reports of a few bytes, and of a few hundred KiB.

No interleaving is at stake: the processes are real. Each worker leaves a marker file once
its report is built; from the moment every report is built, a correct build_all needs only
to read them (milliseconds). If it has not returned 5 s after that, it is stuck for good:
nothing in a deadlock changes with time. Its workers are then killed, so that the test ends.
"""

import multiprocessing
import os
import threading
import time

import pytest

import submission

START_MARGIN_S = 60.0  # starting the worker processes, on a very busy machine
STUCK_AFTER_S = 5.0  # once every report is built


def small_report(job):
    folder, number = job
    open(os.path.join(folder, str(number)), "w").close()
    return f"report {number}"


def large_report(job):
    folder, number = job
    report = f"report {number}:" + "x" * 300_000
    open(os.path.join(folder, str(number)), "w").close()
    return report


def _build_all_or_hang(folder, numbers, build):
    jobs = [(str(folder), number) for number in numbers]
    done = {}

    def run():
        try:
            done["reports"] = submission.build_all(jobs, build)
        except BaseException as exc:  # reported below, with the test's message
            done["error"] = exc

    caller = threading.Thread(target=run, daemon=True)
    caller.start()
    deadline = time.monotonic() + START_MARGIN_S
    while caller.is_alive() and time.monotonic() < deadline:
        if len(os.listdir(folder)) == len(jobs):
            caller.join(STUCK_AFTER_S)  # every report is built: reading them is quick
            break
        time.sleep(0.01)
    if caller.is_alive():
        for child in multiprocessing.active_children():
            child.kill()
        pytest.fail(
            f"build_all did not return {STUCK_AFTER_S:.0f} s after every report was built: it "
            "waits for its workers to end, and they wait for their reports to be read "
            "(a deadlock)"
        )
    if "error" in done:
        raise done["error"]
    leftover = multiprocessing.active_children()
    assert not leftover, f"{len(leftover)} worker(s) still running after build_all returned"
    return done["reports"]


def test_small_reports_in_order(tmp_path):
    reports = _build_all_or_hang(tmp_path, [3, 1, 2], small_report)
    assert reports == ["report 3", "report 1", "report 2"]


def test_large_reports_in_order(tmp_path):
    reports = _build_all_or_hang(tmp_path, [1, 2, 3], large_report)
    assert reports == [large_report((str(tmp_path), n)) for n in (1, 2, 3)]
