"""The "you are the scheduler" controller: pick threads by hand, see where each one stands."""

from __future__ import annotations

import pytest
import seeded

from tutor.interleave import Controller, replay

pytestmark = pytest.mark.usefixtures("clean_process")


def test_hand_made_lost_update_is_reported_and_replayable():
    setup, threads, check, _ = seeded.BUGGY["lost_update"]
    with Controller(setup, threads, check) as c:
        assert c.choices == [0, 1]
        assert [t["name"] for t in c.threads] == ["T1", "T2"]
        c.step(0)  # T1 runs up to its read of s.n
        c.step(0)  # ... reads it, stops before the write
        assert c.threads[0]["next"] == "write s.n"
        while not c.finished:
            c.step(1 if 1 in c.choices else None)  # T2 runs to the end, then T1 finishes
        failure = c.failure
    assert failure is not None and failure.kind == "assertion"
    with pytest.raises(AssertionError) as again:
        replay(setup, threads, check, failure.schedule)
    assert again.value.message == failure.message


def test_states_show_held_locks_and_the_next_operation():
    setup, threads, check, _ = seeded.BUGGY["lock_order_deadlock"]
    c = Controller(setup, threads, check).start()
    try:
        while c.threads[0]["next"] != "acquire Lock s.b":
            c.step(0)
        while c.threads[1]["next"] != "acquire Lock s.a":
            c.step(1)
        t1, t2 = c.threads
        assert t1["holds"] == ["Lock s.a"] and t2["holds"] == ["Lock s.b"]
        assert t1["state"] == t2["state"] == "runnable" and t1["line"] == t2["line"] + 1 - 7
        with pytest.raises(ValueError):
            c.step(5)
        c.step(0)  # T1 blocks on s.b; T2, the only one left, blocks on s.a
        assert c.finished and c.failure.kind == "deadlock"
        assert "T1 holds Lock s.a" in c.failure.message
    finally:
        c.close()


def test_closing_midway_unwinds_everything():
    setup, threads, check, _ = seeded.BUGGY["lock_order_deadlock"]
    c = Controller(setup, threads, check).start()
    c.step(0)
    c.close()
    assert c.finished and c.choices == []


def test_default_steps_run_a_correct_program_to_the_end():
    setup, threads, check, _ = seeded.FIXED["lost_update"]
    with Controller(setup, threads, check) as c:
        c.run_to_end()
        assert c.failure is None and c.choices == []
        with pytest.raises(RuntimeError):
            c.step()


def test_a_slow_human_is_not_taken_for_a_stuck_thread():
    import time

    setup, threads, check, _ = seeded.FIXED["lost_update"]
    with Controller(setup, threads, check) as c:
        c.step(0)
        time.sleep(2.6)  # longer than the explorer's stuck-thread grace period
        c.run_to_end()
        assert c.failure is None
