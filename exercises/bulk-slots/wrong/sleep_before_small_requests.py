# Wrong: making single-connection requests pause first only delays them; they still take a connection the moment one is free, ahead of the waiting export.
"""Idea: make requests for one connection sleep a little before they acquire."""

import threading
import time


class ConnectionPool:
    def __init__(self, size):
        self.free = size
        self.waiting = 0
        self._cond = threading.Condition()

    def acquire(self, count=1):
        if count == 1:
            time.sleep(0.01)
        with self._cond:
            self.waiting += 1
            while self.free < count:
                self._cond.wait()
            self.waiting -= 1
            self.free -= count

    def release(self, count=1):
        with self._cond:
            self.free += count
            self._cond.notify_all()
