# Wrong: making readers pause before they read only spaces them out; a reader can still overtake a waiting writer.
"""Idea: make readers sleep before they read."""

import threading
import time


class ReadWriteLock:
    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self.writers_waiting = 0

    def acquire_read(self):
        time.sleep(0.01)
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1

    def release_read(self):
        with self._cond:
            self._readers -= 1
            if self._readers == 0:
                self._cond.notify_all()

    def acquire_write(self):
        with self._cond:
            self.writers_waiting += 1
            while self._writing or self._readers > 0:
                self._cond.wait()
            self.writers_waiting -= 1
            self._writing = True

    def release_write(self):
        with self._cond:
            self._writing = False
            self._cond.notify_all()
