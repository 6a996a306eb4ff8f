"""The bounded search does not rerun what the partial-order reduction already ran.

(Kept out of ``test_dpor.py`` on purpose: the explorer scans the modules of the functions it
runs, ``check`` included, for attribute assignments, and this file's ``monkeypatch.setattr``
would make every load in that module's generated programs a scheduling point.)
"""

from __future__ import annotations

import importlib
import sys

import pytest

pytestmark = pytest.mark.usefixtures("clean_process")


_LOCKED_COUNTER = """
import threading
from types import SimpleNamespace as NS


def setup():
    return NS(n=0, lock=threading.Lock())


def worker(s):
    for _ in range(3):
        with s.lock:
            s.n += 1


THREADS = [worker, worker, worker]
"""


def test_the_bounded_search_does_not_rerun_the_reductions_runs(tmp_path, monkeypatch):
    """When the reduction cannot finish, the bounded search takes over; the schedules of it
    that the reduction already ran are not run again, and the search is the same."""
    from tutor.interleave import _explore, explore

    (tmp_path / "reuse_case.py").write_text(_LOCKED_COUNTER)
    sys.path.insert(0, str(tmp_path))
    try:
        module = importlib.import_module("reuse_case")
    finally:
        sys.path.remove(str(tmp_path))

    def check(s):
        assert s.n == 9

    kept = explore(module.setup, module.THREADS, check, max_schedules=150)
    original = _explore._bounded_then_random
    monkeypatch.setattr(_explore, "_bounded_then_random", lambda *args: original(*args[:6], None, *args[7:]))
    rerun = explore(module.setup, module.THREADS, check, max_schedules=150)
    assert not kept.complete and kept.strategies.get("bounded", 0) > 0
    assert kept.reused > 0 and rerun.reused == 0
    assert (kept.schedules, kept.steps, kept.strategies, kept.bound) == (
        rerun.schedules, rerun.steps, rerun.strategies, rerun.bound)
