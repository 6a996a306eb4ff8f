# Wrong: waking one waiter instead of all changes who is woken, not who may take connections: a newcomer still takes one ahead of the export.
"""Idea: wake one waiter with notify instead of notify_all."""

import threading


class ConnectionPool:
    def __init__(self, size):
        self.free = size
        self.waiting = 0
        self._cond = threading.Condition()

    def acquire(self, count=1):
        with self._cond:
            self.waiting += 1
            while self.free < count:
                self._cond.wait()
            self.waiting -= 1
            self.free -= count

    def release(self, count=1):
        with self._cond:
            self.free += count
            self._cond.notify()
