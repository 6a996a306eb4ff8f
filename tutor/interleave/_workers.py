"""Pooled OS threads that carry the controlled threads of successive schedules.

Creating an OS thread costs ~0.2 ms, more than a whole small schedule, so one ``explore``
reuses a few: each waits on its gate for a job (a ThreadState), runs it, and waits again.
"""

from __future__ import annotations

import threading
from _thread import get_native_id

from ._runtime import Abort, allocate_lock, start_thread
from ._stall import cpu_clock_of

#: how long to wait for a thread that should stop before giving up on it
STUCK_GRACE_S = 2.0


class Worker:
    """A pooled OS thread that runs controlled threads' bodies, one job at a time."""

    def __init__(self, pool):
        self.pool = pool
        self.gate = allocate_lock()
        self.gate.acquire()
        self.exited = allocate_lock()
        self.exited.acquire()
        self.job = None
        self.alive = True
        #: given up on (stuck in a job): when that job ends at last, the thread exits
        self.retired = False
        self.native_id = None  # set by the thread itself, for the stuck-thread watchdog
        self.ident = start_thread(self._main, ())
        self.cpu_clock = cpu_clock_of(self.ident)  # safe: the thread waits on its gate

    def _main(self) -> None:
        self.native_id = get_native_id()
        backend = self.pool.backend
        try:
            while True:
                try:
                    self.gate.acquire()
                    ts = self.job
                    if ts is None:
                        break
                    ts.run.thread_body(ts, backend)
                except Abort:  # an asynchronous Abort that landed after its job was over
                    pass
                if self.retired or self.pool.closed:
                    break  # nobody will hand this thread another job: let it end
        finally:
            backend.thread_exit()
            self.alive = False
            self.exited.release()


class WorkerPool:
    """OS threads reused across the schedules of one ``explore`` (creating one costs ~0.2 ms)."""

    def __init__(self, backend):
        self.backend = backend
        self.idle: list[Worker] = []
        self.workers: list[Worker] = []
        self.closed = False
        self._dummies: dict[tuple[int, str], threading.Thread] = {}

    def take(self, ts) -> Worker:
        worker = None
        while self.idle and worker is None:
            worker = self.idle.pop()
            if worker.retired or not worker.alive:
                worker = None
        if worker is None:
            worker = Worker(self)
            self.workers.append(worker)
        worker.job = ts
        return worker

    def dummy_thread(self, index: int, name: str) -> threading.Thread:
        """A never-started Thread object so that ``current_thread().name`` is the thread's name."""
        key = (index, name)
        thread = self._dummies.get(key)
        if thread is None:
            thread = threading.Thread(name=name, daemon=False)
            self._dummies[key] = thread
        return thread

    def shutdown(self) -> list[Worker]:
        """Stop every worker; returns the ones that could not be stopped (stuck for good)."""
        stuck = []
        self.closed = True
        for worker in self.workers:
            if worker in self.idle:
                worker.job = None
                worker.gate.release()
        for worker in self.workers:
            if worker in self.idle:
                worker.exited.acquire(timeout=STUCK_GRACE_S)
            elif worker.alive:
                stuck.append(worker)
        self.idle.clear()
        self.workers.clear()
        return stuck


def async_raise(ident, exc_type) -> None:
    """Raise ``exc_type`` in another thread at its next bytecode (last resort for stuck code).

    Never call it with NULL to cancel one: on 3.11 that leaves the interpreter-wide "async
    exception pending" flag set for good, and threads then livelock on the GIL (seen). A late
    Abort is caught in ``Worker._main`` instead.
    """
    try:
        import ctypes

        set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
        set_async_exc(ctypes.c_ulong(ident), ctypes.py_object(exc_type))
    except Exception:  # noqa: BLE001 - best effort only
        pass
