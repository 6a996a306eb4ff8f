"""Virtual time and fairness: sleeps are no fix, polling and spinning terminate, odd threads."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace as NS

import pytest

from tutor.interleave import InterleavingFailure, explore

pytestmark = pytest.mark.usefixtures("clean_process")


def test_a_sleep_is_not_a_fix():
    def setup():
        return NS(data=None, seen=None)

    def producer(s):
        total = 0
        for i in range(3):
            total += i
        s.data = total

    def consumer(s):
        time.sleep(0.5)  # "gives the producer time"
        s.seen = s.data

    def check(s):
        assert s.seen == 3, f"consumer saw {s.seen}"

    with pytest.raises(InterleavingFailure) as info:
        explore(setup, [producer, consumer], check)
    assert "consumer saw None" in info.value.message


def test_a_correct_polling_loop_terminates_and_passes():
    def setup():
        return NS(lock=threading.Lock(), ready=False, got=None)

    def poller(s):
        while True:
            with s.lock:
                if s.ready:
                    break
            time.sleep(0.01)
        s.got = "ok"

    def setter(s):
        with s.lock:
            s.ready = True

    report = explore(setup, [poller, setter], lambda s: s.got == "ok" or pytest.fail(s.got))
    assert report.exhausted


def test_a_correct_spin_on_a_flag_terminates_and_passes():
    def setup():
        return NS(flag=False, value=0)

    def spinner(s):
        while not s.flag:
            pass
        assert s.value == 42

    def publisher(s):
        s.value = 42
        s.flag = True

    assert explore(setup, [spinner, publisher]).exhausted


def test_spinning_forever_is_starvation_in_bounded_time():
    def spinner(s):
        while not s.flag:
            pass

    started = time.perf_counter()
    with pytest.raises(InterleavingFailure) as info:
        explore(lambda: NS(flag=False), [spinner, lambda s: None])
    assert info.value.kind == "starvation"
    assert time.perf_counter() - started < 10


def test_timer_runs_on_virtual_time_and_can_be_cancelled():
    def setup():
        return NS(fired=[])

    def user(s):
        t = threading.Timer(60.0, lambda: s.fired.append("late"))
        t.start()
        t.cancel()
        t.join()
        u = threading.Timer(30.0, lambda: s.fired.append("fired"))
        u.start()
        u.join()

    started = time.perf_counter()
    explore(setup, [user], lambda s: s.fired == ["fired"] or pytest.fail(s.fired))
    assert time.perf_counter() - started < 10  # 90 virtual seconds per schedule


def test_system_exit_ends_a_thread_quietly():
    def quitter(s):
        s.append(1)
        raise SystemExit(3)

    assert explore(list, [quitter, quitter]).exhausted


def test_threads_started_in_setup_are_controlled():
    def setup():
        s = NS(n=0)

        def bump():
            s.n += 1

        s.worker = threading.Thread(target=bump)
        s.worker.start()
        return s

    def other(s):
        s.n += 1
        s.worker.join()

    with pytest.raises(InterleavingFailure) as info:
        explore(setup, [other], lambda s: s.n == 2 or pytest.fail(f"n is {s.n}"))
    assert "n is 1" in info.value.message


def test_a_daemon_thread_left_waiting_does_not_count_as_deadlock():
    def setup():
        return NS(ev=threading.Event(), done=False)

    def starter(s):
        threading.Thread(target=s.ev.wait, daemon=True).start()
        s.done = True

    assert explore(setup, [starter], lambda s: s.done or pytest.fail()).exhausted


def test_a_non_daemon_thread_left_waiting_is_a_deadlock():
    def starter(s):
        threading.Thread(target=s.wait).start()

    with pytest.raises(InterleavingFailure) as info:
        explore(threading.Event, [starter])
    assert info.value.kind == "deadlock"
    assert "that nobody will ever send" in info.value.message


@pytest.mark.leaks_threads
def test_code_that_swallows_every_exception_still_gets_a_verdict():
    def stubborn(s):
        while True:
            try:
                with s.lock:
                    s.n += 1
                    if s.n > 3:
                        raise ValueError("boom")
            except BaseException:  # noqa: BLE001 - a learner's over-broad handler
                time.sleep(0)

    started = time.perf_counter()
    with pytest.raises(InterleavingFailure) as info:
        explore(lambda: NS(lock=threading.Lock(), n=0), [stubborn, stubborn], max_steps=3000)
    assert info.value.kind == "starvation"
    assert time.perf_counter() - started < 20  # the swallowing threads are parked, not waited for
