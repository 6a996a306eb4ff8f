"""Under the scheduler, primitives behave as `threading`'s do (checked in every schedule)."""

from __future__ import annotations

import queue
import threading
import time
from types import SimpleNamespace as NS

import pytest

from tutor.interleave import InterleavingFailure, explore

pytestmark = pytest.mark.usefixtures("clean_process")
LIMITS = {"max_schedules": 300}


def ok(setup, threads, check=None, **kw):
    report = explore(setup, threads, check, **{**LIMITS, **kw})
    assert report.schedules >= 1
    return report


def fails(setup, threads, check=None, **kw) -> InterleavingFailure:
    with pytest.raises(InterleavingFailure) as info:
        explore(setup, threads, check, **{**LIMITS, **kw})
    return info.value


def test_lock_timeouts_and_nonblocking():
    def setup():
        return NS(lock=threading.Lock(), got=[])

    def holder(s):
        with s.lock:
            time.sleep(5)

    def tryer(s):
        got = s.lock.acquire(timeout=0.5)
        s.got.append(got)
        if got:
            s.lock.release()
        if s.lock.acquire(blocking=False):
            s.lock.release()

    def check(s):
        assert s.got in ([True], [False])

    report = ok(setup, [holder, tryer], check)
    assert report.exhausted
    # both outcomes of the timed acquire are explored: one schedule must see the timeout
    seen = set()

    def record(s):
        seen.add(s.got[0])

    ok(setup, [holder, tryer], record)
    assert seen == {True, False}


def test_lock_argument_errors_match_threading():
    def bad(s):
        with pytest.raises(ValueError, match="can't specify a timeout for a non-blocking call"):
            s.acquire(False, 1)
        with pytest.raises(ValueError, match="timeout value must be positive"):
            s.acquire(True, -2)
        with pytest.raises(RuntimeError, match="release unlocked lock"):
            s.release()

    ok(threading.Lock, [bad])


def test_rlock_counts_and_ownership():
    def setup():
        return NS(r=threading.RLock(), order=[])

    def owner(s):
        with s.r:
            with s.r:
                s.order.append("in")
            assert s.r._is_owned()
        assert not s.r._is_owned()
        with pytest.raises(RuntimeError, match="cannot release un-acquired lock"):
            s.r.release()

    ok(setup, [owner, owner], lambda s: s.order == ["in", "in"] or pytest.fail(s.order))


def test_rlock_released_by_another_thread_fails_like_threading():
    def setup():
        s = NS(r=threading.RLock())
        s.r.acquire()  # owned by setup(): no explored thread may release it
        return s

    def thief(s):
        s.r.release()

    failure = fails(setup, [thief])
    assert failure.kind == "assertion"
    assert "RuntimeError: cannot release un-acquired lock" in failure.message


def test_bounded_semaphore_over_release_is_value_error():
    def setup():
        return NS(sem=threading.BoundedSemaphore(1))

    def worker(s):
        with s.sem:
            pass
        s.sem.release()

    failure = fails(setup, [worker])
    assert "ValueError: Semaphore released too many times" in failure.message


def test_semaphore_limits_concurrency_and_times_out():
    def setup():
        return NS(sem=threading.Semaphore(2), inside=0, peak=0, timeouts=0)

    def worker(s):
        if not s.sem.acquire(timeout=0.1):
            s.timeouts += 1
            return
        s.inside += 1
        s.peak = max(s.peak, s.inside)
        time.sleep(0.5)
        s.inside -= 1
        s.sem.release()

    peaks = set()

    def check(s):
        assert s.peak <= 2
        peaks.add((s.peak, s.timeouts))

    ok(setup, [worker, worker, worker], check)
    assert (2, 1) in peaks  # the third thread timed out while two were inside


def test_condition_wait_for_with_timeout():
    def setup():
        return NS(cond=threading.Condition(), ready=False, result=None)

    def waiter(s):
        with s.cond:
            s.result = s.cond.wait_for(lambda: s.ready, timeout=1.0)

    def setter(s):
        with s.cond:
            s.ready = True
            s.cond.notify_all()

    results = set()
    ok(setup, [waiter, setter], lambda s: results.add(s.result))
    assert results == {True, False}  # notified in time, or the virtual timeout fired first


def test_condition_errors_match_threading():
    def worker(cond):
        with pytest.raises(RuntimeError, match="cannot wait on un-acquired lock"):
            cond.wait()
        with pytest.raises(RuntimeError, match="cannot notify on un-acquired lock"):
            cond.notify()

    ok(threading.Condition, [worker])


def test_event_wait_set_clear_and_timeout():
    def setup():
        return NS(ev=threading.Event(), seen=[])

    def waiter(s):
        s.seen.append(s.ev.wait(timeout=1.0))

    def setter(s):
        s.ev.set()
        assert s.ev.is_set()

    outcomes = set()

    def check(s):
        assert s.ev.is_set()
        outcomes.add(s.seen[0])

    ok(setup, [waiter, setter], check)
    assert outcomes == {True, False}


