"""Our primitives have what the standard library of *this* interpreter uses of threading's.

Issue 12: on 3.14 multiprocessing called ``RLock._recursion_count()``, which our RLock lacked,
so a correct fix failed. Rather than a fixed list, the names are read from the running
interpreter: every public attribute of the real object, every private one that some module of
the standard library (outside ``threading.py``, whose classes we replace) mentions, and the
lock protocol that ``threading.Condition`` itself calls on its lock.
"""

from __future__ import annotations

import os
import queue
import re
import sysconfig
import threading
from functools import lru_cache
from types import SimpleNamespace as NS

import pytest

import tutor.interleave as ti
from tutor.interleave import explore
from tutor.interleave._patching import _PySimpleQueue
from tutor.interleave._runtime import REAL

pytestmark = pytest.mark.usefixtures("clean_process")

_SKIP_DIRS = {"test", "tests", "idlelib", "turtledemo", "site-packages", "dist-packages",
              "__pycache__"}
#: what threading.Condition calls on the lock it is given (``Condition.__init__``)
_CONDITION_LOCK_PROTOCOL = ("_release_save", "_acquire_restore", "_is_owned")


@lru_cache(maxsize=1)
def stdlib_private_names() -> frozenset[str]:
    """``._name`` attribute references anywhere in this interpreter's standard library."""
    root = sysconfig.get_paths()["stdlib"]
    names: set[str] = set()
    for here, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS]
        for file in files:
            if not file.endswith(".py") or (file == "threading.py" and here == root):
                continue
            try:
                with open(os.path.join(here, file), encoding="utf-8", errors="replace") as f:
                    names.update(re.findall(r"\.(_[A-Za-z][A-Za-z0-9_]*)\b", f.read()))
            except OSError:
                continue
    return frozenset(names)


def _real_objects() -> dict:
    return {
        "Lock": REAL.Lock(), "RLock": REAL.RLock(), "Condition": REAL.Condition(),
        "Semaphore": REAL.Semaphore(), "BoundedSemaphore": REAL.BoundedSemaphore(),
        "Event": REAL.Event(), "Barrier": REAL.Barrier(2), "SimpleQueue": queue.SimpleQueue(),
    }  # fmt: skip


def _ours() -> dict:
    was = ti.is_installed()
    ti.install()
    try:
        return {
            "Lock": threading.Lock(), "RLock": threading.RLock(),
            "Condition": threading.Condition(), "Semaphore": threading.Semaphore(),
            "BoundedSemaphore": threading.BoundedSemaphore(), "Event": threading.Event(),
            "Barrier": threading.Barrier(2), "SimpleQueue": _PySimpleQueue(),
        }  # fmt: skip
    finally:
        if not was:
            ti.uninstall()


def required_names(kind: str, real) -> set[str]:
    names = {n for n in dir(real) if not n.startswith("_")}
    names |= {n for n in dir(real) if n.startswith("_") and not n.startswith("__")
              and n in stdlib_private_names()}  # fmt: skip
    if kind in ("RLock", "Condition"):
        names |= set(_CONDITION_LOCK_PROTOCOL)
    return names


KINDS = sorted(_real_objects())


@pytest.mark.parametrize("kind", KINDS)
def test_ours_have_every_attribute_the_stdlib_uses(kind):
    real = _real_objects()[kind]
    ours = _ours()[kind]
    assert type(ours).__module__.startswith("tutor.interleave"), type(ours)
    missing = sorted(n for n in required_names(kind, real) if not hasattr(ours, n))
    assert missing == [], f"{kind} lacks {missing} (used by this Python's standard library)"
    wrong = sorted(
        n for n in required_names(kind, real)
        if callable(getattr(real, n)) != callable(getattr(ours, n))
    )
    assert wrong == [], f"{kind}: callable on one side only: {wrong}"


def test_the_scan_finds_what_multiprocessing_uses():
    """The check above is only as good as the scan: it must see issue 12's culprit."""
    assert "_recursion_count" in required_names("RLock", REAL.RLock())
    assert "_at_fork_reinit" in required_names("Lock", REAL.Lock())


def test_private_state_reads_the_schedule_inside_and_the_real_object_outside():
    def setup():
        return NS(r=threading.RLock(), sem=threading.BoundedSemaphore(2), ev=threading.Event(),
                  cond=threading.Condition(threading.RLock()), seen=[])  # fmt: skip

    def worker(s):
        with s.r:
            with s.r:
                s.seen.append(("count", s.r._recursion_count()))
        s.seen.append(("after", s.r._recursion_count()))
        s.sem.acquire()
        s.seen.append(("value", s.sem._value, s.sem._initial_value))
        s.ev.set()
        s.seen.append(("flag", s.ev._flag))
        with s.cond:
            saved = s.cond._release_save()
            s.seen.append(("owned", s.cond._is_owned()))
            s.cond._acquire_restore(saved)
            s.seen.append(("owned", s.cond._is_owned()))

    def check(s):
        assert s.seen == [("count", 2), ("after", 0), ("value", 1, 2), ("flag", True),
                          ("owned", False), ("owned", True)], s.seen  # fmt: skip

    explore(setup, [worker], check, max_schedules=5)
    ours = _ours()
    assert ours["RLock"]._recursion_count() == 0
    ours["RLock"].acquire()
    assert ours["RLock"]._recursion_count() == 1  # outside a schedule: the real lock's count
    ours["RLock"].release()
    assert ours["Semaphore"]._value == 1 and ours["Event"]._flag is False


def test_multiprocessing_style_recursion_check_inside_a_schedule():
    """resource_tracker: ``if self._lock._recursion_count() > 1: ...`` under ``with lock``."""

    class Tracker:
        def __init__(self):
            self._lock = threading.RLock()
            self.reentered = []

        def ensure_running(self):
            with self._lock:
                self.reentered.append(self._lock._recursion_count() > 1)

    def both(t):
        t.ensure_running()
        with t._lock:
            t.ensure_running()

    def check(t):
        assert t.reentered == [False, True], t.reentered

    explore(Tracker, [both], check, max_schedules=5)
