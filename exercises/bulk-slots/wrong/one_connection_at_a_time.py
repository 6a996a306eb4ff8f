# Wrong: taking the connections one by one lets newcomers take one in between, and two large requests can each hold part of what they need and wait for each other for ever.
"""Idea: take the connections one at a time, as they become free."""

import threading


class ConnectionPool:
    def __init__(self, size):
        self.free = size
        self.waiting = 0
        self._cond = threading.Condition()

    def acquire(self, count=1):
        for _ in range(count):
            with self._cond:
                self.waiting += 1
                while self.free < 1:
                    self._cond.wait()
                self.waiting -= 1
                self.free -= 1

    def release(self, count=1):
        with self._cond:
            self.free += count
            self._cond.notify_all()
