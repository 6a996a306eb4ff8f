"""Seeded concurrency bugs and their fixes, for the explorer's tests and benchmarks.

Plain stdlib (no pytest), so that the same suite runs under other interpreters by
subprocess: ``python tests/interleave/seeded.py --seeds 100`` prints one JSON summary.
Each case is ``(setup, threads, check, expected_kind)``; fixed versions expect None.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace as NS

# --- lost update ------------------------------------------------------------------------------


def _counter():
    return NS(n=0, lock=threading.Lock())


def _inc(s):
    for _ in range(2):
        s.n += 1


def _inc_locked(s):
    for _ in range(2):
        with s.lock:
            s.n += 1


def _two_incs_each(s):
    assert s.n == 4, f"counter is {s.n}, expected 4"


# --- check-then-act ---------------------------------------------------------------------------


def _account():
    return NS(balance=100, lock=threading.Lock())


def _withdraw(s):
    if s.balance >= 60:
        s.balance -= 60


def _withdraw_locked(s):
    with s.lock:
        if s.balance >= 60:
            s.balance -= 60


def _not_overdrawn(s):
    assert s.balance >= 0, f"balance is {s.balance}"


# --- lazy initialisation ----------------------------------------------------------------------


def _lazy():
    return NS(instance=None, seen=[], lock=threading.Lock())


def _get_instance(s):
    if s.instance is None:
        s.instance = object()
    s.seen.append(s.instance)


def _get_instance_locked(s):
    if s.instance is None:
        with s.lock:
            if s.instance is None:
                s.instance = object()
    s.seen.append(s.instance)


def _one_instance(s):
    assert len({id(x) for x in s.seen}) == 1, "two different instances were created"


# --- lock-order deadlock ----------------------------------------------------------------------


def _two_locks():
    return NS(a=threading.Lock(), b=threading.Lock(), moved=0)


def _a_then_b(s):
    with s.a:
        with s.b:
            s.moved += 1


def _b_then_a(s):
    with s.b:
        with s.a:
            s.moved += 1


# --- self-deadlock on a plain Lock ------------------------------------------------------------


class _Registry:
    def __init__(self, lock):
        self.lock = lock
        self.items = []

    def add(self, x):
        with self.lock:
            self.items.append(x)

    def add_twice(self, x):
        with self.lock:
            self.add(x)
            self.add(x)


def _registry_plain():
    return _Registry(threading.Lock())


def _registry_rlock():
    return _Registry(threading.RLock())


def _register(r):
    r.add_twice(1)


def _four_items(r):
    assert len(r.items) == 4, r.items


# --- semaphore taken under a mutex ------------------------------------------------------------


def _pool():
    return NS(mutex=threading.Lock(), slots=threading.Semaphore(1), log=[])


def _user_mutex_then_slot(s):
    with s.mutex:
        with s.slots:
            s.log.append("a")


def _user_slot_then_mutex(s):
    with s.slots:
        with s.mutex:
            s.log.append("b")


def _user_slot_first(s):
    with s.slots:
        with s.mutex:
            s.log.append("a")


def _both_logged(s):
    assert sorted(s.log) == ["a", "b"], s.log


# --- `if` instead of `while` around Condition.wait --------------------------------------------


def _mailbox():
    return NS(cond=threading.Condition(), items=[], got=[])


def _producer(s):
    for i in range(2):
        with s.cond:
            s.items.append(i)
            s.cond.notify()


def _consumer_if(s):
    with s.cond:
        if not s.items:
            s.cond.wait()
        s.got.append(s.items.pop(0))


def _consumer_while(s):
    with s.cond:
        while not s.items:
            s.cond.wait()
        s.got.append(s.items.pop(0))


def _all_consumed(s):
    assert sorted(s.got) == [0, 1], s.got


# --- notify before wait (lost wake-up) --------------------------------------------------------


def _signal():
    return NS(cond=threading.Condition(), ready=False, done=False)


def _waiter_no_flag(s):
    with s.cond:
        s.cond.wait()
    s.done = True


def _waiter_flag(s):
    with s.cond:
        while not s.ready:
            s.cond.wait()
    s.done = True


def _notifier(s):
    with s.cond:
        s.ready = True
        s.cond.notify()


def _waiter_done(s):
    assert s.done


# --- writer starvation ------------------------------------------------------------------------


class _ReaderPreferring:
    def __init__(self):
        self.cond = threading.Condition()
        self.readers = 0
        self.writing = False

    def start_read(self):
        with self.cond:
            while self.writing:
                self.cond.wait()
            self.readers += 1

    def end_read(self):
        with self.cond:
            self.readers -= 1
            if self.readers == 0:
                self.cond.notify_all()

    def start_write(self):
        with self.cond:
            while self.writing or self.readers > 0:
                self.cond.wait()
            self.writing = True

    def end_write(self):
        with self.cond:
            self.writing = False
            self.cond.notify_all()


class _WriterPreferring(_ReaderPreferring):
    def __init__(self):
        super().__init__()
        self.waiting_writers = 0

    def start_read(self):
        with self.cond:
            while self.writing or self.waiting_writers:
                self.cond.wait()
            self.readers += 1

    def start_write(self):
        with self.cond:
            self.waiting_writers += 1
            while self.writing or self.readers > 0:
                self.cond.wait()
            self.waiting_writers -= 1
            self.writing = True


def _rw_buggy():
    return NS(rw=_ReaderPreferring(), written=False)


def _rw_fixed():
    return NS(rw=_WriterPreferring(), written=False)


def _reader(s):
    while not s.written:
        s.rw.start_read()
        time.sleep(0.01)
        s.rw.end_read()


def _writer(s):
    s.rw.start_write()
    s.written = True
    s.rw.end_write()


def _written(s):
    assert s.written


# --- busy-wait forever ------------------------------------------------------------------------


def _flag():
    return NS(ready=False, data=None)


def _spinner(s):
    while not s.ready:
        pass
    assert s.data == 42


def _forgetful_publisher(s):
    s.data = 42


def _publisher(s):
    s.data = 42
    s.ready = True


BUGGY = {
    "lost_update": (_counter, [_inc, _inc], _two_incs_each, "assertion"),
    "check_then_act": (_account, [_withdraw, _withdraw], _not_overdrawn, "assertion"),
    "lazy_init": (_lazy, [_get_instance, _get_instance], _one_instance, "assertion"),
    "lock_order_deadlock": (_two_locks, [_a_then_b, _b_then_a], None, "deadlock"),
    "self_deadlock": (_registry_plain, [_register, _register], _four_items, "deadlock"),
    "semaphore_under_mutex": (_pool, [_user_mutex_then_slot, _user_slot_then_mutex], _both_logged,
                              "deadlock"),
    "if_not_while": (_mailbox, [_consumer_if, _consumer_if, _producer], _all_consumed, "assertion"),
    "notify_before_wait": (_signal, [_waiter_no_flag, _notifier], _waiter_done, "deadlock"),
    "writer_starvation": (_rw_buggy, [_reader, _reader, _writer], _written, "starvation"),
    "busy_wait_forever": (_flag, [_spinner, _forgetful_publisher], None, "starvation"),
}

FIXED = {
    "lost_update": (_counter, [_inc_locked, _inc_locked], _two_incs_each, None),
    "check_then_act": (_account, [_withdraw_locked, _withdraw_locked], _not_overdrawn, None),
    "lazy_init": (_lazy, [_get_instance_locked, _get_instance_locked], _one_instance, None),
    "lock_order_deadlock": (_two_locks, [_a_then_b, _a_then_b], None, None),
    "self_deadlock": (_registry_rlock, [_register, _register], _four_items, None),
    "semaphore_under_mutex": (_pool, [_user_slot_first, _user_slot_then_mutex], _both_logged, None),
    "if_not_while": (_mailbox, [_consumer_while, _consumer_while, _producer], _all_consumed, None),
    "notify_before_wait": (_signal, [_waiter_flag, _notifier], _waiter_done, None),
    "writer_starvation": (_rw_fixed, [_reader, _reader, _writer], _written, None),
    "busy_wait_forever": (_flag, [_spinner, _publisher], None, None),
}

#: cheap per-run limits for the seed sweeps (schedule counts, so results do not depend on load)
BUG_LIMITS = {"max_schedules": 250, "max_steps": 2000, "minimize": False}
FIX_LIMITS = {"max_schedules": 100, "max_steps": 2000, "minimize": False}
#: cases whose fix cannot be exhausted (readers loop with sleeps): fewer schedules per seed
FIX_LIMITS_FOR = {"writer_starvation": {**FIX_LIMITS, "max_schedules": 40}}


def run_case(case, seed, **limits):
    """(kind or None, schedules, schedule string or None) for one explore of one case."""
    from tutor.interleave import InterleavingFailure, explore

    setup, threads, check, _ = case
    try:
        report = explore(setup, threads, check, seed=seed, **limits)
    except InterleavingFailure as exc:
        return exc.kind, (exc.report.schedules if exc.report else -1), exc.schedule
    return None, report.schedules, None


def sweep(seeds: int, names=None) -> dict:
    """Every case over ``seeds`` seeds: which seeds missed a bug or flagged a fix."""
    out = {}
    for name in names or BUGGY:
        bug = BUGGY[name]
        fix = FIXED[name]
        missed = []
        wrong_kind = []
        false_alarms = []
        for seed in range(seeds):
            kind, _, _ = run_case(bug, seed, **BUG_LIMITS)
            if kind is None:
                missed.append(seed)
            elif kind != bug[3]:
                wrong_kind.append((seed, kind))
            kind, _, _ = run_case(fix, seed, **FIX_LIMITS_FOR.get(name, FIX_LIMITS))
            if kind is not None:
                false_alarms.append((seed, kind))
        out[name] = {"missed": missed, "wrong_kind": wrong_kind, "false_alarms": false_alarms}
    return out


def main(argv=None) -> int:
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = sweep(args.seeds, args.only)
    print(json.dumps({"python": sys.version.split()[0], "seeds": args.seeds,
                      "elapsed_s": round(time.perf_counter() - started, 2), "cases": result}))
    ok = all(not v["missed"] and not v["wrong_kind"] and not v["false_alarms"] for v in result.values())
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
