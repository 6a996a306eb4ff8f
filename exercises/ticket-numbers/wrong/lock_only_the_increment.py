# Wrong: the increment is locked, but the return reads the shared counter again after the lock is released, when another thread may already have moved it on.
"""Idea: lock only the increment, then return the counter."""

import threading


class TicketDispenser:
    def __init__(self):
        self.issued = 0
        self._lock = threading.Lock()

    def take(self):
        with self._lock:
            self.issued += 1
        return self.issued