def test_barrier_releases_together_and_breaks_on_timeout():
    def setup():
        return NS(b=threading.Barrier(2), before=[], after=[])

    def party(s):
        s.before.append(1)
        s.b.wait()
        assert len(s.before) == 2
        s.after.append(1)

    ok(setup, [party, party], lambda s: len(s.after) == 2 or pytest.fail("not all passed"))

    def lonely(s):
        with pytest.raises(threading.BrokenBarrierError):
            s.b.wait(timeout=0.5)
        assert s.b.broken

    ok(setup, [lonely])


def test_barrier_action_and_reset():
    def setup():
        return NS(b=None, actions=[])

    def make():
        s = setup()
        s.b = threading.Barrier(2, action=lambda: s.actions.append("go"))
        return s

    def party(s):
        s.b.wait()

    ok(make, [party, party], lambda s: s.actions == ["go"] or pytest.fail(s.actions))


def test_queue_join_task_done_and_timeouts():
    def setup():
        return NS(q=queue.Queue(maxsize=1), got=[])

    def producer(s):
        for i in range(3):
            s.q.put(i)
        s.q.join()
        assert s.got == [0, 1, 2]

    def consumer(s):
        for _ in range(3):
            s.got.append(s.q.get())
            s.q.task_done()

    ok(setup, [producer, consumer], budget_s=5, max_schedules=150)

    def impatient(s):
        with pytest.raises(queue.Empty):
            s.q.get(timeout=0.2)

    ok(setup, [impatient])


def test_other_queues_are_controlled():
    def setup():
        return NS(lifo=queue.LifoQueue(), prio=queue.PriorityQueue(), simple=queue.SimpleQueue())

    def producer(s):
        s.lifo.put(1)
        s.prio.put(2)
        s.simple.put(3)

    def consumer(s):
        assert (s.lifo.get(), s.prio.get(), s.simple.get()) == (1, 2, 3)

    assert ok(setup, [consumer, producer]).exhausted


def test_thread_start_join_is_alive_inside_controlled_code():
    def setup():
        return NS(n=0, lock=threading.Lock(), names=[])

    def parent(s):
        def child():
            s.names.append(threading.current_thread().name)
            with s.lock:
                s.n += 1

        kids = [threading.Thread(target=child, name=f"kid{i}") for i in range(2)]
        for k in kids:
            k.start()
        for k in kids:
            k.join()
            assert not k.is_alive()
        assert s.n == 2
        with pytest.raises(RuntimeError, match="threads can only be started once"):
            kids[0].start()

    ok(setup, [parent], lambda s: sorted(s.names) == ["kid0", "kid1"] or pytest.fail(s.names))


def test_racy_children_are_caught():
    def setup():
        return NS(n=0)

    def parent(s):
        def child():
            s.n += 1

        kids = [threading.Thread(target=child) for _ in range(2)]
        for k in kids:
            k.start()
        for k in kids:
            k.join()

    def check(s):
        assert s.n == 2, s.n

    assert fails(setup, [parent], check).kind == "assertion"


def test_join_with_timeout_returns_while_alive():
    def setup():
        return NS(alive=[])

    def parent(s):
        t = threading.Thread(target=lambda: time.sleep(10))
        t.start()
        t.join(timeout=0.1)
        s.alive.append(t.is_alive())
        t.join()

    seen = set()
    ok(setup, [parent], lambda s: seen.add(s.alive[0]))
    assert True in seen


def test_thread_pool_executor():
    from concurrent.futures import ThreadPoolExecutor

    def setup():
        return NS(lock=threading.Lock(), n=0)

    def user(s):
        def task():
            with s.lock:
                s.n += 1
                return s.n

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda _: task(), range(3)))
        assert sorted(results) == [1, 2, 3]

    ok(setup, [user], lambda s: s.n == 3 or pytest.fail(s.n), max_schedules=40)


def test_virtual_time_never_sleeps_for_real():
    def slow(s):
        time.sleep(30)
        s.append(time.monotonic())

    started = time.perf_counter()
    ok(list, [slow, slow])
    assert time.perf_counter() - started < 20  # 30 s sleeps, many schedules: all virtual


def test_current_thread_names_are_t1_t2():
    names = []

    def who(_):
        names.append(threading.current_thread().name)

    ok(lambda: None, [who, who], max_schedules=1)
    # the default schedule runs twice: once alone, once more for the reduction's bookkeeping
    assert names == ["T1", "T2"] * (len(names) // 2) and names


def test_a_primitive_dropped_inside_a_schedule_keeps_its_id_to_the_end():
    # the reduction names a primitive by its id(): a lock made and dropped inside a call must
    # not hand its id on to the next lock made in the same schedule (its release would order
    # an acquire of the other, and hide a race)
    per_schedule: list[list[int]] = []

    def setup():
        per_schedule.append([])
        return NS(x=0, ids=per_schedule[-1])

    def fresh_locks(s):
        for _ in range(3):
            lock = threading.Lock()
            with lock:
                s.ids.append(id(lock))
            del lock
        s.x += 1

    ok(setup, [fresh_locks, fresh_locks])
    assert len(per_schedule) > 1
    for ids in per_schedule:
        assert len(ids) == 6 and len(set(ids)) == 6, ids
