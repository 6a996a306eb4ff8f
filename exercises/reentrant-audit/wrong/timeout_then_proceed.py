# Wrong: a timed acquire hides the self-deadlock; when it expires record() writes without the lock and entries interleave.
"""Idea: acquire with a timeout and go on without the lock."""

import threading


class Ledger:
    def __init__(self):
        self._lock = threading.Lock()
        self.entries = []
        self.balance = 0

    def record(self, description, amount):
        got = self._lock.acquire(timeout=0.1)
        try:
            self.entries.append((description, amount))
            self.balance += amount
        finally:
            if got:
                self._lock.release()

    def receive(self, description, amount, fee):
        with self._lock:
            self.record(description, amount)
            self.record(f"fee for {description}", -fee)
