# Wrong: one plain lock for readers and writers stops the starvation but readers no longer share: two readers can never read at once.
"""Idea: use one plain lock for readers and writers."""

import threading


class ReadWriteLock:
    def __init__(self):
        self._lock = threading.Lock()
        self.writers_waiting = 0

    def acquire_read(self):
        self._lock.acquire()

    def release_read(self):
        self._lock.release()

    def acquire_write(self):
        self.writers_waiting += 1
        self._lock.acquire()
        self.writers_waiting -= 1

    def release_write(self):
        self._lock.release()
