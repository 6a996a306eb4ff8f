"""Shared checks for the explorer's tests: nothing patched or running once a test is over."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))  # makes `seeded` importable

from tutor.interleave._runtime import ACTIVE, REAL  # noqa: E402


def os_thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # not Linux: fall back to what threading knows
        return threading.active_count()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "leaks_threads: the code under test parks threads that cannot be stopped")


@pytest.fixture
def clean_process(request):
    """Asserts that a test leaves threading/time as they were and no engine thread behind."""
    before = os_thread_count()
    yield
    assert ACTIVE.run is None
    assert threading.Lock is REAL.Lock and time.sleep is REAL.sleep
    assert threading.Thread.start is REAL.Thread_start
    if request.node.get_closest_marker("leaks_threads"):
        return
    deadline = time.monotonic() + 5
    while os_thread_count() > before and time.monotonic() < deadline:
        time.sleep(0.01)  # an exiting worker may need a moment to disappear from /proc
    assert os_thread_count() <= before
