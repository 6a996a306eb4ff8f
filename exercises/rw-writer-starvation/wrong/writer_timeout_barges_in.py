# Wrong: a writer that stops waiting after a timeout and writes anyway no longer starves, but it overlaps readers.
"""Idea: let the writer write after a timeout."""

import threading


class ReadWriteLock:
    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self.writers_waiting = 0

    def acquire_read(self):
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
            self._cond.wait_for(lambda: not self._writing and self._readers == 0, timeout=0.5)
            self.writers_waiting -= 1
            self._writing = True

    def release_write(self):
        with self._cond:
            self._writing = False
            self._cond.notify_all()
